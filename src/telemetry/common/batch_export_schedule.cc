#include "telemetry/common/batch_export_schedule.h"

namespace agenthub::telemetry {

BatchExportSchedule::Round BatchExportSchedule::Wait(std::chrono::milliseconds delay) {
  Round round;
  {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay, [this] {
      return stop_ || flush_requested_ != flush_completed_ ||
             wake_pending_.load(std::memory_order_relaxed);
    });
    round.flush_target = flush_requested_;
    round.stopping = stop_;
    // flush_completed_ changes only on this thread, in Finish.
    round.flush_exporter = round.stopping || round.flush_target != flush_completed_;
  }
  // Pushes from now on may signal again: this round may miss them.
  wake_pending_.store(false, std::memory_order_release);
  return round;
}

bool BatchExportSchedule::Finish(const Round& round) {
  std::lock_guard lock(mutex_);
  flush_completed_ = round.flush_target;
  if (round.stopping) thread_exited_ = true;
  done_.notify_all();
  return round.stopping;
}

void BatchExportSchedule::NotifyBatch() {
  std::lock_guard lock(mutex_);
  wake_.notify_one();
}

bool BatchExportSchedule::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (thread_exited_) return true;
  const uint64_t generation = ++flush_requested_;
  wake_.notify_one();
  return done_.wait_for(lock, timeout,
                        [&] { return thread_exited_ || flush_completed_ >= generation; });
}

bool BatchExportSchedule::Stop(Deadline deadline) {
  std::unique_lock lock(mutex_);
  stop_ = true;
  wake_.notify_one();
  return done_.wait_until(lock, deadline, [this] { return thread_exited_; });
}

}  // namespace agenthub::telemetry
