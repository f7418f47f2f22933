#include "kernels/f32_gemm/f32_gemm.h"

namespace pyrt {

const F32GemmConfig& F32GemmConfigFor(Isa isa) {
  static const F32GemmConfig kReference{"f32_gemm_6x16_reference", f32_portable::GemmF32Rows,
                                        f32_portable::DepthwiseF32Rows};
#if defined(__x86_64__)
  static const F32GemmConfig kAvx2{"f32_gemm_6x16_fma_avx2", f32_fma_avx2::GemmF32Rows,
                                   f32_fma_avx2::DepthwiseF32Rows, f32_fma_avx2::IgemmF32Rows};
  // Every CPU on the avx512vnni path has AVX-512F (isa.cc checks it).
  static const F32GemmConfig kAvx512{"f32_gemm_8x32_avx512", f32_avx512::GemmF32Rows,
                                     f32_avx512::DepthwiseF32Rows, f32_avx512::IgemmF32Rows,
                                     /*fused_tail=*/true};
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return kAvx512;
  if (IsaAtLeast(isa, Isa::kAvx2)) return kAvx2;
#endif
#if defined(__aarch64__)
  static const F32GemmConfig kNeon{"f32_gemm_6x16_fma_neon", f32_fma_neon::GemmF32Rows,
                                   f32_fma_neon::DepthwiseF32Rows};
  if (IsaAtLeast(isa, Isa::kNeon)) return kNeon;
#endif
  return kReference;
}

const F32GemmConfig& F32GemmBuiltinRoundingConfigFor(Isa isa) {
  static const F32GemmConfig kReference{"f32_gemm_6x16_reference", f32_portable::GemmF32Rows,
                                        f32_portable::DepthwiseF32Rows};
#if defined(__x86_64__)
  static const F32GemmConfig kAvx2{"f32_gemm_6x16_builtin_rounding_avx2",
                                   f32_builtin_avx2::GemmF32Rows,
                                   f32_builtin_avx2::DepthwiseF32Rows};
  // Every CPU on the avx512vnni path has AVX-512F (isa.cc checks it).
  static const F32GemmConfig kAvx512{"f32_builtin_rounding_avx512", f32_builtin_avx512::GemmF32Rows,
                                     f32_builtin_avx512::DepthwiseF32Rows};
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return kAvx512;
  if (IsaAtLeast(isa, Isa::kAvx2)) return kAvx2;
#endif
  (void)isa;
  return kReference;
}

}  // namespace pyrt
