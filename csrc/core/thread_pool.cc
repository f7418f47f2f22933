#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <map>

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#endif

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

namespace {

// Counts the fork()s into this process's line: a pool's threads belong to
// the process that started them, so a child starts its own.
uint64_t ForkGeneration() {
  static std::atomic<uint64_t> generation{0};
#if defined(__unix__) || defined(__APPLE__)
  static const bool registered =
      pthread_atfork(nullptr, nullptr, [] { generation.fetch_add(1); }) == 0;
  (void)registered;
#endif
  return generation.load(std::memory_order_relaxed);
}

}  // namespace

ThreadPool::ThreadPool(int num_threads)
    : num_threads_(std::max(num_threads, 1)), sync_(std::make_unique<Sync>()) {}

std::shared_ptr<ThreadPool> ThreadPool::Shared(int num_threads) {
  // Never destroyed: interpreters may outlive static destruction at exit.
  static auto* mutex = new std::mutex;
  static auto* pools = new std::map<int, std::weak_ptr<ThreadPool>>;
  std::lock_guard<std::mutex> lock(*mutex);
  std::weak_ptr<ThreadPool>& slot = (*pools)[num_threads];
  std::shared_ptr<ThreadPool> pool = slot.lock();
  if (!pool) {
    pool = std::make_shared<ThreadPool>(num_threads);
    slot = pool;
  }
  return pool;
}

// At the first job, not at construction: a new worker spins at once (which
// also settles it on an idle core), and spinning beside the thread loading
// the model made a 2-thread MobileNetV2 load 2 ms longer. (Sleeping until
// the first job instead left the threads sharing a core: 30% slower
// invokes.)
void ThreadPool::EnsureWorkers() {
  const uint64_t generation = ForkGeneration();
  if (!workers_.empty() && workers_fork_generation_ == generation) return;
  if (!workers_.empty()) ForgetParentWorkers();
  workers_fork_generation_ = generation;
  for (int i = 1; i < num_threads_; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

// In a forked child the parent's threads do not exist, and the mutex and
// condition variables may hold their state (glibc's notify waits for a
// waiter that will never wake: a hang): the handles and the old
// synchronization state are let go, never touched again.
void ThreadPool::ForgetParentWorkers() {
  for (auto& w : workers_) w.detach();
  workers_.clear();
  (void)sync_.release();
  sync_ = std::make_unique<Sync>();
}

ThreadPool::~ThreadPool() {
  if (!workers_.empty() && workers_fork_generation_ != ForkGeneration()) ForgetParentWorkers();
  {
    std::lock_guard<std::mutex> lock(sync_->mutex);
    stop_.store(true, std::memory_order_release);
  }
  sync_->wake.notify_all();
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
      std::lock_guard<std::mutex> lock(sync_->mutex);  // the caller may be about to wait
      sync_->done.notify_one();
    }
    job = job_.load(std::memory_order_acquire);
  }
}

void ThreadPool::ParallelFor(int num_tasks, const std::function<void(int)>& task) {
  if (num_tasks <= 0) return;
  // Inline, in order: one thread, one task, or the pool busy with another
  // caller's job (or this caller's own: a nested call).
  if (num_threads_ == 1 || num_tasks == 1 || busy_.exchange(true, std::memory_order_acq_rel)) {
    for (int i = 0; i < num_tasks; ++i) task(i);
    return;
  }
  EnsureWorkers();
  for (int first = 0; first < num_tasks; first += kMaxTasksPerJob) {
    const int count = std::min(kMaxTasksPerJob, num_tasks - first);
    if (first == 0 && count == num_tasks) {
      RunJob(count, task);
    } else {
      const std::function<void(int)> shifted = [&](int i) { task(first + i); };
      RunJob(count, shifted);
    }
  }
  busy_.store(false, std::memory_order_release);
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
    std::lock_guard<std::mutex> lock(sync_->mutex);
    job_.store(job, std::memory_order_release);  // publishes the fields above
  }
  sync_->wake.notify_all();
  task(0);
  tasks_done_.fetch_add(1, std::memory_order_acq_rel);
  RunTasks(job_.load(std::memory_order_acquire));
  auto all_done = [&] { return tasks_done_.load(std::memory_order_acquire) == num_tasks; };
  if (!SpinFor(all_done)) {
    std::unique_lock<std::mutex> lock(sync_->mutex);
    sync_->done.wait(lock, all_done);
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
      std::unique_lock<std::mutex> lock(sync_->mutex);
      sync_->wake.wait(lock, new_job);
    }
    if (stop_.load(std::memory_order_acquire)) return;
    const uint64_t job = job_.load(std::memory_order_acquire);
    seen = job >> (2 * kIndexBits);
    RunTasks(job);
  }
}

}  // namespace pyrt
