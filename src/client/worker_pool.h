// WorkerPool: a fixed number of threads running jobs from a bounded queue.
//
// Submit blocks while the queue is full: the subscriber then stops reading
// its task stream, and the broker keeps the excess queued where it belongs
// instead of in this process's memory.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace agenthub::client {

class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t queue_capacity);
  // Shutdown without a time limit.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`, waiting for room; false once Shutdown has begun.
  bool Submit(std::function<void()> job);

  // Refuses new jobs, lets queued and running ones finish, joins the
  // threads. Returns whether everything finished within `timeout`; the
  // threads are joined either way (so a job that never returns blocks this:
  // jobs must honour their own cancellation). Idempotent.
  bool Shutdown(std::chrono::milliseconds timeout);

  size_t busy() const;  // jobs running or queued

 private:
  void Work();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable has_job_;   // workers wait for jobs or stop
  std::condition_variable has_room_;  // Submit waits for queue space
  std::condition_variable idle_;      // Shutdown waits for the last job
  std::deque<std::function<void()>> queue_;
  size_t running_ = 0;
  bool closing_ = false;  // no new jobs
  bool stop_ = false;     // workers exit once the queue is empty
  std::vector<std::thread> threads_;
};

}  // namespace agenthub::client
