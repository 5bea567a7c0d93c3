// BatchLogRecordProcessor: queues emitted log records and exports them in
// batches from a background thread (OpenTelemetry SDK batching processor for
// logs; the twin of BatchSpanProcessor).
//
// The logging thread only pushes a pointer into a bounded lock-free queue:
// it never blocks and never waits for the exporter. A full queue drops the
// record and counts it. The export thread wakes when a batch is full or the
// schedule delay passed; exports never overlap. ForceFlush and Shutdown
// return by their timeout even when the exporter hangs.
//
// Exported records are not freed by the export thread: they go back to a
// bounded pool that NewRecord() draws from, so a steady stream of logs
// reuses the same records (and their string capacity) without malloc
// traffic between the logging threads and the export thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "telemetry/logs/log_record_exporter.h"
#include "telemetry/logs/log_record_processor.h"

namespace agenthub::telemetry {

// Defaults are the specification's for the OTEL_BLRP_* variables.
struct BatchLogRecordProcessorOptions {
  size_t max_queue_size = 2048;                     // OTEL_BLRP_MAX_QUEUE_SIZE
  std::chrono::milliseconds schedule_delay{1000};   // OTEL_BLRP_SCHEDULE_DELAY
  std::chrono::milliseconds export_timeout{30000};  // OTEL_BLRP_EXPORT_TIMEOUT
  size_t max_export_batch_size = 512;               // OTEL_BLRP_MAX_EXPORT_BATCH_SIZE

  // Defaults overridden by the OTEL_BLRP_* variables; invalid values warn and
  // keep the default; a batch size above the queue size is clamped to it.
  static BatchLogRecordProcessorOptions FromEnvironment();
};

class BatchLogRecordProcessor : public LogRecordProcessor {
 public:
  BatchLogRecordProcessor(std::unique_ptr<LogRecordExporter> exporter,
                          BatchLogRecordProcessorOptions options = {});
  // Shuts down with a 5 s limit if Shutdown was not called.
  ~BatchLogRecordProcessor() override;

  std::unique_ptr<LogRecordData> NewRecord() override;
  void OnEmit(std::unique_ptr<LogRecordData> record) override;
  bool ForceFlush(std::chrono::milliseconds timeout) override;
  bool Shutdown(std::chrono::milliseconds timeout) override;
  LogProcessorStats stats() const override;

  struct State;  // shared with the export thread, which may outlive us

 private:
  std::shared_ptr<State> state_;
};

}  // namespace agenthub::telemetry
