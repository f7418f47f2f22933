// int8 ADD/SUB and MUL rows and the int16 ones (16x8 models) for AVX2, 16
// elements per step, bit-identical to AddSubRowQ8 / MulRowQ8
// (kernels/reference/binary_s8.h).
#pragma once

#include <cstdint>

#include "kernels/reference/binary_s8.h"

namespace pyrt {

// out[i] = op(a[i * sa], b[i * sb]) for i < n; sa, sb in {0, 1}.
void Qs8AddSubRowAvx2(const AddSubParams& p, const int8_t* a, int64_t sa, const int8_t* b,
                      int64_t sb, int8_t* out, int64_t n);
void Qs8MulRowAvx2(const MulParams& p, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                   int8_t* out, int64_t n);
// int16 ADD/SUB: needs left_shift 15 and zero points 0 (as every 16x8
// model has); int16 MUL: needs input offsets 0.
void Qs16AddSubRowAvx2(const AddSubParams& p, const int16_t* a, int64_t sa, const int16_t* b,
                       int64_t sb, int16_t* out, int64_t n);
void Qs16MulRowAvx2(const MulParams& p, const int16_t* a, int64_t sa, const int16_t* b,
                    int64_t sb, int16_t* out, int64_t n);

// MUL of x (offset x_offset) by per-element factors given as the two parts
// of Y = (y + y_offset) * output_multiplier (MulByChannelScales), for
// output_shift <= 0 and output_multiplier >= 0: out[i] for i < n. Reads 16
// entries of y_high / y_low from each 16-element step's start (pad them).
void Qs8MulScaledRowAvx2(const MulParams& p, int32_t x_offset, const int8_t* x,
                         const int32_t* y_high, const int32_t* y_low, int8_t* out, int64_t n);

}  // namespace pyrt
