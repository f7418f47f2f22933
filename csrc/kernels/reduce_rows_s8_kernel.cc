#include "kernels/reduce_rows_s8_kernel.h"

#if defined(__x86_64__)
#include "kernels/x86/avx512vnni/reduce_rows_s8_avx512.h"
#endif
#if defined(__aarch64__)
#include "kernels/arm/neon/reduce_rows_s8_neon.h"
#endif

namespace pyrt {

AccumulateRowsS8Fn AccumulateRowsS8For(Isa isa) {
#if defined(__x86_64__)
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return AccumulateRowsS8Avx512;
#endif
#if defined(__aarch64__)
  if (IsaAtLeast(isa, Isa::kNeon)) return AccumulateRowsS8Neon;
#endif
  (void)isa;
  return nullptr;
}

}  // namespace pyrt
