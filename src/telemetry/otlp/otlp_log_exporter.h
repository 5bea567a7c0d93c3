// OtlpLogExporter: sends log records to an OTLP collector over gRPC or HTTP
// (binary protobuf or JSON), as its OtlpExporterConfig says; the logs twin
// of OtlpSpanExporter, on the same shared OtlpTransport.
//
// Each Export builds one ExportLogsServiceRequest on an arena whose first
// block is reused between exports, sends it, and waits at most until the
// earlier of the caller's deadline and now + config.timeout, retries
// included. A batch that could not be delivered is dropped with a
// diagnostic warning (the processor never retries, and holding batches back
// would grow memory while a collector is down).
//
// Export calls never overlap (the processor guarantees it); Shutdown may run
// concurrently with an Export stuck on the network and makes it give up.
#pragma once

#include <chrono>
#include <memory>

#include "telemetry/logs/log_record_exporter.h"
#include "telemetry/otlp/exporter_config.h"
#include "telemetry/otlp/otlp_export_gate.h"
#include "telemetry/otlp/transport.h"

namespace agenthub::telemetry {

class OtlpLogExporter : public LogRecordExporter {
 public:
  // config.signal is forced to kLogs.
  explicit OtlpLogExporter(OtlpExporterConfig config);
  ~OtlpLogExporter() override;

  ExportResult Export(std::span<const LogRecordData* const> batch, Deadline deadline) override;
  // Cancels an export in progress and waits (up to `timeout`) for it to
  // return; later exports fail at once.
  bool Shutdown(std::chrono::milliseconds timeout) override;

  const OtlpExporterConfig& config() const { return transport_->config(); }

 private:
  std::unique_ptr<OtlpTransport> transport_;
  std::unique_ptr<char[]> arena_block_;  // first arena block, reused by every export
  OtlpExportGate gate_;                  // lets Shutdown cancel and wait for an Export
};

// The exporter for `config` (OtlpExporterConfig::FromEnvironment(kLogs) for
// the standard OTEL_EXPORTER_OTLP_* / OTEL_EXPORTER_OTLP_LOGS_* settings).
std::unique_ptr<LogRecordExporter> MakeOtlpLogExporter(OtlpExporterConfig config);

}  // namespace agenthub::telemetry
