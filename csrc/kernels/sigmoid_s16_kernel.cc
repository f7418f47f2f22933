#include "kernels/sigmoid_s16_kernel.h"

#include <algorithm>

#include "core/thread_pool.h"
#include "core/unit_ranges.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/sigmoid_s16_avx2.h"
#include "kernels/x86/avx512vnni/sigmoid_s16_avx512.h"
#endif

namespace pyrt {
namespace {

// Below this many elements a second thread costs more than it saves.
constexpr int64_t kMinElementsPerTask = 16384;

}  // namespace

void SigmoidS16Kernel::Init(Isa isa, const LogisticS16Params& p, bool tanh) {
  p_ = p;
  row_ = tanh ? TanhS16 : LogisticS16;
  simd_ = false;
#if defined(__x86_64__)
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) {
    row_ = tanh ? TanhS16Avx512 : LogisticS16Avx512;
    simd_ = true;
  } else if (IsaAtLeast(isa, Isa::kAvx2)) {
    row_ = tanh ? TanhS16Avx2 : LogisticS16Avx2;
    simd_ = true;
  }
#endif
  (void)isa;
}

void SigmoidS16Kernel::Run(int64_t n, const int16_t* input, int16_t* output,
                           ThreadPool* pool) const {
  ParallelSlices(pool, n, kMinElementsPerTask, [&](int64_t begin, int64_t end) {
    row_(p_, input + begin, output + begin, end - begin);
  });
}

}  // namespace pyrt
