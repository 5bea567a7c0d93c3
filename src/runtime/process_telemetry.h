// ProcessTelemetry: what every AgentHub process (broker, agents, collector)
// starts with, configured the standard way.
//
//   traces   TracerProvider, sampler/limits from OTEL_*, exporters from
//            OTEL_TRACES_EXPORTER (otlp | console | jsonl | none), batched
//   metrics  MeterProvider; /metrics always served (Prometheus pull); OTLP
//            push when OTEL_METRICS_EXPORTER includes otlp (the default)
//   logs     JSON lines on stderr (LOG_LEVEL, LOG_FORMAT or flags); OTLP log
//            export when OTEL_LOGS_EXPORTER includes otlp (the default)
//   ops      /metrics, /health, /ready on one HTTP port
//   context  W3C propagators from OTEL_PROPAGATORS, set as the global ones
//
// The providers are also installed as the process-wide globals, so code that
// does not receive them explicitly still reports into the same pipeline.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ops/ops.h"
#include "telemetry/otlp/otlp.h"
#include "telemetry/telemetry.h"

namespace agenthub::runtime {

struct ProcessTelemetryOptions {
  std::string service_name;     // e.g. "agenthub-broker"
  std::string service_version;  // e.g. agenthub::kVersion
  // The ops HTTP port; nullopt: no ops server. 0: any free port.
  std::optional<int> ops_port;
  std::string ops_host = "0.0.0.0";
  // Command-line overrides of LOG_LEVEL / LOG_FORMAT.
  std::optional<telemetry::LogLevel> log_level;
  std::optional<telemetry::LogFormat> log_format;
  // The exporter of a signal whose OTEL_*_EXPORTER is unset. The
  // specification's default is otlp; the collector sets "none", so its own
  // telemetry does not flow into itself (a user who sets the variable, to
  // send the collector's traces elsewhere, is obeyed).
  std::string default_exporter = "otlp";
  // More span pipelines beside the OTEL_TRACES_EXPORTER ones: embedders and
  // tests that want spans in memory. Factories, so the options stay copyable.
  std::vector<std::function<std::unique_ptr<telemetry::SpanProcessor>()>> extra_span_processors;
};

class ProcessTelemetry {
 public:
  // Null with *error set when the ops port cannot be bound. Invalid OTEL_*
  // values never fail: they are logged as warnings and defaults are used.
  static std::unique_ptr<ProcessTelemetry> Start(ProcessTelemetryOptions options,
                                                 std::string* error);
  // Shutdown(5 s) if not done already.
  ~ProcessTelemetry();
  ProcessTelemetry(const ProcessTelemetry&) = delete;
  ProcessTelemetry& operator=(const ProcessTelemetry&) = delete;

  telemetry::Tracer Tracer(std::string_view scope_name);
  telemetry::Meter Meter(std::string_view scope_name);
  telemetry::Logger& logger() { return *logger_; }
  const std::shared_ptr<telemetry::TracerProvider>& tracer_provider() { return tracer_provider_; }
  const std::shared_ptr<telemetry::MeterProvider>& meter_provider() { return meter_provider_; }
  // Null when no ops port was asked for.
  ops::OpsServer* ops() { return ops_.get(); }

  // One line per signal saying where it goes, for start-up logs.
  std::string Describe() const;

  // Flushes and stops every exporter; returns false when something did not
  // finish by the timeout. Idempotent.
  bool Shutdown(std::chrono::milliseconds timeout);

 private:
  ProcessTelemetry() = default;
  // The steps of Start, in its order (logs first, so every later warning
  // lands in the structured log). StartOps returns an error, or "".
  void StartLogs(const ProcessTelemetryOptions& options, const telemetry::Resource& resource,
                 bool sdk_disabled);
  void StartTraces(const ProcessTelemetryOptions& options, const telemetry::Resource& resource);
  void StartMetrics(const ProcessTelemetryOptions& options, const telemetry::Resource& resource,
                    bool sdk_disabled);
  std::string StartOps(const ProcessTelemetryOptions& options);

  std::string traces_to_;
  std::string metrics_to_;
  std::string logs_to_;
  std::shared_ptr<telemetry::TracerProvider> tracer_provider_;
  std::shared_ptr<telemetry::MeterProvider> meter_provider_;
  std::unique_ptr<telemetry::PeriodicMetricExporter> metric_exporter_;
  std::shared_ptr<telemetry::LogRecordProcessor> log_processor_;
  std::shared_ptr<telemetry::Logger> logger_;
  std::unique_ptr<ops::OpsServer> ops_;
  bool shut_down_ = false;
};

}  // namespace agenthub::runtime
