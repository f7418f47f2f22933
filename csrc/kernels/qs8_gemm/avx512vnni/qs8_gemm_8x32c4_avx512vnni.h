// int8 GEMM microkernels for AVX-512 VNNI: up to 8 rows x 32 columns, k in
// quads (zmm vpdpbusd: u8 x s8 products summed into int32 without
// saturation, so exact). A holds x + 128 as uint8; the packed bias folds
// -128 * sum(w). Panels of 16 columns or fewer use half the accumulators.
#pragma once

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

constexpr int kQs8GemmAvx512VnniMr = 8;
constexpr int kQs8GemmAvx512VnniNr = 32;

// Requantization as TFLite's MultiplyByQuantizedMultiplier (gemmlowp).
void Qs8Gemm8x32c4GemmlowpAvx512Vnni(int mr, int nr, int kp, const uint8_t* a, size_t a_stride,
                                     const int8_t* b, int8_t* c, size_t c_stride,
                                     const Qs8GemmEpilogue& ep);

// The gemmlowp kernel on int8 A (Qs8GemmS8Ukernel), read in place: each
// broadcast quad's sign bits flipped gives the x + 128 the packed bias expects.
void Qs8Gemm8x32c4GemmlowpFlippedS8Avx512Vnni(int mr, int nr, int kp, const int8_t* a,
                                              size_t a_stride, const int8_t* b, int8_t* c,
                                              size_t c_stride, const Qs8GemmEpilogue& ep);

// Requantization in double with rounding half away from zero (the
// FULLY_CONNECTED reference).
void Qs8Gemm8x32c4Fp64Avx512Vnni(int mr, int nr, int kp, const uint8_t* a, size_t a_stride,
                                 const int8_t* b, int8_t* c, size_t c_stride,
                                 const Qs8GemmEpilogue& ep);

// The gemmlowp kernel with A rows in segments (Qs8GemmU8SegmentedUkernel:
// a convolution read in place from an x + 128 padded copy of its input).
void Qs8Gemm8x32c4SegmentedGemmlowpAvx512Vnni(int mr, int nr, int segments, int segment_kp,
                                              size_t segment_stride, const uint8_t* const* a, const int8_t* b, int8_t* c,
                                              size_t c_stride, const Qs8GemmEpilogue& ep);

}  // namespace pyrt
