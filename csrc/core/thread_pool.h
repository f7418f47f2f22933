// A persistent pool of worker threads for splitting one op's work.
//
// Workers are created once (num_threads - 1 of them; the calling thread is
// the last worker) and wait between jobs, so invoke never creates threads.
// ParallelFor hands out task indices dynamically; a task must not depend on
// which thread runs it, which keeps results identical for any thread count.
// Waiting threads (idle workers, the caller waiting for workers) spin for up
// to 300 us before sleeping: consecutive parallel ops (with small serial ops
// between them) hand work over within that, and a condition-variable wakeup
// (in a VM especially) costs more than many ops.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
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

  int num_threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs task(i) for i in [0, num_tasks) and returns when all are done.
  // Tasks must not throw.
  void ParallelFor(int num_tasks, const std::function<void(int)>& task);

 private:
  void WorkerLoop();
  void RunTasks();
  // Spins until pred() or the spin budget ends; returns pred().
  template <typename Pred>
  static bool SpinFor(Pred pred);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int)>* task_ = nullptr;
  int num_tasks_ = 0;
  std::atomic<int> next_task_{0};
  std::atomic<int> busy_workers_{0};
  // Bumped per job (under mutex_) so waiting workers see new work.
  std::atomic<uint64_t> generation_{0};
  bool stop_ = false;
};

}  // namespace pyrt
