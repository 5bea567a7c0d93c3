// SpanMetrics: RED metrics derived from the spans the collector stores
// (like the OpenTelemetry Collector's spanmetrics connector), on the
// collector's own /metrics:
//
//   agenthub.collector.span.calls     spans, by service and operation
//   agenthub.collector.span.errors    spans with status ERROR, likewise
//   agenthub.collector.span.duration  histogram of span durations (s)
//
// Senders choose service and span names, so the number of series is
// bounded: past max_series distinct (service, operation) pairs, further
// pairs are counted under operation "_other" of their service, and past
// that under service "_other" too.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "telemetry/telemetry.h"

namespace agenthub::collector {

class SpanMetrics {
 public:
  explicit SpanMetrics(telemetry::Meter meter, size_t max_series = 1000);

  // Counts every span of `request`. Thread-safe.
  void Record(const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request);

 private:
  struct Series {
    telemetry::Int64Counter::Bound calls;
    telemetry::Int64Counter::Bound errors;
    telemetry::Histogram::Bound duration;
  };
  Series& Lookup(const std::string& service, const std::string& operation);

  const size_t max_series_;
  telemetry::Int64Counter calls_;
  telemetry::Int64Counter errors_;
  telemetry::Histogram duration_;
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Series> series_;  // guarded by mu_
};

}  // namespace agenthub::collector
