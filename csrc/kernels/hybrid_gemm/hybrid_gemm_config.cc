#include "kernels/hybrid_gemm/hybrid_gemm_config.h"

#include "kernels/hybrid_gemm.h"

#if defined(__x86_64__)
#include "kernels/hybrid_gemm/avx512vnni/hybrid_gemm_8x32c4_avx512vnni.h"
#include "kernels/x86/avx2/hybrid_gemm_6x16c2_avx2.h"
#define PYRT_HAVE_X86_HYBRID_KERNELS 1
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
  (void)isa;
  return portable;
}

}  // namespace pyrt
