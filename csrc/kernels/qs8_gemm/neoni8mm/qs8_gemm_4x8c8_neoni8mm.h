// int8 GEMM microkernels for ARMv8.6 i8mm: up to 4 rows x 8 columns, k in
// groups of 8 (smmla: a 2x8 by 8x2 s8 matrix product into a 2x2 int32 tile,
// exact). A rows stay int8; weights packed [kp / 8][8][8] (two columns of 8
// k are one smmla operand), as for the neon kernels.
#pragma once

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

constexpr int kQs8GemmNeonI8mmMr = 4;
constexpr int kQs8GemmNeonI8mmNr = 8;

// Requantization as TFLite's MultiplyByQuantizedMultiplier (gemmlowp).
void Qs8Gemm4x8c8GemmlowpNeonI8mm(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                                  const int8_t* b, int8_t* c, size_t c_stride,
                                  const Qs8GemmEpilogue& ep);

// Requantization in double, halves away from zero (FULLY_CONNECTED).
void Qs8Gemm4x8c8Fp64NeonI8mm(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                              const int8_t* b, int8_t* c, size_t c_stride,
                              const Qs8GemmEpilogue& ep);

}  // namespace pyrt
