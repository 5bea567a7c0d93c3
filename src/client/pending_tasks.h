// PendingTasks: the publisher's tasks still waiting for their result, each
// with its callbacks and the time after which it is given up.
//
// A task enters before its publish RPC (a result may beat the RPC's own
// response), and leaves exactly once: through Take() when its result
// arrives, or through the timer thread, which reports kTimedOut.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "client/task_request.h"
#include "telemetry/telemetry.h"

namespace agenthub::client {

struct PendingTask {
  std::string task_id;
  ResultCallback on_result;
  ProgressCallback on_progress;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point give_up_at;
  telemetry::Context publish_context;  // publish_event span + baggage
};

class PendingTasks {
 public:
  // `on_timeout` runs on the timer thread, without the lock, once per task
  // whose give_up_at passed.
  explicit PendingTasks(std::function<void(PendingTask&)> on_timeout);
  // Stops the timer; tasks still waiting are returned by Stop(), not lost.
  ~PendingTasks();

  // False when a task with this id is already waiting, or after Stop().
  bool Add(std::shared_ptr<PendingTask> task);
  // Removes and returns the task, or null when it is not waiting (already
  // timed out, or someone else's id).
  std::shared_ptr<PendingTask> Take(const std::string& task_id);
  // The waiting task without removing it.
  std::shared_ptr<PendingTask> Find(const std::string& task_id) const;

  // Results and progress come on separate streams, so the last progress
  // updates may arrive just after the result. Linger keeps a finished
  // task's progress callback for `how_long` so that they still reach it.
  void Linger(const std::string& task_id, ProgressCallback on_progress,
              std::chrono::steady_clock::duration how_long);
  // The progress callback of a waiting or lingering task; empty when none.
  ProgressCallback ProgressFor(const std::string& task_id) const;
  size_t size() const;
  bool stopped() const;

  // Ends the timer thread and returns every task still waiting.
  std::vector<std::shared_ptr<PendingTask>> Stop();

 private:
  void TimerLoop();

  const std::function<void(PendingTask&)> on_timeout_;
  mutable std::mutex mu_;
  std::condition_variable cv_;  // an earlier deadline arrived, or Stop()
  std::unordered_map<std::string, std::shared_ptr<PendingTask>> by_id_;
  // give_up_at -> task id; entries of tasks already taken are skipped.
  std::multimap<std::chrono::steady_clock::time_point, std::string> by_deadline_;
  // Finished tasks whose late progress is still delivered, in expiry order.
  struct Lingering {
    std::string task_id;
    std::chrono::steady_clock::time_point until;
  };
  std::deque<Lingering> linger_order_;
  std::unordered_map<std::string, ProgressCallback> lingering_;
  bool stopping_ = false;
  std::thread timer_;
};

}  // namespace agenthub::client
