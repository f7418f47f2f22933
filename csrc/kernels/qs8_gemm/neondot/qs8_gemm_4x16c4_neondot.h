// int8 GEMM microkernels for ARMv8.2 dotprod: up to 4 rows x 16 columns, k
// in quads (sdot: s8 x s8 products summed into int32, exact). A rows stay
// int8; weights packed [kp / 4][16][4].
#pragma once

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

constexpr int kQs8GemmNeonDotMr = 4;
constexpr int kQs8GemmNeonDotNr = 16;

// Requantization as TFLite's MultiplyByQuantizedMultiplier (gemmlowp).
void Qs8Gemm4x16c4GemmlowpNeonDot(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                                  const int8_t* b, int8_t* c, size_t c_stride,
                                  const Qs8GemmEpilogue& ep);

// Requantization in double, halves away from zero (FULLY_CONNECTED).
void Qs8Gemm4x16c4Fp64NeonDot(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                              const int8_t* b, int8_t* c, size_t c_stride,
                              const Qs8GemmEpilogue& ep);

}  // namespace pyrt
