// MeterProvider: the metrics pipeline of a process. It owns one
// prometheus::Registry and hands out Meters; the same numbers are read two
// ways, both cumulative so they always agree:
//   pull  ScrapePrometheusText() -> /metrics (Prometheus text format 0.0.4)
//   push  Collect() -> the OTLP metric exporter (telemetry/otlp)
//
// Besides instruments, every collection includes:
//   target_info               the Resource as labels (OpenTelemetry's
//                             Prometheus mapping), so service.name can be
//                             joined onto any series
//   process_*                 CPU, memory, fds, threads, start time
//   agenthub_trace_*          the tracing SDK's own counters, so that
//                             `curl :8080/metrics | grep trace` answers
//                             "are spans being created?"
// and whatever AddCollectable() adds (logs and exporter self-metrics).
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/common/clock.h"
#include "telemetry/metrics/instrument_descriptor.h"
#include "telemetry/metrics/meter.h"
#include "telemetry/resource/resource.h"

namespace agenthub::telemetry {

namespace internal {
class MeterCore;
}

struct MeterProviderOptions {
  // The SDK defaults with OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES
  // applied; programs pass Resource::Create("their-service", ...).
  Resource resource = Resource::Create({});
  bool target_info = true;
  bool process_metrics = true;
  // agenthub_trace_* read from GlobalTracerProvider() at each collection.
  // Turn off and AddCollectable(std::make_shared<TraceSelfMetrics>(p)) to
  // report a provider that is not the global one.
  bool trace_self_metrics = true;
};

class MeterProvider {
 public:
  MeterProvider();
  explicit MeterProvider(MeterProviderOptions options);
  MeterProvider(const MeterProvider&) = delete;
  MeterProvider& operator=(const MeterProvider&) = delete;
  ~MeterProvider();

  // The same (name, version, schema_url) always yields an equal scope.
  Meter GetMeter(std::string_view name, std::string_view version = {},
                 std::string_view schema_url = {});

  // Families `collectable` reports join every collection, after the
  // instruments'. Its names must not collide with instruments'.
  void AddCollectable(std::shared_ptr<const prometheus::Collectable> collectable);
  bool RemoveCollectable(const prometheus::Collectable* collectable);

  // Every family: instruments, observables, then collectables. Thread-safe;
  // observable callbacks run on the calling thread.
  std::vector<prometheus::MetricFamily> Collect() const;

  // Collect() in the Prometheus text exposition format (prometheus-cpp's
  // TextSerializer), HELP and TYPE for every family; serve it with
  // Content-Type "text/plain; version=0.0.4; charset=utf-8".
  std::string ScrapePrometheusText() const;

  // Instruments created so far, for exporters that need the OpenTelemetry
  // view (kind, unit, scope) of a Prometheus family.
  std::vector<InstrumentDescriptor> descriptors() const;

  // The registry itself, for code written against prometheus-cpp directly.
  // Families registered here are scraped and exported like instruments.
  prometheus::Registry& registry();
  const Resource& resource() const;
  // When the provider was created: the start of every cumulative series.
  Timestamp start_time() const;

 private:
  std::shared_ptr<internal::MeterCore> core_;
};

// Content-Type of ScrapePrometheusText().
inline constexpr std::string_view kPrometheusTextContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// The process-wide provider for code that does not receive one explicitly
// (the ops server's /metrics, the broker's instruments). Created with
// default options on first use; never null.
void SetGlobalMeterProvider(std::shared_ptr<MeterProvider> provider);
std::shared_ptr<MeterProvider> GlobalMeterProvider();

}  // namespace agenthub::telemetry
