// A persistent pool of worker threads for splitting one op's work.
//
// Workers are created once (num_threads - 1 of them; the calling thread is
// the last worker) and wait between jobs, so invoke never creates threads.
// ParallelFor hands out task indices dynamically; a task must not depend on
// which thread runs it, which keeps results identical for any thread count.
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

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int)>* task_ = nullptr;
  int num_tasks_ = 0;
  std::atomic<int> next_task_{0};
  int busy_workers_ = 0;
  uint64_t generation_ = 0;  // bumped per job so sleeping workers see new work
  bool stop_ = false;
};

}  // namespace pyrt
