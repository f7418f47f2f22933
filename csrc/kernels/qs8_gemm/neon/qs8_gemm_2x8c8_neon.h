// int8 GEMM microkernels for ARMv8.0 NEON: up to 2 rows x 8 columns, k in
// groups of 8 (smull: 8 s8 x s8 products as int16, each fits; sadalp: pairs
// of them added into int32 lanes, exact). A rows stay int8; weights packed
// [kp / 8][8][8], the packing of the neoni8mm kernels too.
#pragma once

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

constexpr int kQs8GemmNeonMr = 2;
constexpr int kQs8GemmNeonNr = 8;

// Requantization as TFLite's MultiplyByQuantizedMultiplier (gemmlowp).
void Qs8Gemm2x8c8GemmlowpNeon(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                              const int8_t* b, int8_t* c, size_t c_stride,
                              const Qs8GemmEpilogue& ep);

// Requantization in double, halves away from zero (FULLY_CONNECTED).
void Qs8Gemm2x8c8Fp64Neon(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                          const int8_t* b, int8_t* c, size_t c_stride,
                          const Qs8GemmEpilogue& ep);

}  // namespace pyrt
