// BatchSpanProcessor: queues ended spans and exports them in batches from a
// background thread (OpenTelemetry SDK batching processor), on the
// BatchExportEngine the log processor shares.
//
// The calling thread only pushes a pointer into a bounded lock-free queue,
// sharded by CPU: it never blocks and never waits for the exporter. A full
// queue drops the span and counts it. The export thread wakes when a batch
// is full or the schedule delay passed; exports never overlap. ForceFlush
// and Shutdown return by their timeout even when the exporter hangs.
#pragma once

#include <chrono>
#include <memory>

#include "telemetry/common/batch_export_options.h"
#include "telemetry/trace/span_exporter.h"
#include "telemetry/trace/span_processor.h"

namespace agenthub::telemetry {

// Defaults are the specification's for the OTEL_BSP_* variables
// (OTEL_BSP_MAX_QUEUE_SIZE, _SCHEDULE_DELAY, _EXPORT_TIMEOUT,
// _MAX_EXPORT_BATCH_SIZE): 2048, 5000 ms, 30000 ms, 512.
struct BatchSpanProcessorOptions : BatchExportOptions {
  // Defaults overridden by the OTEL_BSP_* variables; invalid values warn and
  // keep the default; a batch size above the queue size is clamped to it.
  static BatchSpanProcessorOptions FromEnvironment();
};

class BatchSpanProcessor : public SpanProcessor {
 public:
  BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                     BatchSpanProcessorOptions options = {});
  ~BatchSpanProcessor() override;

  bool UsesOnStart() const override { return false; }
  void OnEnd(RecordedSpanRef span) override;
  bool ForceFlush(std::chrono::milliseconds timeout) override;
  bool Shutdown(std::chrono::milliseconds timeout) override;
  ProcessorStats stats() const override;

  struct Engine;  // shared with the export thread, which may outlive us

 private:
  std::shared_ptr<Engine> engine_;
};

}  // namespace agenthub::telemetry
