// BatchExportEngine: the part of a batching processor (spans, log records)
// that does not depend on what is batched: the bounded queue, the export
// thread, the wake-up rule, ForceFlush and Shutdown with timeouts, and the
// drop and export counts.
//
// Producers only push a handle into a bounded lock-free queue: they never
// block and never wait for the exporter. A full queue (or one that is shut
// down) refuses the handle and counts a drop. The export thread wakes when a
// batch is waiting or the schedule delay passed, drains everything it finds
// in batches of at most max_export_batch_size, and never overlaps exports.
//
// `Signal` says what is batched and how it reaches its exporter:
//   using Item = ...;      // trivially copyable handle the queue carries
//   using Queue = ...;     // BoundedQueue<Item> or ShardedQueue<Item>
//   using Exporter = ...;  // with ForceFlush(ms) and Shutdown(ms)
//   static constexpr const char* kName;  // names the processor in warnings
//   bool Export(Exporter&, std::span<const Item>, Deadline);  // true: success
//   void Release(Item);  // after its export, on the export thread
//   void Discard(Item);  // still queued when the engine is destroyed
// Everything a producer runs is inline here, because TryPush is on the span
// hot path (docs/explanation/tracing_sdk.md).
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "telemetry/common/batch_export_options.h"
#include "telemetry/common/batch_export_schedule.h"
#include "telemetry/common/clock.h"
#include "telemetry/common/diagnostics.h"
#include "telemetry/common/sharded_counter.h"

namespace agenthub::telemetry {

struct BatchExportStats {
  uint64_t dropped = 0;      // refused: the queue was full or shut down
  uint64_t exported = 0;     // handed to the exporter with success
  uint64_t failed = 0;       // in batches the exporter failed
  uint64_t queue_depth = 0;  // waiting for export now
};

namespace internal {

// How often a producer measures the queue, as a mask on its push ticket:
// a power of two (so the test is a mask, not a division), at most 64 and at
// most a batch's share of one shard, so a full batch is noticed within a
// few pushes. Measuring reads every shard's positions; counting every push
// to the batch size instead would write a shared counter per push.
inline uint64_t SizeCheckMask(size_t batch_size, size_t shards) {
  const size_t share = batch_size / shards;
  return std::bit_floor(std::clamp<uint64_t>(share, 1, 64)) - 1;
}

template <typename Queue>
size_t ShardCount(const Queue& queue) {
  if constexpr (requires { queue.shard_count(); }) {
    return queue.shard_count();
  } else {
    return 1;
  }
}

}  // namespace internal

template <typename Signal>
class BatchExportEngine {
 public:
  using Item = typename Signal::Item;
  using Exporter = typename Signal::Exporter;

  // Call StartExportThread next. `signal_args` construct the Signal.
  template <typename... SignalArgs>
  BatchExportEngine(std::unique_ptr<Exporter> exporter, const BatchExportOptions& options,
                    SignalArgs&&... signal_args)
      : exporter_(std::move(exporter)),
        options_(options),
        signal_(std::forward<SignalArgs>(signal_args)...),
        queue_(options.max_queue_size),
        size_check_mask_(
            internal::SizeCheckMask(options.max_export_batch_size, internal::ShardCount(queue_))) {
    batch_.reserve(options.max_export_batch_size);
  }
  // Items pushed while Shutdown raced with TryPush are discarded here.
  ~BatchExportEngine() {
    Item item;
    while (queue_.TryPop(&item)) signal_.Discard(item);
  }
  BatchExportEngine(const BatchExportEngine&) = delete;
  BatchExportEngine& operator=(const BatchExportEngine&) = delete;

  // The thread owns a reference: if Shutdown gives up on a hung exporter the
  // thread stays detached and the engine lives until the exporter returns.
  static void StartExportThread(std::shared_ptr<BatchExportEngine> engine) {
    std::thread([engine = std::move(engine)] { engine->Run(); }).detach();
  }

  // False (and a drop counted) when the item was not queued; it is then
  // still the caller's.
  bool TryPush(Item item) {
    if (!accepting_.load(std::memory_order_relaxed)) {
      dropped_.Add();
      return false;
    }
    uint64_t ticket = 0;
    if (!queue_.TryPush(item, &ticket)) {
      dropped_.Add();
      return false;
    }
    // Now and then, when a batch is waiting, signal the exporter; it drains
    // everything it finds.
    if ((ticket & size_check_mask_) == size_check_mask_ &&
        queue_.SizeApprox() >= options_.max_export_batch_size) {
      schedule_.WakeForBatch();
    }
    return true;
  }

  bool ForceFlush(std::chrono::milliseconds timeout) { return schedule_.Flush(timeout); }

  // Exports what is queued, then shuts the exporter down; later pushes are
  // refused. Returns by `timeout` even when the exporter hangs.
  bool Shutdown(std::chrono::milliseconds timeout) {
    if (!accepting_.exchange(false)) return true;  // already shut down
    const Deadline deadline = SteadyClock::now() + timeout;
    const bool exited = schedule_.Stop(deadline);
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    // When the thread is stuck in Export, the exporter's Shutdown must make
    // that call give up; the detached thread then finishes on its own.
    const bool exporter_ok = exporter_->Shutdown(std::max(left, std::chrono::milliseconds(0)));
    if (!exited) {
      ReportWarning(std::string(Signal::kName) + ": shutdown timed out waiting for the exporter");
    }
    return exited && exporter_ok;
  }

  BatchExportStats stats() const {
    BatchExportStats s;
    s.dropped = dropped_.Value();
    s.exported = exported_.Value();
    s.failed = failed_.Value();
    s.queue_depth = queue_.SizeApprox();
    return s;
  }

  Signal& signal() { return signal_; }

 private:
  void Run() {
    for (;;) {
      const BatchExportSchedule::Round round = schedule_.Wait(options_.schedule_delay);
      ExportQueued();
      // Only the exporter's own buffers are left to flush.
      if (round.flush_exporter) exporter_->ForceFlush(options_.export_timeout);
      if (schedule_.Finish(round)) return;
    }
  }

  void ExportQueued() {
    for (;;) {
      batch_.clear();
      Item item;
      while (batch_.size() < options_.max_export_batch_size && queue_.TryPop(&item)) {
        batch_.push_back(item);
      }
      if (batch_.empty()) return;
      const Deadline deadline = SteadyClock::now() + options_.export_timeout;
      if (signal_.Export(*exporter_, std::span<const Item>(batch_), deadline)) {
        exported_.Add(batch_.size());
      } else {
        failed_.Add(batch_.size());
      }
      // Released here, on the export thread: a pool takes them back in bulk.
      for (const Item& done : batch_) signal_.Release(done);
      if (batch_.size() < options_.max_export_batch_size) return;
    }
  }

  std::unique_ptr<Exporter> exporter_;
  const BatchExportOptions options_;
  Signal signal_;
  typename Signal::Queue queue_;
  // TryPush measures the queue only when a shard's push ticket passes a
  // multiple of this mask + 1.
  const uint64_t size_check_mask_;
  BatchExportSchedule schedule_;
  std::atomic<bool> accepting_{true};  // false once Shutdown began
  std::vector<Item> batch_;            // export thread only; kept to avoid reallocating
  ShardedCounter dropped_;
  ShardedCounter exported_;
  ShardedCounter failed_;
};

}  // namespace agenthub::telemetry
