// PeriodicMetricExporter: pushes a MeterProvider's metrics to an OTLP
// collector on a background thread (the OpenTelemetry "periodic exporting
// MetricReader" with an OTLP exporter).
//
// Every interval it collects the provider (the same Collect() that serves
// /metrics, cumulative temporality, so a Prometheus scrape and an OTLP push
// taken at the same moment carry the same numbers), encodes one
// ExportMetricsServiceRequest and sends it through OtlpTransport within the
// export timeout. A failed export is counted, reported as a diagnostic and
// not retried beyond the transport's own retries: the next push carries the
// cumulative values anyway, so nothing is lost but resolution.
//
// It reports on itself through the provider it reads:
//   agenthub_metric_exports_total         export requests sent
//   agenthub_metric_export_failures_total those that failed
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "telemetry/metrics/callback_collectable.h"
#include "telemetry/metrics/meter_provider.h"
#include "telemetry/otlp/transport.h"

namespace agenthub::telemetry {

struct PeriodicMetricExporterOptions {
  // Time between the start of one export and the next.
  std::chrono::milliseconds interval{60000};
  // Budget for one export, retries included.
  std::chrono::milliseconds timeout{30000};

  // OTEL_METRIC_EXPORT_INTERVAL and OTEL_METRIC_EXPORT_TIMEOUT (ms); an
  // interval of 0 is invalid and keeps the default. Only cumulative
  // temporality is supported: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE
  // other than "cumulative" is reported and ignored.
  static PeriodicMetricExporterOptions FromEnvironment();
};

struct MetricExportStats {
  uint64_t exports = 0;   // requests sent (attempted)
  uint64_t failures = 0;  // requests that failed
};

class PeriodicMetricExporter {
 public:
  // Starts the export thread. `transport` must be configured for the
  // metrics signal. The provider is kept alive until Shutdown.
  PeriodicMetricExporter(std::shared_ptr<MeterProvider> provider,
                         std::unique_ptr<OtlpTransport> transport,
                         PeriodicMetricExporterOptions options);
  // Shutdown(options.timeout) unless done already.
  ~PeriodicMetricExporter();
  PeriodicMetricExporter(const PeriodicMetricExporter&) = delete;
  PeriodicMetricExporter& operator=(const PeriodicMetricExporter&) = delete;

  // Exports now (on the export thread) and waits for it. False when the
  // export failed, the timeout passed first, or after Shutdown. Always
  // returns by the timeout.
  bool ForceFlush(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // A final export, then stops the thread and the transport. False when the
  // final export failed or did not finish in time (it is then cancelled).
  // Returns by the timeout, give or take the transport noticing the cancel.
  // Idempotent.
  bool Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  MetricExportStats stats() const;
  const PeriodicMetricExporterOptions& options() const { return options_; }

 private:
  // Counters shared with the self-metrics collectable, which the provider
  // may still hold after this object is gone.
  struct Counters {
    std::atomic<uint64_t> exports{0};
    std::atomic<uint64_t> failures{0};
  };

  void Run();
  bool ExportOnce();

  const std::shared_ptr<MeterProvider> provider_;
  const std::unique_ptr<OtlpTransport> transport_;
  const PeriodicMetricExporterOptions options_;
  const std::shared_ptr<Counters> counters_;
  const std::shared_ptr<CallbackCollectable> self_metrics_;

  std::mutex mu_;  // guards the fields below
  std::condition_variable cv_;
  bool stop_ = false;
  bool shut_down_ = false;
  uint64_t flush_requested_ = 0;  // ForceFlush generations asked for
  uint64_t flush_done_ = 0;       // generations an export has served
  bool flush_ok_ = false;         // result of the export that served flush_done_
  std::thread thread_;            // last: starts after everything above exists
};

// The standard setup: transport from OtlpExporterConfig::FromEnvironment
// (kMetrics), options from PeriodicMetricExporterOptions::FromEnvironment().
std::unique_ptr<PeriodicMetricExporter> MakeOtlpPeriodicMetricExporter(
    std::shared_ptr<MeterProvider> provider);

}  // namespace agenthub::telemetry
