// int8 ADD/SUB and MUL rows (and the int16 MUL row) for the avx512vnni path (AVX-512 F/BW), 16
// elements per step in 32-bit lanes: the zmm twin of
// kernels/x86/avx2/qs8_vbinary_avx2.h, bit-identical to AddSubRowQ8 /
// MulRowQ8 (kernels/reference/binary_s8.h).
#pragma once

#include <cstdint>

#include "kernels/reference/binary_s8.h"

namespace pyrt {

// out[i] = op(a[i * sa], b[i * sb]) for i < n; sa, sb in {0, 1}.
void Qs8AddSubRowAvx512(const AddSubParams& p, const int8_t* a, int64_t sa, const int8_t* b,
                        int64_t sb, int8_t* out, int64_t n);
void Qs8MulRowAvx512(const MulParams& p, const int8_t* a, int64_t sa, const int8_t* b,
                     int64_t sb, int8_t* out, int64_t n);
// int16 MUL (Qs16MulRowAvx2 32 elements a step); needs input offsets 0.
void Qs16MulRowAvx512(const MulParams& p, const int16_t* a, int64_t sa, const int16_t* b,
                      int64_t sb, int16_t* out, int64_t n);
// Qs8MulScaledRowAvx2 (kernels/x86/avx2/qs8_vbinary_avx2.h) 16 lanes wide;
// reads no entry of y_high / y_low past n.
void Qs8MulScaledRowAvx512(const MulParams& p, int32_t x_offset, const int8_t* x,
                           const int32_t* y_high, const int32_t* y_low, int8_t* out, int64_t n);

}  // namespace pyrt
