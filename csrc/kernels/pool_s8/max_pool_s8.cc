#include "kernels/pool_s8/max_pool_s8.h"

#if defined(__x86_64__)
#include "kernels/pool_s8/avx2/max_pool_s8_avx2.h"
#endif

namespace pyrt {

MaxPoolS8Fn MaxPoolS8For(Isa isa) {
#if defined(__x86_64__)
  if (IsaAtLeast(isa, Isa::kAvx2)) return MaxPoolS8Avx2;
#endif
  (void)isa;
  return MaxPoolQ<int8_t>;
}

}  // namespace pyrt
