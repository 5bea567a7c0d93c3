// BatchLogRecordProcessor: queues emitted log records and exports them in
// batches from a background thread (OpenTelemetry SDK batching processor for
// logs), on the BatchExportEngine the span processor shares.
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
#include <memory>

#include "telemetry/common/batch_export_options.h"
#include "telemetry/logs/log_record_exporter.h"
#include "telemetry/logs/log_record_processor.h"

namespace agenthub::telemetry {

// Defaults are the specification's for the OTEL_BLRP_* variables
// (OTEL_BLRP_MAX_QUEUE_SIZE, _SCHEDULE_DELAY, _EXPORT_TIMEOUT,
// _MAX_EXPORT_BATCH_SIZE): 2048, 1000 ms, 30000 ms, 512.
struct BatchLogRecordProcessorOptions : BatchExportOptions {
  BatchLogRecordProcessorOptions()
      : BatchExportOptions{.schedule_delay = std::chrono::milliseconds(1000)} {}

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

  struct Engine;  // shared with the export thread, which may outlive us

 private:
  std::shared_ptr<Engine> engine_;
};

}  // namespace agenthub::telemetry
