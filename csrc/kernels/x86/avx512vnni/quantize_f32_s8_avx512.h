// float32 -> int8 / int16 QUANTIZE, 16 lanes (AVX-512 F/BW): bit-identical
// to the reference AffineQuantize (kernels/reference/quantize.h).
#pragma once

#include <cstdint>

namespace pyrt {

void AffineQuantizeS8Avx512(const float* input, int64_t n, float scale, int32_t zero_point,
                            int8_t* output);
void AffineQuantizeS16Avx512(const float* input, int64_t n, float scale, int32_t zero_point,
                             int16_t* output);

}  // namespace pyrt
