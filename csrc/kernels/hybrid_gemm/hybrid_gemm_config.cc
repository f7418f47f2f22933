#include "kernels/hybrid_gemm/hybrid_gemm_config.h"

#include "kernels/hybrid_gemm.h"

#if defined(__x86_64__)
#include "kernels/hybrid_gemm/avx512vnni/hybrid_gemm_8x32c4_avx512vnni.h"
#include "kernels/x86/avx2/hybrid_gemm_6x16c2_avx2.h"
#define PYRT_HAVE_X86_HYBRID_KERNELS 1
#endif
#if defined(__aarch64__)
#include "kernels/hybrid_gemm/neon/hybrid_gemm_4x16c2_neon.h"
#include "kernels/hybrid_gemm/neondot/hybrid_gemm_4x16c4_neondot.h"
#define PYRT_HAVE_ARM_HYBRID_KERNELS 1
#endif

namespace pyrt {

const HybridGemmConfig& HybridGemmConfigFor(Isa isa) {
  auto s16 = [](const char* name, HybridGemmUkernel ukernel) {
    HybridGemmConfig c;
    c.name = name;
    c.mr = 6;
    c.nr = 16;
    c.kr = 2;
    c.input = HybridGemmInput::kS16;
    c.s16 = ukernel;
    return c;
  };
  static const HybridGemmConfig portable = s16("hybrid_gemm_6x16c2_portable", HybridGemmPortable);
#ifdef PYRT_HAVE_X86_HYBRID_KERNELS
  static const HybridGemmConfig avx2 = s16("hybrid_gemm_6x16c2_avx2", HybridGemm6x16c2Avx2);
  static const HybridGemmConfig avx512vnni = [] {
    HybridGemmConfig c;
    c.name = "hybrid_gemm_8x32c4_avx512vnni";
    c.mr = kHybridGemmAvx512VnniMr;
    c.nr = kHybridGemmAvx512VnniNr;
    c.kr = 4;
    c.input = HybridGemmInput::kU8Offset128;
    c.u8 = HybridGemm8x32c4Avx512Vnni;
    return c;
  }();
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return avx512vnni;
  if (IsaAtLeast(isa, Isa::kAvx2)) return avx2;
#endif
#ifdef PYRT_HAVE_ARM_HYBRID_KERNELS
  static const HybridGemmConfig neon = [] {
    HybridGemmConfig c;
    c.name = "hybrid_gemm_4x16c2_neon";
    c.mr = kHybridGemmNeonMr;
    c.nr = kHybridGemmNeonNr;
    c.kr = 2;
    c.input = HybridGemmInput::kS16;
    c.s16 = HybridGemm4x16c2Neon;
    return c;
  }();
  static const HybridGemmConfig neondot = [] {
    HybridGemmConfig c;
    c.name = "hybrid_gemm_4x16c4_neondot";
    c.mr = kHybridGemmNeonDotMr;
    c.nr = kHybridGemmNeonDotNr;
    c.kr = 4;
    c.input = HybridGemmInput::kS8;
    c.s8 = HybridGemm4x16c4NeonDot;
    return c;
  }();
  if (IsaAtLeast(isa, Isa::kNeonDot)) return neondot;
  if (IsaAtLeast(isa, Isa::kNeon)) return neon;
#endif
  (void)isa;
  return portable;
}

}  // namespace pyrt
