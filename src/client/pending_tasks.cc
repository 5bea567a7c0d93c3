#include "client/pending_tasks.h"

namespace agenthub::client {

const char* OutcomeKindName(TaskOutcome::Kind kind) {
  switch (kind) {
    case TaskOutcome::Kind::kResult:
      return "result";
    case TaskOutcome::Kind::kPublishFailed:
      return "publish_failed";
    case TaskOutcome::Kind::kTimedOut:
      return "timed_out";
    case TaskOutcome::Kind::kAbandoned:
      return "abandoned";
  }
  return "unknown";
}

PendingTasks::PendingTasks(std::function<void(PendingTask&)> on_timeout)
    : on_timeout_(std::move(on_timeout)) {
  timer_ = std::thread([this] { TimerLoop(); });
}

PendingTasks::~PendingTasks() { Stop(); }

bool PendingTasks::Add(std::shared_ptr<PendingTask> task) {
  std::lock_guard lock(mu_);
  // After Stop no timer would ever give the task up: refuse it.
  if (stopping_ || by_id_.count(task->task_id)) return false;
  const bool earliest = by_deadline_.empty() || task->give_up_at < by_deadline_.begin()->first;
  by_deadline_.emplace(task->give_up_at, task->task_id);
  by_id_.emplace(task->task_id, std::move(task));
  if (earliest) cv_.notify_all();
  return true;
}

std::shared_ptr<PendingTask> PendingTasks::Take(const std::string& task_id) {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(task_id);
  if (it == by_id_.end()) return nullptr;
  auto task = std::move(it->second);
  by_id_.erase(it);
  // The deadline entry stays; the timer skips ids no longer waiting.
  return task;
}

std::shared_ptr<PendingTask> PendingTasks::Find(const std::string& task_id) const {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(task_id);
  return it == by_id_.end() ? nullptr : it->second;
}

void PendingTasks::Linger(const std::string& task_id, ProgressCallback on_progress,
                          std::chrono::steady_clock::duration how_long) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  while (!linger_order_.empty() && linger_order_.front().until <= now) {
    lingering_.erase(linger_order_.front().task_id);
    linger_order_.pop_front();
  }
  if (!on_progress || stopping_) return;
  lingering_[task_id] = std::move(on_progress);
  linger_order_.push_back({task_id, now + how_long});
}

ProgressCallback PendingTasks::ProgressFor(const std::string& task_id) const {
  std::lock_guard lock(mu_);
  if (auto it = by_id_.find(task_id); it != by_id_.end()) return it->second->on_progress;
  if (auto it = lingering_.find(task_id); it != lingering_.end()) return it->second;
  return {};
}

size_t PendingTasks::size() const {
  std::lock_guard lock(mu_);
  return by_id_.size();
}

bool PendingTasks::stopped() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

std::vector<std::shared_ptr<PendingTask>> PendingTasks::Stop() {
  std::vector<std::shared_ptr<PendingTask>> left;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [id, task] : by_id_) left.push_back(std::move(task));
    by_id_.clear();
    by_deadline_.clear();
    lingering_.clear();
    linger_order_.clear();
  }
  cv_.notify_all();
  if (timer_.joinable() && timer_.get_id() != std::this_thread::get_id()) timer_.join();
  return left;
}

void PendingTasks::TimerLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (by_deadline_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const auto next = by_deadline_.begin()->first;
    if (std::chrono::steady_clock::now() < next) {
      cv_.wait_until(lock, next);
      continue;
    }
    const std::string id = by_deadline_.begin()->second;
    by_deadline_.erase(by_deadline_.begin());
    auto it = by_id_.find(id);
    // A task whose id was re-added with a later deadline keeps waiting.
    if (it == by_id_.end() || it->second->give_up_at > next) continue;
    auto task = std::move(it->second);
    by_id_.erase(it);
    lock.unlock();
    on_timeout_(*task);
    lock.lock();
  }
}

}  // namespace agenthub::client
