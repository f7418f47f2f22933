// Hybrid GEMM microkernel for AVX-512 VNNI: up to 8 rows x 32 columns, k in
// quads (zmm vpdpbusd: u8 x s8 products summed into int32, wrapping, no
// saturation), A as q + 128; the float epilogue of hybrid_gemm_ukernel.h.
#pragma once

#include "kernels/hybrid_gemm_ukernel.h"

namespace pyrt {

constexpr int kHybridGemmAvx512VnniMr = 8;
constexpr int kHybridGemmAvx512VnniNr = 32;

void HybridGemm8x32c4Avx512Vnni(int mr, int nr, int kp, const uint8_t* a, size_t a_stride,
                                const int8_t* b, float* c, size_t c_stride,
                                const HybridGemmEpilogue& ep, int m0, int n0);

}  // namespace pyrt
