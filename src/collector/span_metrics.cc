#include "collector/span_metrics.h"

namespace agenthub::collector {
namespace {

constexpr const char* kOther = "_other";

std::string ServiceOf(const opentelemetry::proto::resource::v1::Resource& resource) {
  for (const auto& kv : resource.attributes()) {
    if (kv.key() == "service.name" && kv.value().has_string_value()) {
      return kv.value().string_value();
    }
  }
  return "unknown_service";
}

}  // namespace

SpanMetrics::SpanMetrics(telemetry::Meter meter, size_t max_series)
    : max_series_(max_series),
      calls_(meter.CreateInt64Counter("agenthub.collector.span.calls",
                                      "Spans stored, by service and operation.")),
      errors_(
          meter.CreateInt64Counter("agenthub.collector.span.errors",
                                   "Spans stored with status ERROR, by service and operation.")),
      duration_(meter.CreateHistogram("agenthub.collector.span.duration",
                                      "Durations of the spans stored, by service and operation.",
                                      "s")) {}

SpanMetrics::Series& SpanMetrics::Lookup(const std::string& service, const std::string& operation) {
  auto key = std::make_pair(service, operation);
  if (auto it = series_.find(key); it != series_.end()) return it->second;
  if (series_.size() >= max_series_) {
    // Fold into the service's "_other", or, when even that would be new,
    // into one catch-all series (created once past the limit).
    key.second = kOther;
    if (!series_.count(key)) key.first = kOther;
    if (auto it = series_.find(key); it != series_.end()) return it->second;
  }
  const telemetry::Attributes labels{{"service", key.first}, {"operation", key.second}};
  Series series{calls_.Bind(labels), errors_.Bind(labels), duration_.Bind(labels)};
  return series_.emplace(std::move(key), series).first->second;
}

void SpanMetrics::Record(
    const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request) {
  std::lock_guard lock(mu_);
  for (const auto& rs : request.resource_spans()) {
    const std::string service = ServiceOf(rs.resource());
    for (const auto& ss : rs.scope_spans()) {
      for (const auto& span : ss.spans()) {
        Series& s = Lookup(service, span.name());
        s.calls.Add(1);
        if (span.status().code() == opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR) {
          s.errors.Add(1);
        }
        const uint64_t ns = span.end_time_unix_nano() - span.start_time_unix_nano();
        s.duration.Record(static_cast<double>(ns) / 1e9);
      }
    }
  }
}

}  // namespace agenthub::collector
