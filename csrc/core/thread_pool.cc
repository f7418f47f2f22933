#include "core/thread_pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace pyrt {

template <typename Pred>
bool ThreadPool::SpinFor(Pred pred) {
  constexpr auto kBudget = std::chrono::microseconds(300);
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

ThreadPool::ThreadPool(int num_threads) {
  for (int i = 1; i < num_threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::RunTasks() {
  for (int i = next_task_.fetch_add(1); i < num_tasks_; i = next_task_.fetch_add(1)) (*task_)(i);
}

void ThreadPool::ParallelFor(int num_tasks, const std::function<void(int)>& task) {
  if (num_tasks <= 0) return;
  if (workers_.empty() || num_tasks == 1) {
    for (int i = 0; i < num_tasks; ++i) task(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &task;
    num_tasks_ = num_tasks;
    next_task_.store(0);
    busy_workers_.store(static_cast<int>(workers_.size()));
    generation_.fetch_add(1, std::memory_order_release);  // publishes the fields above
  }
  wake_.notify_all();
  RunTasks();
  auto all_done = [this] { return busy_workers_.load(std::memory_order_acquire) == 0; };
  if (!SpinFor(all_done)) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, all_done);
  }
  task_ = nullptr;
}

void ThreadPool::WorkerLoop() {
  uint64_t seen = 0;
  auto new_job = [&] { return generation_.load(std::memory_order_acquire) != seen; };
  for (;;) {
    if (!SpinFor(new_job)) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || new_job(); });
      if (stop_) return;
    }
    seen = generation_.load(std::memory_order_acquire);
    RunTasks();
    if (busy_workers_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);  // the caller may be about to wait
      done_.notify_one();
    }
  }
}

}  // namespace pyrt
