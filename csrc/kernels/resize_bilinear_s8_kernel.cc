#include "kernels/resize_bilinear_s8_kernel.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/resize_bilinear_s8_avx2.h"
#endif

namespace pyrt {

BilinearRowS8Fn BilinearRowS8For(Isa isa) {
#if defined(__x86_64__)
  if (IsaAtLeast(isa, Isa::kAvx2)) return BilinearRowS8Avx2;
#endif
  (void)isa;
  return BilinearRowS8;
}

}  // namespace pyrt
