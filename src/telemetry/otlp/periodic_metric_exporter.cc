#include "telemetry/otlp/periodic_metric_exporter.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"
#include "telemetry/otlp/metrics_proto.h"

namespace agenthub::telemetry {
namespace {

constexpr std::chrono::milliseconds kDefaultInterval{60000};
constexpr std::chrono::milliseconds kDefaultTimeout{30000};
// Stands in for "no limit": far enough, and safe to add to now().
constexpr std::chrono::hours kNoTimeout{24};

PeriodicMetricExporterOptions Checked(PeriodicMetricExporterOptions options) {
  if (options.interval <= std::chrono::milliseconds::zero()) {
    ReportWarning("metric export interval must be positive; using 60000 ms");
    options.interval = kDefaultInterval;
  }
  if (options.timeout < std::chrono::milliseconds::zero()) options.timeout = kDefaultTimeout;
  return options;
}

}  // namespace

PeriodicMetricExporterOptions PeriodicMetricExporterOptions::FromEnvironment() {
  PeriodicMetricExporterOptions options;
  options.interval = GetEnvMillis("OTEL_METRIC_EXPORT_INTERVAL", kDefaultInterval);
  if (options.interval.count() == 0) {
    ReportWarning("OTEL_METRIC_EXPORT_INTERVAL=0 is invalid; using 60000");
    options.interval = kDefaultInterval;
  }
  options.timeout = GetEnvMillis("OTEL_METRIC_EXPORT_TIMEOUT", kDefaultTimeout);
  if (auto preference = GetEnv("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE");
      preference && ToLowerAscii(TrimSpaces(*preference)) != "cumulative") {
    ReportWarning("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=" + *preference +
                  " is not supported; metrics are exported with cumulative temporality");
  }
  return options;
}

PeriodicMetricExporter::PeriodicMetricExporter(std::shared_ptr<MeterProvider> provider,
                                               std::unique_ptr<OtlpTransport> transport,
                                               PeriodicMetricExporterOptions options)
    : provider_(std::move(provider)),
      transport_(std::move(transport)),
      options_(Checked(options)),
      counters_(std::make_shared<Counters>()),
      self_metrics_(std::make_shared<CallbackCollectable>([counters = counters_] {
        return std::vector<MetricSample>{
            CounterSample("agenthub_metric_exports_total", "OTLP metric export requests sent.",
                          static_cast<double>(counters->exports.load())),
            CounterSample("agenthub_metric_export_failures_total",
                          "OTLP metric export requests that failed.",
                          static_cast<double>(counters->failures.load())),
        };
      })) {
  if (!provider_ || !transport_) {
    throw std::invalid_argument("PeriodicMetricExporter needs a provider and a transport");
  }
  provider_->AddCollectable(self_metrics_);
  thread_ = std::thread([this] { Run(); });
}

PeriodicMetricExporter::~PeriodicMetricExporter() {
  Shutdown(options_.timeout);
  provider_->RemoveCollectable(self_metrics_.get());
}

void PeriodicMetricExporter::Run() {
  std::unique_lock lock(mu_);
  Deadline next = SteadyClock::now() + options_.interval;
  while (true) {
    cv_.wait_until(lock, next, [this] { return stop_ || flush_requested_ > flush_done_; });
    if (stop_) return;
    const uint64_t serving = flush_requested_;
    const Deadline started = SteadyClock::now();
    lock.unlock();
    const bool ok = ExportOnce();
    lock.lock();
    if (serving > flush_done_) {
      flush_done_ = serving;
      flush_ok_ = ok;
      cv_.notify_all();
    }
    // The interval runs from the start of one export to the next.
    next = started + options_.interval;
  }
}

bool PeriodicMetricExporter::ExportOnce() {
  MetricsBatch batch{provider_->Collect(), provider_->descriptors(), provider_->resource(),
                     provider_->start_time(), Now()};
  otlp_pb::ExportMetricsServiceRequest request;
  const size_t points = FillMetricsRequest(batch, &request);
  if (points == 0) return true;  // nothing recorded yet: nothing to send
  const std::chrono::milliseconds budget =
      options_.timeout.count() > 0
          ? options_.timeout
          : std::chrono::duration_cast<std::chrono::milliseconds>(kNoTimeout);
  counters_->exports.fetch_add(1, std::memory_order_relaxed);
  const OtlpSendResult result = transport_->Send(request, SteadyClock::now() + budget);
  if (result.ok) return true;
  counters_->failures.fetch_add(1, std::memory_order_relaxed);
  ReportWarning("OTLP metric export of " + std::to_string(points) +
                " data points failed: " + result.error);
  return false;
}

bool PeriodicMetricExporter::ForceFlush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (stop_) return false;
  const uint64_t mine = ++flush_requested_;
  cv_.notify_all();
  const bool served = cv_.wait_for(lock, timeout, [&] { return flush_done_ >= mine || stop_; });
  return served && flush_done_ >= mine && flush_ok_;
}

bool PeriodicMetricExporter::Shutdown(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return true;
    shut_down_ = true;
  }
  const bool ok = ForceFlush(timeout);  // the final export
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  transport_->Shutdown();  // an export still in flight gives up now
  if (thread_.joinable()) thread_.join();
  return ok;
}

MetricExportStats PeriodicMetricExporter::stats() const {
  return {counters_->exports.load(), counters_->failures.load()};
}

std::unique_ptr<PeriodicMetricExporter> MakeOtlpPeriodicMetricExporter(
    std::shared_ptr<MeterProvider> provider) {
  return std::make_unique<PeriodicMetricExporter>(
      std::move(provider),
      OtlpTransport::Create(OtlpExporterConfig::FromEnvironment(OtlpSignal::kMetrics)),
      PeriodicMetricExporterOptions::FromEnvironment());
}

}  // namespace agenthub::telemetry
