#include "client/worker_pool.h"

#include <algorithm>

namespace agenthub::client {

WorkerPool::WorkerPool(size_t threads, size_t queue_capacity)
    : capacity_(std::max<size_t>(1, queue_capacity)) {
  threads = std::max<size_t>(1, threads);
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

WorkerPool::~WorkerPool() { Shutdown(std::chrono::hours(24 * 365)); }

bool WorkerPool::Submit(std::function<void()> job) {
  std::unique_lock lock(mu_);
  has_room_.wait(lock, [this] { return closing_ || queue_.size() < capacity_; });
  if (closing_) return false;
  queue_.push_back(std::move(job));
  has_job_.notify_one();
  return true;
}

bool WorkerPool::Shutdown(std::chrono::milliseconds timeout) {
  bool finished;
  {
    std::unique_lock lock(mu_);
    closing_ = true;
    has_room_.notify_all();
    finished = idle_.wait_for(lock, timeout, [this] { return queue_.empty() && running_ == 0; });
    stop_ = true;
    has_job_.notify_all();
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  return finished;
}

size_t WorkerPool::busy() const {
  std::lock_guard lock(mu_);
  return queue_.size() + running_;
}

void WorkerPool::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    has_job_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left
    auto job = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    has_room_.notify_one();
    lock.unlock();
    job();
    lock.lock();
    --running_;
    if (queue_.empty() && running_ == 0) idle_.notify_all();
  }
}

}  // namespace agenthub::client
