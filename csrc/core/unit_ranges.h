// Units of work [0, units) shared by `parts` workers, each starting on its
// own contiguous range: with ThreadPool's stable task indices (task 0 on
// the calling thread), a thread runs the same rows of an op every invoke,
// and the rows the previous op wrote, so their cache lines stay in its core
// instead of moving across (on a 2-core Zen 3 VM a padded copy took 52 us
// instead of 15 when the other core had last read it). A part that runs out
// takes units from the end of another's range, so a worker that other load
// slows down still takes fewer.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "core/thread_pool.h"

namespace pyrt {

class UnitRanges {
 public:
  static constexpr int kMaxParts = 16;

  // parts is clamped to [1, kMaxParts].
  UnitRanges(int units, int parts) : parts_(std::clamp(parts, 1, kMaxParts)) {
    for (int p = 0; p < parts_; ++p) {
      const uint64_t begin = static_cast<uint64_t>(units) * p / parts_;
      const uint64_t end = static_cast<uint64_t>(units) * (p + 1) / parts_;
      range_[p].word.store(begin << 32 | end, std::memory_order_relaxed);
    }
  }
  UnitRanges(const UnitRanges&) = delete;
  UnitRanges& operator=(const UnitRanges&) = delete;

  int parts() const { return parts_; }

  // The next unit for part `part` (any value; taken modulo parts()): the
  // front of its own range, else the back of another's; -1 when none is left.
  int Next(int part) {
    part %= parts_;
    if (const int u = Take(range_[part].word, /*front=*/true); u >= 0) return u;
    for (int i = 1; i < parts_; ++i) {
      if (const int u = Take(range_[(part + i) % parts_].word, /*front=*/false); u >= 0) return u;
    }
    return -1;
  }

 private:
  static int Take(std::atomic<uint64_t>& word, bool front) {
    uint64_t r = word.load(std::memory_order_relaxed);
    for (;;) {
      const uint64_t begin = r >> 32, end = r & 0xffffffffu;
      if (begin >= end) return -1;
      const uint64_t next = front ? r + (uint64_t{1} << 32) : r - 1;
      if (word.compare_exchange_weak(r, next, std::memory_order_relaxed))
        return static_cast<int>(front ? begin : end - 1);
    }
  }

  // One cache line per range: the parts claim at the same time.
  struct alignas(64) Range {
    std::atomic<uint64_t> word{0};
  };
  Range range_[kMaxParts];
  int parts_;
};

// Runs unit(worker, u) for u in [0, units) on up to max_workers workers,
// one per thread of pool at most (inline as worker 0 without one), each
// starting on its own contiguous range; worker (in [0, max_workers)) picks
// the worker's own scratch.
template <typename Unit>
void ParallelUnitsOnWorkers(ThreadPool* pool, int units, int max_workers, Unit&& unit) {
  const int workers = pool ? std::min({pool->num_threads(), max_workers, units}) : 1;
  if (workers <= 1) {
    for (int u = 0; u < units; ++u) unit(0, u);
    return;
  }
  UnitRanges ranges(units, workers);
  pool->ParallelFor(workers, [&](int w) {
    for (int u = ranges.Next(w); u >= 0; u = ranges.Next(w)) unit(w, u);
  });
}

// Runs unit(u) for u in [0, units) on up to one worker per thread of pool
// (or inline without one), each starting on its own contiguous range.
template <typename Unit>
void ParallelUnits(ThreadPool* pool, int units, Unit&& unit) {
  ParallelUnitsOnWorkers(pool, units, units, [&](int, int u) { unit(u); });
}

// Runs slice(begin, end) over [0, n) in slices of at least min_per_slice
// elements (one slice without a pool of several threads; else up to 4 per
// thread, so a slowed worker takes fewer), their boundaries on multiples of
// 64 elements (whole SIMD steps and cache lines): elementwise kernels.
template <typename Slice>
void ParallelSlices(ThreadPool* pool, int64_t n, int64_t min_per_slice, Slice&& slice) {
  const int threads = pool ? pool->num_threads() : 1;
  const int slices = static_cast<int>(std::max<int64_t>(
      1, std::min<int64_t>(threads == 1 ? 1 : 4 * threads, n / min_per_slice)));
  ParallelUnits(pool, slices, [&](int s) {
    const int64_t begin = n * s / slices / 64 * 64;
    const int64_t end = s + 1 == slices ? n : n * (s + 1) / slices / 64 * 64;
    slice(begin, end);
  });
}

}  // namespace pyrt
