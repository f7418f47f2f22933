// int8 GEMM microkernels for AVX2: 6 rows x 16 columns, k in pairs
// (vpmaddwd on sign-extended int16, exact: no saturating vpmaddubsw). The
// int8 weights are widened as they are loaded (vpmovsxbw).
#pragma once

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

constexpr int kQs8GemmAvx2Mr = 6;
constexpr int kQs8GemmAvx2Nr = 16;

// Requantization as TFLite's MultiplyByQuantizedMultiplier (gemmlowp).
void Qs8Gemm6x16c2GemmlowpAvx2(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                               const int8_t* b, int8_t* c, size_t c_stride,
                               const Qs8GemmEpilogue& ep);

// Requantization in double with rounding half away from zero (the
// FULLY_CONNECTED reference).
void Qs8Gemm6x16c2Fp64Avx2(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                           const int8_t* b, int8_t* c, size_t c_stride,
                           const Qs8GemmEpilogue& ep);

}  // namespace pyrt
