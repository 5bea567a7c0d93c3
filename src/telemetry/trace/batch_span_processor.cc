#include "telemetry/trace/batch_span_processor.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"
#include "telemetry/common/sharded_counter.h"
#include "telemetry/common/sharded_queue.h"
#include "telemetry/trace/recorded_span.h"

namespace agenthub::telemetry {

BatchSpanProcessorOptions BatchSpanProcessorOptions::FromEnvironment() {
  BatchSpanProcessorOptions o;
  o.max_queue_size = static_cast<size_t>(
      GetEnvNonNegativeInt("OTEL_BSP_MAX_QUEUE_SIZE", static_cast<int64_t>(o.max_queue_size)));
  o.schedule_delay = GetEnvMillis("OTEL_BSP_SCHEDULE_DELAY", o.schedule_delay);
  o.export_timeout = GetEnvMillis("OTEL_BSP_EXPORT_TIMEOUT", o.export_timeout);
  o.max_export_batch_size = static_cast<size_t>(GetEnvNonNegativeInt(
      "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", static_cast<int64_t>(o.max_export_batch_size)));
  if (o.max_queue_size == 0) {
    ReportWarning("OTEL_BSP_MAX_QUEUE_SIZE=0 is invalid; using 2048");
    o.max_queue_size = 2048;
  }
  if (o.max_export_batch_size == 0) {
    ReportWarning("OTEL_BSP_MAX_EXPORT_BATCH_SIZE=0 is invalid; using 512");
    o.max_export_batch_size = 512;
  }
  if (o.max_export_batch_size > o.max_queue_size) {
    ReportWarning("OTEL_BSP_MAX_EXPORT_BATCH_SIZE is above OTEL_BSP_MAX_QUEUE_SIZE; clamping");
    o.max_export_batch_size = o.max_queue_size;
  }
  return o;
}

namespace {

// A queued span and whether the queue's reference is its only one (the
// usual case: the application's handle gave its reference away at End). A
// sole reference is dropped on the export thread without reading the span.
struct QueuedSpan {
  internal::RecordedSpan* span;
  bool sole;

  void Release() const {
    if (sole) {
      span->ReleaseSole();
    } else {
      span->Release();
    }
  }
};

}  // namespace

struct BatchSpanProcessor::State {
  State(std::unique_ptr<SpanExporter> e, BatchSpanProcessorOptions o)
      : exporter(std::move(e)),
        options(o),
        queue(o.max_queue_size),
        size_check_mask(SizeCheckInterval(o.max_export_batch_size, queue.shard_count()) - 1) {}
  // Spans pushed while Shutdown raced with OnEnd are released here.
  ~State() {
    QueuedSpan queued;
    while (queue.TryPop(&queued)) queued.Release();
  }

  std::unique_ptr<SpanExporter> exporter;
  const BatchSpanProcessorOptions options;
  ShardedQueue<QueuedSpan> queue;
  // OnEnd measures the queue (a read of every shard's positions) only when
  // a shard's push count passes a multiple of this mask + 1.
  const uint64_t size_check_mask;

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

  // A power of two: at most 64 and at most a batch's share of one shard,
  // so a full batch is noticed within a few pushes.
  static uint64_t SizeCheckInterval(size_t batch_size, size_t shards) {
    const size_t share = batch_size / shards;
    return std::bit_floor(std::clamp<uint64_t>(share, 1, 64));
  }

  void Run();
  void ExportAll();
  void WakeForBatch();
};

void BatchSpanProcessor::State::WakeForBatch() {
  if (wake_pending.exchange(true, std::memory_order_acq_rel)) return;
  std::lock_guard lock(mutex);
  wake.notify_one();
}

void BatchSpanProcessor::State::ExportAll() {
  std::vector<QueuedSpan> owned;
  std::vector<const SpanData*> batch;
  owned.reserve(options.max_export_batch_size);
  batch.reserve(options.max_export_batch_size);
  for (;;) {
    owned.clear();
    batch.clear();
    QueuedSpan queued;
    while (owned.size() < options.max_export_batch_size && queue.TryPop(&queued)) {
      owned.push_back(queued);
      batch.push_back(&queued.span->data);
    }
    if (owned.empty()) return;
    const Deadline deadline = SteadyClock::now() + options.export_timeout;
    if (exporter->Export(batch, deadline) == ExportResult::kSuccess) {
      exported.Add(owned.size());
    } else {
      failed.Add(owned.size());
    }
    // Released here, on the export thread: the pool batches them back to
    // the threads that start spans.
    for (const QueuedSpan& s : owned) s.Release();
    if (owned.size() < options.max_export_batch_size) return;
  }
}

void BatchSpanProcessor::State::Run() {
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
      // Only the exporter's own buffers are left to flush.
      exporter->ForceFlush(options.export_timeout);
    }
    std::lock_guard lock(mutex);
    flush_completed = flush_target;
    if (stopping) {
      thread_exited = true;
      done.notify_all();
      return;
    }
    done.notify_all();
  }
}

BatchSpanProcessor::BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                       BatchSpanProcessorOptions options)
    : state_(std::make_shared<State>(std::move(exporter), options)) {
  // The thread owns a reference: if Shutdown gives up on a hung exporter the
  // thread is detached and the state lives until the exporter returns.
  std::thread([state = state_] { state->Run(); }).detach();
}

BatchSpanProcessor::~BatchSpanProcessor() { Shutdown(std::chrono::seconds(5)); }

void BatchSpanProcessor::OnEnd(RecordedSpanRef span) {
  if (!span.data().context.IsSampled()) return;  // record-only spans are not exported
  State& s = *state_;
  if (!s.accepting.load(std::memory_order_relaxed)) {
    s.dropped.Add();
    return;
  }
  const bool sole = span.IsSole();
  uint64_t ticket = 0;
  internal::RecordedSpan* raw = span.Release();
  if (!s.queue.TryPush(QueuedSpan{raw, sole}, &ticket)) {
    s.dropped.Add();
    RecordedSpanRef::Adopt(raw);  // gives the reference back, releasing it
    return;
  }
  // Now and then, when a batch is waiting, signal the exporter; it drains
  // everything it finds.
  if ((ticket & s.size_check_mask) == s.size_check_mask &&
      s.queue.SizeApprox() >= s.options.max_export_batch_size) {
    s.WakeForBatch();
  }
}

bool BatchSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  if (s.thread_exited) return true;
  const uint64_t generation = ++s.flush_requested;
  s.wake.notify_one();
  return s.done.wait_for(lock, timeout,
                         [&] { return s.thread_exited || s.flush_completed >= generation; });
}

bool BatchSpanProcessor::Shutdown(std::chrono::milliseconds timeout) {
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
    ReportWarning("BatchSpanProcessor: shutdown timed out waiting for the exporter");
  }
  return exited && exporter_ok;
}

ProcessorStats BatchSpanProcessor::stats() const {
  ProcessorStats p;
  p.spans_dropped = state_->dropped.Value();
  p.spans_exported = state_->exported.Value();
  p.export_failures = state_->failed.Value();
  p.queue_depth = state_->queue.SizeApprox();
  return p;
}

}  // namespace agenthub::telemetry
