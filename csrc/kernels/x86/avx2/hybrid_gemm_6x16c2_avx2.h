// Hybrid GEMM microkernel for AVX2: 6 rows x 16 columns, k in pairs
// (vpmaddwd on int16, exact), float epilogue of hybrid_gemm_ukernel.h.
#pragma once

#include "kernels/hybrid_gemm_ukernel.h"

namespace pyrt {

void HybridGemm6x16c2Avx2(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                          const int8_t* b, float* c, size_t c_stride,
                          const HybridGemmEpilogue& ep, int m0, int n0);

}  // namespace pyrt
