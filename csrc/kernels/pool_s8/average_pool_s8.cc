#include "kernels/pool_s8/average_pool_s8.h"

#if defined(__x86_64__)
#include "kernels/pool_s8/avx2/average_pool_s8_avx2.h"
#include "kernels/pool_s8/avx512vnni/average_pool_s8_avx512.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif

namespace pyrt {

AveragePoolS8Fn AveragePoolS8For(Isa isa, const PoolGeometry& g) {
#ifdef PYRT_HAVE_X86_KERNELS
  if (int64_t{g.filter_h} * g.filter_w <= kMaxSimdAveragePoolCells) {
    if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return AveragePoolS8Avx512;
    if (IsaAtLeast(isa, Isa::kAvx2)) return AveragePoolS8Avx2;
  }
#endif
  (void)isa;
  (void)g;
  return AveragePoolQ<int8_t>;
}

}  // namespace pyrt
