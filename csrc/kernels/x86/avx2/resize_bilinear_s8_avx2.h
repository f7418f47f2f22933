// One output row of int8 RESIZE_BILINEAR with AVX2 (the BilinearRowS8Fn of
// the avx2 path; twin of BilinearRowS8 in kernels/reference/resize.h).
#pragma once

#include <cstdint>

namespace pyrt {

void BilinearRowS8Avx2(const int8_t* r0, const int8_t* r1, int32_t wy, const int32_t* x_pos,
                       const int32_t* x_lo, const int32_t* x_hi, int64_t out_w, int64_t c,
                       int8_t* out);

}  // namespace pyrt
