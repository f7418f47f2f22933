#include "kernels/reduce_rows_s8_kernel.h"

#include <algorithm>

#include "core/thread_pool.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/reduce_rows_s8_avx2.h"
#include "kernels/x86/avx512vnni/reduce_rows_s8_avx512.h"
#endif
#if defined(__aarch64__)
#include "kernels/arm/neon/reduce_rows_s8_neon.h"
#endif

namespace pyrt {

AccumulateRowsS8Fn AccumulateRowsS8For(Isa isa) {
#if defined(__x86_64__)
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return AccumulateRowsS8Avx512;
  if (IsaAtLeast(isa, Isa::kAvx2)) return AccumulateRowsS8Avx2;
#endif
#if defined(__aarch64__)
  if (IsaAtLeast(isa, Isa::kNeon)) return AccumulateRowsS8Neon;
#endif
  (void)isa;
  return nullptr;
}

namespace {

// Below this many input elements per task a split costs more than it saves.
constexpr int64_t kMinElementsPerTask = 16384;

}  // namespace

void SumRowsS8(AccumulateRowsS8Fn fn, const int8_t* in, int64_t rows, int64_t n, int32_t* sums,
               int32_t* partial, ThreadPool* pool) {
  const int threads = pool ? pool->num_threads() : 1;
  const int tasks = static_cast<int>(std::max<int64_t>(
      1, std::min<int64_t>({threads, kSumRowsS8MaxTasks, rows, rows * n / kMinElementsPerTask})));
  std::fill(sums, sums + n, 0);
  if (tasks == 1) {
    fn(in, rows, n, sums);
    return;
  }
  pool->ParallelFor(tasks, [&](int t) {
    const int64_t r0 = rows * t / tasks, r1 = rows * (t + 1) / tasks;
    int32_t* own = partial + t * n;
    std::fill(own, own + n, 0);
    fn(in + r0 * n, r1 - r0, n, own);
  });
  for (int t = 0; t < tasks; ++t) {
    const int32_t* own = partial + t * n;
    for (int64_t i = 0; i < n; ++i)
      sums[i] = static_cast<int32_t>(static_cast<uint32_t>(sums[i]) + static_cast<uint32_t>(own[i]));
  }
}

}  // namespace pyrt
