#include "telemetry/trace/batch_span_processor.h"

#include <span>
#include <vector>

#include "telemetry/common/batch_export_engine.h"
#include "telemetry/common/sharded_queue.h"
#include "telemetry/trace/recorded_span.h"

namespace agenthub::telemetry {

BatchSpanProcessorOptions BatchSpanProcessorOptions::FromEnvironment() {
  BatchSpanProcessorOptions o;
  static_cast<BatchExportOptions&>(o) = ReadBatchExportOptions("OTEL_BSP", o);
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

// Spans for BatchExportEngine. The queue is sharded by CPU so that threads
// ending spans at the same time do not bounce one position counter between
// cores; order across shards is not kept, which exporters do not need.
struct SpanBatch {
  using Item = QueuedSpan;
  using Queue = ShardedQueue<QueuedSpan>;
  using Exporter = SpanExporter;
  static constexpr const char* kName = "BatchSpanProcessor";

  bool Export(SpanExporter& exporter, std::span<const QueuedSpan> queued, Deadline deadline) {
    spans.clear();
    for (const QueuedSpan& q : queued) spans.push_back(&q.span->data);
    return exporter.Export(spans, deadline) == ExportResult::kSuccess;
  }
  // Released on the export thread: the pool batches them back to the
  // threads that start spans.
  void Release(QueuedSpan q) { q.Release(); }
  void Discard(QueuedSpan q) { q.Release(); }

  std::vector<const SpanData*> spans;  // the exporter's view of one batch
};

}  // namespace

struct BatchSpanProcessor::Engine : BatchExportEngine<SpanBatch> {
  using BatchExportEngine::BatchExportEngine;
};

BatchSpanProcessor::BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                       BatchSpanProcessorOptions options)
    : engine_(std::make_shared<Engine>(std::move(exporter), options)) {
  Engine::StartExportThread(engine_);
}

BatchSpanProcessor::~BatchSpanProcessor() { Shutdown(std::chrono::seconds(5)); }

void BatchSpanProcessor::OnEnd(RecordedSpanRef span) {
  if (!span.data().context.IsSampled()) return;  // record-only spans are not exported
  const bool sole = span.IsSole();
  internal::RecordedSpan* raw = span.Release();
  if (!engine_->TryPush(QueuedSpan{raw, sole})) {
    RecordedSpanRef::Adopt(raw);  // gives the reference back, releasing it
  }
}

bool BatchSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) {
  return engine_->ForceFlush(timeout);
}

bool BatchSpanProcessor::Shutdown(std::chrono::milliseconds timeout) {
  return engine_->Shutdown(timeout);
}

ProcessorStats BatchSpanProcessor::stats() const {
  const BatchExportStats s = engine_->stats();
  ProcessorStats p;
  p.spans_dropped = s.dropped;
  p.spans_exported = s.exported;
  p.export_failures = s.failed;
  p.queue_depth = s.queue_depth;
  return p;
}

}  // namespace agenthub::telemetry
