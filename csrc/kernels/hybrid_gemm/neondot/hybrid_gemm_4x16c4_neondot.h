// Hybrid GEMM microkernel for ARMv8.2 dotprod: up to 4 rows x 16 columns, A
// as q itself in int8 (the kS8 format: padding taps hold the zero point), k
// in quads (sdot: s8 x s8 products summed into int32, wrapping); subtracts
// zero_point * column sum afterwards, then the float epilogue of
// hybrid_gemm_ukernel.h.
#pragma once

#include "kernels/hybrid_gemm_ukernel.h"

namespace pyrt {

constexpr int kHybridGemmNeonDotMr = 4;
constexpr int kHybridGemmNeonDotNr = 16;

void HybridGemm4x16c4NeonDot(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                             const int8_t* b, float* c, size_t c_stride,
                             const HybridGemmEpilogue& ep, int m0, int n0);

}  // namespace pyrt
