// Hybrid GEMM microkernel for ARMv8.0 NEON: up to 4 rows x 16 columns, A as
// q - zero_point in int16, k in pairs (the kS16 format of the portable
// kernel); smlal by scalar: int16 x int16 products added into int32 lanes,
// wrapping as LiteRT's sums. The float epilogue of hybrid_gemm_ukernel.h.
#pragma once

#include "kernels/hybrid_gemm_ukernel.h"

namespace pyrt {

constexpr int kHybridGemmNeonMr = 4;
constexpr int kHybridGemmNeonNr = 16;

void HybridGemm4x16c2Neon(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                          const int8_t* b, float* c, size_t c_stride,
                          const HybridGemmEpilogue& ep, int m0, int n0);

}  // namespace pyrt
