// A persistent pool of worker threads for splitting one op's work.
//
// Workers are created once, by the first job (num_threads - 1 of them; the
// calling thread is the last worker), and wait between jobs: only the first
// invoke creates threads, loading never does.
// ParallelFor hands out task indices dynamically; a task must not depend on
// which thread runs it, which keeps results identical for any thread count.
// The calling thread runs task 0 (the workers claim the rest), so a split
// into one task per thread keeps the caller on the same share every time
// (with 2 threads, both threads: see unit_ranges.h).
//
// ParallelFor returns as soon as every task has run, without waiting for
// idle workers to notice the job: on a busy machine a worker may not be
// scheduled for milliseconds, and the caller then simply runs its share.
// A job's tasks are claimed with a compare-and-swap on one word holding the
// job's generation, task count and next index, so a worker that wakes up
// late can never claim a task of a job that has ended or a newer one.
// Waiting threads (idle workers, the caller waiting for running tasks)
// spin for up to 2 ms before sleeping: consecutive parallel ops (with small
// serial ops between them) hand work over within that, and so do invokes a
// little apart (a Python loop collecting profiles); a condition-variable
// wakeup costs more than many ops (in a 2-core VM ~20 us, paid by the first
// parallel op of an invoke: 300 us left MobileNetV2's stem at 57 us instead
// of 38). XNNPACK's pthreadpool spins 10^6 PAUSEs, several ms.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pyrt {

class ThreadPool {
 public:
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // The process's pool of num_threads threads, created while none is alive.
  static std::shared_ptr<ThreadPool> Shared(int num_threads);

  int num_threads() const { return num_threads_; }

  // Runs task(i) for i in [0, num_tasks) and returns when all are done.
  // Tasks must not throw.
  void ParallelFor(int num_tasks, const std::function<void(int)>& task);

 private:
  // The job word: generation (24 bits) | task count (20) | next index (20).
  static constexpr int kIndexBits = 20;
  static constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;
  static constexpr int kMaxTasksPerJob = static_cast<int>(kIndexMask);

  // Starts the workers at the first job, and again in a forked child.
  void EnsureWorkers();
  void ForgetParentWorkers();
  void RunJob(int num_tasks, const std::function<void(int)>& task);
  void WorkerLoop();
  // Claims and runs tasks of the job in `job` (a loaded job word) until it
  // has none left or a newer job replaced it.
  void RunTasks(uint64_t job);
  // Spins until pred() or the spin budget ends; returns pred().
  template <typename Pred>
  static bool SpinFor(Pred pred);

  const int num_threads_;
  std::vector<std::thread> workers_;  // started by the first job with tasks to share
  uint64_t workers_fork_generation_ = 0;  // ForkGeneration() when workers_ started
  std::atomic<bool> busy_{false};         // a caller is running a job
  struct Sync {
    std::mutex mutex;
    std::condition_variable wake;  // a new job, or stop_
    std::condition_variable done;  // the job's last task ended
  };
  std::unique_ptr<Sync> sync_;  // replaced in a forked child
  std::atomic<uint64_t> job_{0};
  // Valid for the job in job_ while it has unfinished tasks.
  std::atomic<const std::function<void(int)>*> task_{nullptr};
  std::atomic<int> tasks_done_{0};
  std::atomic<bool> stop_{false};  // set under sync_->mutex; read by spinning workers too
};

}  // namespace pyrt
