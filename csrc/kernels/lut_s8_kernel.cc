#include "kernels/lut_s8_kernel.h"

#include <algorithm>
#include <cstring>

#include "kernels/reference/activations_s8.h"
#include "core/thread_pool.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/x8_lut_avx2.h"
#define PYRT_HAVE_AVX2_KERNELS 1
#endif
#if defined(__aarch64__)
#include "kernels/arm/neon/x8_lut_neon.h"
#define PYRT_HAVE_NEON_KERNELS 1
#endif

namespace pyrt {
namespace {

// Below this many elements a second thread costs more than it saves. With
// several threads the range is cut into up to 4 tasks per thread, handed
// out dynamically, so a thread slowed by other load takes fewer.
constexpr int64_t kMinElementsPerTask = 32768;

}  // namespace

void LutS8Kernel::Init(Isa isa, const int8_t lut[256]) {
  std::memcpy(lut_, lut, sizeof(lut_));
  simd_ = false;
#ifdef PYRT_HAVE_AVX2_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx2)) {
    PackX8LutAvx2(lut_, packed_);
    simd_ = true;
  }
#endif
#ifdef PYRT_HAVE_NEON_KERNELS
  simd_ = IsaAtLeast(isa, Isa::kNeon);  // reads lut_ itself
#endif
}

void LutS8Kernel::Run(int64_t n, const int8_t* input, int8_t* output, ThreadPool* pool) const {
  const int threads = pool ? pool->num_threads() : 1;
  const int tasks = static_cast<int>(std::max<int64_t>(
      1, std::min<int64_t>(threads == 1 ? 1 : 4 * threads, n / kMinElementsPerTask)));
  auto task = [&](int t) {
    const int64_t begin = n * t / tasks / 64 * 64;
    const int64_t end = t + 1 == tasks ? n : n * (t + 1) / tasks / 64 * 64;
#ifdef PYRT_HAVE_AVX2_KERNELS
    if (simd_) return X8LutAvx2(packed_, end - begin, input + begin, output + begin);
#endif
#ifdef PYRT_HAVE_NEON_KERNELS
    if (simd_) return X8LutNeon(lut_, end - begin, input + begin, output + begin);
#endif
    LookupTableS8(lut_, end - begin, input + begin, output + begin);
  };
  if (tasks == 1) {
    task(0);
  } else {
    pool->ParallelFor(tasks, task);
  }
}

}  // namespace pyrt
