// OtlpSpanExporter: sends finished spans to an OTLP collector over gRPC or
// HTTP (binary protobuf or JSON), as its OtlpExporterConfig says.
//
// Each Export encodes the batch as one ExportTraceServiceRequest (binary:
// written straight from the spans into a buffer kept between exports; JSON:
// messages on an arena whose first block is kept likewise, so memory never
// grows with the number of exports), sends it through OtlpTransport, and
// waits at most until the earlier of the caller's deadline and now +
// config.timeout, retries included. A batch the collector refused, or that
// could not be delivered in time, is dropped with a diagnostic warning: the
// batch processor never retries a failure, and holding batches back would
// make memory grow while a collector is down.
//
// Export calls never overlap (the processor guarantees it); Shutdown may run
// concurrently with an Export stuck on the network and makes it give up.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "telemetry/otlp/exporter_config.h"
#include "telemetry/otlp/otlp_export_gate.h"
#include "telemetry/otlp/transport.h"
#include "telemetry/trace/span_exporter.h"

namespace agenthub::telemetry {

class OtlpSpanExporter : public SpanExporter {
 public:
  // `config.signal` must be kTraces.
  explicit OtlpSpanExporter(OtlpExporterConfig config);
  ~OtlpSpanExporter() override;

  ExportResult Export(std::span<const SpanData* const> batch, Deadline deadline) override;
  // Nothing is buffered between exports, so there is nothing to flush.
  bool ForceFlush(std::chrono::milliseconds timeout) override;
  // Cancels an export in progress and waits (up to `timeout`) for it to
  // return; later exports fail at once.
  bool Shutdown(std::chrono::milliseconds timeout) override;

  const OtlpExporterConfig& config() const { return transport_->config(); }

 private:
  std::unique_ptr<OtlpTransport> transport_;
  // Kept between exports (which never overlap) so that encoding a typical
  // batch allocates nothing: the binary request, and for http/json the
  // first block of the arena holding the messages.
  std::string body_;
  std::unique_ptr<char[]> arena_block_;
  OtlpExportGate gate_;  // lets Shutdown cancel and wait for an Export
};

// The exporter for `config` (OtlpExporterConfig::FromEnvironment(kTraces)
// for the standard OTEL_EXPORTER_OTLP_* configuration).
std::unique_ptr<SpanExporter> MakeOtlpSpanExporter(OtlpExporterConfig config);

}  // namespace agenthub::telemetry
