#include "telemetry/logs/batch_log_record_processor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "telemetry/common/bounded_queue.h"
#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"
#include "telemetry/common/sharded_counter.h"

namespace agenthub::telemetry {

BatchLogRecordProcessorOptions BatchLogRecordProcessorOptions::FromEnvironment() {
  BatchLogRecordProcessorOptions o;
  o.max_queue_size = static_cast<size_t>(
      GetEnvNonNegativeInt("OTEL_BLRP_MAX_QUEUE_SIZE", static_cast<int64_t>(o.max_queue_size)));
  o.schedule_delay = GetEnvMillis("OTEL_BLRP_SCHEDULE_DELAY", o.schedule_delay);
  o.export_timeout = GetEnvMillis("OTEL_BLRP_EXPORT_TIMEOUT", o.export_timeout);
  o.max_export_batch_size = static_cast<size_t>(GetEnvNonNegativeInt(
      "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", static_cast<int64_t>(o.max_export_batch_size)));
  if (o.max_queue_size == 0) {
    ReportWarning("OTEL_BLRP_MAX_QUEUE_SIZE=0 is invalid; using 2048");
    o.max_queue_size = 2048;
  }
  if (o.max_export_batch_size == 0) {
    ReportWarning("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE=0 is invalid; using 512");
    o.max_export_batch_size = 512;
  }
  if (o.max_export_batch_size > o.max_queue_size) {
    ReportWarning("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE is above OTEL_BLRP_MAX_QUEUE_SIZE; clamping");
    o.max_export_batch_size = o.max_queue_size;
  }
  return o;
}

struct BatchLogRecordProcessor::State {
  State(std::unique_ptr<LogRecordExporter> e, BatchLogRecordProcessorOptions o)
      : exporter(std::move(e)), options(o), queue(o.max_queue_size), pool(o.max_queue_size) {}
  // Records pushed while Shutdown raced with OnEmit are freed here.
  ~State() {
    LogRecordData* record = nullptr;
    while (queue.TryPop(&record)) delete record;
    while (pool.TryPop(&record)) delete record;
  }

  std::unique_ptr<LogRecordExporter> exporter;
  const BatchLogRecordProcessorOptions options;
  BoundedQueue<LogRecordData*> queue;  // owning pointers, waiting for export
  BoundedQueue<LogRecordData*> pool;   // owning pointers, exported and reusable

  std::mutex mutex;              // guards the fields below and the waits
  std::condition_variable wake;  // export thread waits here
  std::condition_variable done;  // ForceFlush/Shutdown wait here
  uint64_t flush_requested = 0;  // generation of the latest ForceFlush
  uint64_t flush_completed = 0;  // generation the export thread finished
  bool stop = false;
  bool thread_exited = false;

  std::atomic<bool> wake_pending{false};  // a size wake-up is already signalled
  std::atomic<bool> accepting{true};      // false once Shutdown began

  ShardedCounter dropped;
  ShardedCounter exported;
  ShardedCounter failed;

  void Run();
  void ExportAll();
  void WakeForBatch();
  void Recycle(LogRecordData* record);
};

// A record that once held a huge message is freed rather than pooled, so
// the pool's memory stays proportional to typical records.
constexpr size_t kMaxPooledBodyCapacity = 4096;
constexpr size_t kMaxPooledAttributes = 64;

void BatchLogRecordProcessor::State::Recycle(LogRecordData* record) {
  if (record->body.capacity() > kMaxPooledBodyCapacity ||
      record->attributes.capacity() > kMaxPooledAttributes || !pool.TryPush(record)) {
    delete record;
  }
}

void BatchLogRecordProcessor::State::WakeForBatch() {
  if (wake_pending.exchange(true, std::memory_order_acq_rel)) return;
  std::lock_guard lock(mutex);
  wake.notify_one();
}

void BatchLogRecordProcessor::State::ExportAll() {
  std::vector<LogRecordData*> owned;
  owned.reserve(options.max_export_batch_size);
  for (;;) {
    owned.clear();
    LogRecordData* record = nullptr;
    while (owned.size() < options.max_export_batch_size && queue.TryPop(&record)) {
      owned.push_back(record);
    }
    if (owned.empty()) return;
    const Deadline deadline = SteadyClock::now() + options.export_timeout;
    const std::span<const LogRecordData* const> batch(
        const_cast<const LogRecordData* const*>(owned.data()), owned.size());
    if (exporter->Export(batch, deadline) == ExportResult::kSuccess) {
      exported.Add(owned.size());
    } else {
      failed.Add(owned.size());
    }
    for (LogRecordData* done : owned) Recycle(done);
    if (owned.size() < options.max_export_batch_size) return;
  }
}

void BatchLogRecordProcessor::State::Run() {
  for (;;) {
    uint64_t flush_target;
    bool stopping;
    {
      std::unique_lock lock(mutex);
      wake.wait_for(lock, options.schedule_delay, [this] {
        return stop || flush_requested != flush_completed ||
               wake_pending.load(std::memory_order_relaxed);
      });
      flush_target = flush_requested;
      stopping = stop;
    }
    wake_pending.store(false, std::memory_order_release);
    ExportAll();
    if (flush_target != flush_completed || stopping) {
      exporter->ForceFlush(options.export_timeout);
    }
    std::lock_guard lock(mutex);
    flush_completed = flush_target;
    if (stopping) thread_exited = true;
    done.notify_all();
    if (stopping) return;
  }
}

BatchLogRecordProcessor::BatchLogRecordProcessor(std::unique_ptr<LogRecordExporter> exporter,
                                                 BatchLogRecordProcessorOptions options)
    : state_(std::make_shared<State>(std::move(exporter), options)) {
  // The thread owns a reference: if Shutdown gives up on a hung exporter the
  // thread is detached and the state lives until the exporter returns.
  std::thread([state = state_] { state->Run(); }).detach();
}

BatchLogRecordProcessor::~BatchLogRecordProcessor() { Shutdown(std::chrono::seconds(5)); }

std::unique_ptr<LogRecordData> BatchLogRecordProcessor::NewRecord() {
  LogRecordData* record = nullptr;
  if (!state_->pool.TryPop(&record)) return std::make_unique<LogRecordData>();
  // Back to defaults, keeping the capacity of the body and attribute list
  // (and the resource and scope pointers, see LogRecordProcessor).
  record->timestamp = {};
  record->observed_timestamp = {};
  record->severity_number = SeverityNumber::kUnspecified;
  record->severity_text.clear();
  record->body.clear();
  record->attributes.clear();
  record->dropped_attributes = 0;
  record->trace_id = {};
  record->span_id = {};
  record->trace_flags = {};
  return std::unique_ptr<LogRecordData>(record);
}

void BatchLogRecordProcessor::OnEmit(std::unique_ptr<LogRecordData> record) {
  if (!record) return;
  State& s = *state_;
  if (!s.accepting.load(std::memory_order_relaxed)) {
    s.dropped.Add();
    return;
  }
  uint64_t ticket = 0;
  if (!s.queue.TryPush(record.get(), &ticket)) {
    s.dropped.Add();
    return;  // the unique_ptr frees the record
  }
  record.release();  // the queue owns it now
  // Every batch-size-th record signals the exporter; cheaper than measuring
  // the queue on each push, and the exporter drains everything it finds.
  if ((ticket + 1) % s.options.max_export_batch_size == 0) s.WakeForBatch();
}

bool BatchLogRecordProcessor::ForceFlush(std::chrono::milliseconds timeout) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  if (s.thread_exited) return true;
  const uint64_t generation = ++s.flush_requested;
  s.wake.notify_one();
  return s.done.wait_for(lock, timeout,
                         [&] { return s.thread_exited || s.flush_completed >= generation; });
}

bool BatchLogRecordProcessor::Shutdown(std::chrono::milliseconds timeout) {
  State& s = *state_;
  if (!s.accepting.exchange(false)) return true;  // already shut down
  const auto deadline = SteadyClock::now() + timeout;
  bool exited;
  {
    std::unique_lock lock(s.mutex);
    s.stop = true;
    s.wake.notify_one();
    exited = s.done.wait_until(lock, deadline, [&] { return s.thread_exited; });
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  // When the thread is stuck in Export, the exporter's Shutdown must make
  // that call give up; the detached thread then finishes on its own.
  const bool exporter_ok = s.exporter->Shutdown(std::max(left, std::chrono::milliseconds(0)));
  if (!exited) {
    ReportWarning("BatchLogRecordProcessor: shutdown timed out waiting for the exporter");
  }
  return exited && exporter_ok;
}

LogProcessorStats BatchLogRecordProcessor::stats() const {
  LogProcessorStats p;
  p.records_dropped = state_->dropped.Value();
  p.records_exported = state_->exported.Value();
  p.export_failures = state_->failed.Value();
  p.queue_depth = state_->queue.SizeApprox();
  return p;
}

}  // namespace agenthub::telemetry
