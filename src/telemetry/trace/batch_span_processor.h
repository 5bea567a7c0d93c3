// BatchSpanProcessor: queues ended spans and exports them in batches from a
// background thread (OpenTelemetry SDK batching processor).
//
// The calling thread only pushes a pointer into a bounded lock-free queue:
// it never blocks and never waits for the exporter. A full queue drops the
// span and counts it. The export thread wakes when a batch is full or the
// schedule delay passed; exports never overlap. ForceFlush and Shutdown
// return by their timeout even when the exporter hangs.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "telemetry/trace/span_exporter.h"
#include "telemetry/trace/span_processor.h"

namespace agenthub::telemetry {

struct BatchSpanProcessorOptions {
  size_t max_queue_size = 2048;                     // OTEL_BSP_MAX_QUEUE_SIZE
  std::chrono::milliseconds schedule_delay{5000};   // OTEL_BSP_SCHEDULE_DELAY
  std::chrono::milliseconds export_timeout{30000};  // OTEL_BSP_EXPORT_TIMEOUT
  size_t max_export_batch_size = 512;               // OTEL_BSP_MAX_EXPORT_BATCH_SIZE

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

  struct State;  // shared with the export thread, which may outlive us

 private:
  std::shared_ptr<State> state_;
};

}  // namespace agenthub::telemetry
