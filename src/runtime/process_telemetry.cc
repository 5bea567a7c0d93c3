#include "runtime/process_telemetry.h"

#include <algorithm>

#include "runtime/protobuf_log_bridge.h"
#include "telemetry/otlp/otlp.h"
#include "telemetry/telemetry.h"

namespace agenthub::runtime {
namespace {

using namespace telemetry;

// An OTEL_*_EXPORTER list, `fallback` when the variable is unset or empty.
std::vector<std::string> ExporterList(std::string_view variable, const std::string& fallback) {
  std::vector<std::string> list = GetEnvList(variable);
  if (list.empty()) list.push_back(fallback);
  return list;
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string DescribeOtlp(const OtlpExporterConfig& config) {
  return std::string("otlp ") + OtlpProtocolName(config.protocol) + " " + config.endpoint;
}

void AppendTo(std::string& out, std::string_view item) {
  if (!out.empty()) out += ", ";
  out += item;
}

// One OTEL_TRACES_EXPORTER entry's exporter (null for "none" and unknown
// names, which are warned about); `traces_to` says where spans go.
std::unique_ptr<SpanExporter> MakeSpanExporter(const std::string& name, std::string& traces_to,
                                               Logger& logger) {
  if (name == "otlp") {
    auto config = OtlpExporterConfig::FromEnvironment(OtlpSignal::kTraces);
    AppendTo(traces_to, DescribeOtlp(config));
    return MakeOtlpSpanExporter(std::move(config));
  }
  if (name == "console") {
    AppendTo(traces_to, "console (stdout)");
    return std::make_unique<ConsoleSpanExporter>();
  }
  if (name == "jsonl") {
    AppendTo(traces_to, "OTLP/JSON lines (stdout)");
    return std::make_unique<JsonlSpanExporter>(std::cout);
  }
  if (name != "none")
    logger.Warn("unsupported OTEL_TRACES_EXPORTER value ignored", {{"value", name}});
  return nullptr;
}

// The logger's own counts in /metrics; weak, so the logger may go first.
std::shared_ptr<CallbackCollectable> LogStatsCollectable(std::weak_ptr<Logger> weak_logger) {
  return std::make_shared<CallbackCollectable>([weak_logger] {
    std::vector<MetricSample> samples;
    auto logger = weak_logger.lock();
    if (!logger) return samples;
    const LogStats s = logger->stats();
    for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
      samples.push_back(CounterSample("agenthub_logs_total", "Log records emitted, by level.",
                                      static_cast<double>(s.total(level)),
                                      {{"level", std::string(LogLevelName(level))}}));
    }
    samples.push_back(CounterSample("agenthub_logs_dropped_total",
                                    "Log records lost: sink write errors and export queue drops.",
                                    static_cast<double>(s.dropped())));
    samples.push_back(
        CounterSample("agenthub_logs_suppressed_total",
                      "Log lines held back by the per-message rate limit (LOG_RATE_LIMIT).",
                      static_cast<double>(s.suppressed)));
    return samples;
  });
}

}  // namespace

std::unique_ptr<ProcessTelemetry> ProcessTelemetry::Start(ProcessTelemetryOptions options,
                                                          std::string* error) {
  std::unique_ptr<ProcessTelemetry> p(new ProcessTelemetry());
  auto resource = Resource::Create(options.service_name, options.service_version);
  const bool sdk_disabled = GetEnvBool("OTEL_SDK_DISABLED", false);
  p->StartLogs(options, resource, sdk_disabled);
  p->StartTraces(options, resource);
  p->StartMetrics(options, resource, sdk_disabled);
  const std::string start_error = p->StartOps(options);
  if (!start_error.empty()) {
    if (error) *error = start_error;
    p->Shutdown(std::chrono::seconds(2));
    return nullptr;
  }
  return p;
}

void ProcessTelemetry::StartLogs(const ProcessTelemetryOptions& options, const Resource& resource,
                                 bool sdk_disabled) {
  LoggerOptions log_options = LoggerOptions::FromEnvironment(resource.service_name());
  if (options.log_level) log_options.level = *options.log_level;
  if (options.log_format) log_options.format = *options.log_format;
  log_options.resource = std::make_shared<const Resource>(resource);
  const auto logs_exporters = ExporterList("OTEL_LOGS_EXPORTER", options.default_exporter);
  logs_to_ = "stderr";
  if (!sdk_disabled && Contains(logs_exporters, "otlp")) {
    auto config = OtlpExporterConfig::FromEnvironment(OtlpSignal::kLogs);
    AppendTo(logs_to_, DescribeOtlp(config));
    log_processor_ = std::make_shared<BatchLogRecordProcessor>(
        MakeOtlpLogExporter(config), BatchLogRecordProcessorOptions::FromEnvironment());
    log_options.processor = log_processor_;
  }
  logger_ = std::make_shared<Logger>(std::move(log_options));
  SetDefaultLogger(logger_);
  InstallDiagnosticsBridge(*logger_);
  InstallProtobufLogBridge();
  for (const auto& name : logs_exporters) {
    if (name != "otlp" && name != "console" && name != "none") {
      logger_->Warn("unsupported OTEL_LOGS_EXPORTER value ignored", {{"value", name}});
    }
  }
}

void ProcessTelemetry::StartTraces(const ProcessTelemetryOptions& options,
                                   const Resource& resource) {
  auto trace_options = TracerProviderOptions::FromEnvironment(resource);
  if (trace_options.disabled) {
    traces_to_ = "disabled (OTEL_SDK_DISABLED)";
  } else {
    const auto bsp = BatchSpanProcessorOptions::FromEnvironment();
    for (const auto& name : ExporterList("OTEL_TRACES_EXPORTER", options.default_exporter)) {
      if (auto exporter = MakeSpanExporter(name, traces_to_, *logger_)) {
        trace_options.processors.push_back(
            std::make_unique<BatchSpanProcessor>(std::move(exporter), bsp));
      }
    }
    for (const auto& make_processor : options.extra_span_processors) {
      if (auto processor = make_processor())
        trace_options.processors.push_back(std::move(processor));
    }
    if (traces_to_.empty()) traces_to_ = "none";
  }
  tracer_provider_ = std::make_shared<TracerProvider>(std::move(trace_options));
  SetGlobalTracerProvider(tracer_provider_);
  SetGlobalPropagator(PropagatorFromEnvironment());
}

// Metrics: always scrapeable; pushed when asked.
void ProcessTelemetry::StartMetrics(const ProcessTelemetryOptions& options,
                                    const Resource& resource, bool sdk_disabled) {
  MeterProviderOptions meter_options;
  meter_options.resource = resource;
  meter_provider_ = std::make_shared<MeterProvider>(std::move(meter_options));
  SetGlobalMeterProvider(meter_provider_);
  meter_provider_->AddCollectable(LogStatsCollectable(logger_));
  metrics_to_ = "/metrics (Prometheus pull)";
  const auto metric_exporters = ExporterList("OTEL_METRICS_EXPORTER", options.default_exporter);
  if (!sdk_disabled && Contains(metric_exporters, "otlp")) {
    auto config = OtlpExporterConfig::FromEnvironment(OtlpSignal::kMetrics);
    AppendTo(metrics_to_, DescribeOtlp(config));
    metric_exporter_ = MakeOtlpPeriodicMetricExporter(meter_provider_);
  }
  for (const auto& name : metric_exporters) {
    if (name != "otlp" && name != "prometheus" && name != "none") {
      logger_->Warn("unsupported OTEL_METRICS_EXPORTER value ignored", {{"value", name}});
    }
  }
}

std::string ProcessTelemetry::StartOps(const ProcessTelemetryOptions& options) {
  if (!options.ops_port) return "";
  ops::OpsServerOptions ops_options;
  ops_options.host = options.ops_host;
  ops_options.port = *options.ops_port;
  ops_options.version = options.service_version;
  ops_ = std::make_unique<ops::OpsServer>(ops_options);
  std::weak_ptr<MeterProvider> weak_meters = meter_provider_;
  ops_->SetMetricsCallback([weak_meters] {
    auto meters = weak_meters.lock();
    return meters ? meters->ScrapePrometheusText() : std::string();
  });
  return ops_->Start();
}

ProcessTelemetry::~ProcessTelemetry() { Shutdown(std::chrono::seconds(5)); }

telemetry::Tracer ProcessTelemetry::Tracer(std::string_view scope_name) {
  return tracer_provider_->GetTracer(scope_name);
}

telemetry::Meter ProcessTelemetry::Meter(std::string_view scope_name) {
  return meter_provider_->GetMeter(scope_name);
}

std::string ProcessTelemetry::Describe() const {
  std::string out =
      "traces -> " + traces_to_ + "; metrics -> " + metrics_to_ + "; logs -> " + logs_to_;
  if (ops_)
    out += "; ops http://localhost:" + std::to_string(ops_->port()) + "/{metrics,health,ready}";
  return out;
}

bool ProcessTelemetry::Shutdown(std::chrono::milliseconds timeout) {
  if (shut_down_) return true;
  shut_down_ = true;
  const auto deadline = telemetry::SteadyClock::now() + timeout;
  auto left = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - telemetry::SteadyClock::now()));
  };
  bool ok = true;
  if (ops_) ops_->Stop();
  if (tracer_provider_) ok &= tracer_provider_->Shutdown(left());
  if (metric_exporter_) ok &= metric_exporter_->Shutdown(left());
  if (logger_) logger_->Flush();
  if (log_processor_) ok &= log_processor_->Shutdown(left());
  return ok;
}

}  // namespace agenthub::runtime
