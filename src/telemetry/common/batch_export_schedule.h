// BatchExportSchedule: when a batching processor's export thread runs a
// round, and how ForceFlush and Shutdown wait for it.
//
// The thread sleeps until the schedule delay passes, a producer saw a full
// batch waiting (WakeForBatch), a ForceFlush asked for a round, or Stop.
// A ForceFlush returns once a round that began after it asked has finished,
// so everything queued before the call has been handed to the exporter.
// Rounds never overlap: there is one export thread. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "telemetry/common/clock.h"

namespace agenthub::telemetry {

class BatchExportSchedule {
 public:
  // What woke the export thread for one round.
  struct Round {
    uint64_t flush_target;  // the latest ForceFlush generation when it began
    bool stopping;          // the last round: the thread exits after it
    bool flush_exporter;    // a ForceFlush or Stop: flush the exporter's buffers too
  };

  // Export thread: waits for a reason to export, at most `delay`.
  Round Wait(std::chrono::milliseconds delay);
  // Export thread: the round is over (wakes ForceFlush and Stop waiters).
  // True when the thread must exit.
  bool Finish(const Round& round);

  // Producers: a full batch is waiting. Only the first call of a round takes
  // the lock, so producers racing to report the same batch stay cheap.
  void WakeForBatch() {
    if (wake_pending_.exchange(true, std::memory_order_acq_rel)) return;
    NotifyBatch();
  }

  // Asks for a round and waits up to `timeout` for it to finish; true at
  // once when the thread has already exited.
  bool Flush(std::chrono::milliseconds timeout);
  // Asks for a last round; true when the thread exited by `deadline`.
  bool Stop(Deadline deadline);

 private:
  void NotifyBatch();

  std::mutex mutex_;              // guards the fields below and the waits
  std::condition_variable wake_;  // the export thread waits here
  std::condition_variable done_;  // Flush and Stop wait here
  uint64_t flush_requested_ = 0;  // generation of the latest Flush
  uint64_t flush_completed_ = 0;  // generation the export thread finished
  bool stop_ = false;
  bool thread_exited_ = false;
  std::atomic<bool> wake_pending_{false};  // a size wake-up is already signalled
};

}  // namespace agenthub::telemetry
