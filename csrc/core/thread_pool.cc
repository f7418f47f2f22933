#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace pyrt {

template <typename Pred>
bool ThreadPool::SpinFor(Pred pred) {
  constexpr auto kBudget = std::chrono::microseconds(2000);
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (pred()) return true;
#if defined(__x86_64__) || defined(__i386__)
      _mm_pause();
#endif
    }
    if (std::chrono::steady_clock::now() - start > kBudget) return pred();
  }
}

ThreadPool::ThreadPool(int num_threads) : num_threads_(std::max(num_threads, 1)) {}

// At the first job, not at construction: a new worker spins at once (which
// also settles it on an idle core), and spinning beside the thread loading
// the model made a 2-thread MobileNetV2 load 2 ms longer. (Sleeping until
// the first job instead left the threads sharing a core: 30% slower
// invokes.)
void ThreadPool::StartWorkers() {
  for (int i = 1; i < num_threads_; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::RunTasks(uint64_t job) {
  for (;;) {
    const uint64_t index = job & kIndexMask;
    const uint64_t count = (job >> kIndexBits) & kIndexMask;
    if (index >= count) return;
    // Succeeds only while this job is current and task `index` unclaimed;
    // on failure `job` is reloaded (a newer job is then run from its start).
    if (!job_.compare_exchange_weak(job, job + 1, std::memory_order_acq_rel,
                                    std::memory_order_acquire))
      continue;
    // The job cannot end before this task does, so task_ is still its own.
    const auto* task = task_.load(std::memory_order_relaxed);
    (*task)(static_cast<int>(index));
    if (tasks_done_.fetch_add(1, std::memory_order_acq_rel) + 1 == static_cast<int>(count)) {
      std::lock_guard<std::mutex> lock(mutex_);  // the caller may be about to wait
      done_.notify_one();
    }
    job = job_.load(std::memory_order_acquire);
  }
}

void ThreadPool::ParallelFor(int num_tasks, const std::function<void(int)>& task) {
  if (num_tasks <= 0) return;
  if (num_threads_ == 1 || num_tasks == 1) {
    for (int i = 0; i < num_tasks; ++i) task(i);
    return;
  }
  if (workers_.empty()) StartWorkers();
  for (int first = 0; first < num_tasks; first += kMaxTasksPerJob) {
    const int count = std::min(kMaxTasksPerJob, num_tasks - first);
    if (first == 0 && count == num_tasks) {
      RunJob(count, task);
    } else {
      const std::function<void(int)> shifted = [&](int i) { task(first + i); };
      RunJob(count, shifted);
    }
  }
}

void ThreadPool::RunJob(int num_tasks, const std::function<void(int)>& task) {
  const uint64_t generation = (job_.load(std::memory_order_relaxed) >> (2 * kIndexBits)) + 1;
  // Task 0 is the caller's (the workers claim from 1): with 2 threads each
  // thread runs the same task index every job, which UnitRanges turns
  // into the same data.
  const uint64_t job = (generation << (2 * kIndexBits)) |
                       (static_cast<uint64_t>(num_tasks) << kIndexBits) | 1;
  // No task of the previous job is running, so nobody reads these now.
  task_.store(&task, std::memory_order_relaxed);
  tasks_done_.store(0, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_.store(job, std::memory_order_release);  // publishes the fields above
  }
  wake_.notify_all();
  task(0);
  tasks_done_.fetch_add(1, std::memory_order_acq_rel);
  RunTasks(job_.load(std::memory_order_acquire));
  auto all_done = [&] { return tasks_done_.load(std::memory_order_acquire) == num_tasks; };
  if (!SpinFor(all_done)) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, all_done);
  }
}

void ThreadPool::WorkerLoop() {
  uint64_t seen = 0;
  auto new_job = [&] {
    return stop_.load(std::memory_order_acquire) ||
           (job_.load(std::memory_order_acquire) >> (2 * kIndexBits)) != seen;
  };
  for (;;) {
    if (!SpinFor(new_job)) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, new_job);
    }
    if (stop_.load(std::memory_order_acquire)) return;
    const uint64_t job = job_.load(std::memory_order_acquire);
    seen = job >> (2 * kIndexBits);
    RunTasks(job);
  }
}

}  // namespace pyrt
