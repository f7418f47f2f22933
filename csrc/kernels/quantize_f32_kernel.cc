#include "kernels/quantize_f32_kernel.h"

#if defined(__x86_64__)
#include "kernels/x86/avx512vnni/quantize_f32_s8_avx512.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif

namespace pyrt {

AffineQuantizeS8Fn AffineQuantizeS8For(Isa isa) {
#ifdef PYRT_HAVE_X86_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return AffineQuantizeS8Avx512;
#endif
  (void)isa;
  return nullptr;
}

AffineQuantizeS16Fn AffineQuantizeS16For(Isa isa) {
#ifdef PYRT_HAVE_X86_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return AffineQuantizeS16Avx512;
#endif
  (void)isa;
  return nullptr;
}

}  // namespace pyrt
