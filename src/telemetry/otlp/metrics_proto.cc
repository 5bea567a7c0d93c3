#include "telemetry/otlp/metrics_proto.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "telemetry/otlp/trace_proto.h"

namespace agenthub::telemetry {
namespace {

namespace metrics_pb = opentelemetry::proto::metrics::v1;

using ScopeKey = std::tuple<std::string, std::string, std::string>;

struct PointTimes {
  uint64_t start;
  uint64_t now;
};

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         std::string_view(s).substr(s.size() - suffix.size()) == suffix;
}

// The unit of a family no instrument describes, from its name's suffix.
std::string InferUnit(const std::string& name) {
  if (EndsWith(name, "_seconds") || EndsWith(name, "_seconds_total")) return "s";
  if (EndsWith(name, "_bytes") || EndsWith(name, "_bytes_total")) return "By";
  return "";
}

template <typename Point>
void FillLabels(const prometheus::ClientMetric& metric, Point* point) {
  for (const auto& label : metric.label) {
    auto* kv = point->add_attributes();
    kv->set_key(label.name);
    kv->mutable_value()->set_string_value(label.value);
  }
}

void FillNumber(const prometheus::ClientMetric& metric, double value, bool as_int, uint64_t start,
                uint64_t now, metrics_pb::NumberDataPoint* point) {
  FillLabels(metric, point);
  if (start != 0) point->set_start_time_unix_nano(start);
  point->set_time_unix_nano(now);
  // Int64 instruments only ever add whole numbers, so the double holds one.
  if (as_int && std::isfinite(value)) {
    point->set_as_int(static_cast<int64_t>(value));
  } else {
    point->set_as_double(value);
  }
}

void FillHistogramPoint(const prometheus::ClientMetric& metric, const PointTimes& t,
                        metrics_pb::HistogramDataPoint* point) {
  FillLabels(metric, point);
  point->set_start_time_unix_nano(t.start);
  point->set_time_unix_nano(t.now);
  const auto& h = metric.histogram;
  point->set_count(h.sample_count);
  point->set_sum(h.sample_sum);
  uint64_t below = 0;  // cumulative count of the buckets already written
  for (const auto& bucket : h.bucket) {
    if (!std::isinf(bucket.upper_bound)) point->add_explicit_bounds(bucket.upper_bound);
    // Saturating: counts are read under one lock, but never go negative.
    const uint64_t cumulative = std::max(bucket.cumulative_count, below);
    point->add_bucket_counts(cumulative - below);
    below = cumulative;
  }
  // OTLP requires bounds + 1 counts: add the +Inf bucket if it was absent.
  if (point->bucket_counts_size() == point->explicit_bounds_size()) {
    point->add_bucket_counts(h.sample_count > below ? h.sample_count - below : 0);
  }
}

void FillSummaryPoint(const prometheus::ClientMetric& metric, const PointTimes& t,
                      metrics_pb::SummaryDataPoint* point) {
  FillLabels(metric, point);
  point->set_start_time_unix_nano(t.start);
  point->set_time_unix_nano(t.now);
  point->set_count(metric.summary.sample_count);
  point->set_sum(metric.summary.sample_sum);
  for (const auto& q : metric.summary.quantile) {
    auto* v = point->add_quantile_values();
    v->set_quantile(q.quantile);
    v->set_value(q.value);
  }
}

// Fills the data of `out` from `family`; returns the points written.
size_t FillData(const prometheus::MetricFamily& family, const InstrumentDescriptor* d,
                const PointTimes& t, metrics_pb::Metric* out) {
  const bool as_int = d != nullptr && d->value_type == InstrumentValueType::kInt64;
  const auto cumulative = metrics_pb::AGGREGATION_TEMPORALITY_CUMULATIVE;
  switch (family.type) {
    case prometheus::MetricType::Counter: {
      auto* sum = out->mutable_sum();
      sum->set_aggregation_temporality(cumulative);
      sum->set_is_monotonic(true);
      for (const auto& m : family.metric) {
        FillNumber(m, m.counter.value, as_int, t.start, t.now, sum->add_data_points());
      }
      break;
    }
    case prometheus::MetricType::Gauge:
      if (d != nullptr && IsSum(d->kind)) {
        auto* sum = out->mutable_sum();
        sum->set_aggregation_temporality(cumulative);
        sum->set_is_monotonic(false);
        for (const auto& m : family.metric) {
          FillNumber(m, m.gauge.value, as_int, t.start, t.now, sum->add_data_points());
        }
      } else {
        // A gauge's start time has no meaning; the data model leaves it unset.
        for (const auto& m : family.metric) {
          FillNumber(m, m.gauge.value, as_int, 0, t.now, out->mutable_gauge()->add_data_points());
        }
      }
      break;
    case prometheus::MetricType::Untyped:
      for (const auto& m : family.metric) {
        FillNumber(m, m.untyped.value, false, 0, t.now, out->mutable_gauge()->add_data_points());
      }
      break;
    case prometheus::MetricType::Histogram: {
      auto* histogram = out->mutable_histogram();
      histogram->set_aggregation_temporality(cumulative);
      for (const auto& m : family.metric) FillHistogramPoint(m, t, histogram->add_data_points());
      break;
    }
    case prometheus::MetricType::Summary:
      for (const auto& m : family.metric) {
        FillSummaryPoint(m, t, out->mutable_summary()->add_data_points());
      }
      break;
  }
  return family.metric.size();
}

}  // namespace

size_t FillMetricsRequest(const MetricsBatch& batch, otlp_pb::ExportMetricsServiceRequest* out) {
  std::unordered_map<std::string_view, const InstrumentDescriptor*> described;
  for (const auto& d : batch.descriptors) described.emplace(d.prometheus_name, &d);

  auto* resource_metrics = out->add_resource_metrics();
  FillResource(batch.resource, resource_metrics->mutable_resource());
  resource_metrics->set_schema_url(batch.resource.schema_url());

  const InstrumentationScope sdk_scope{kSdkMetricsScope, "", ""};
  std::map<ScopeKey, metrics_pb::ScopeMetrics*> scopes;
  auto scope_metrics = [&](const InstrumentationScope& scope) {
    auto [it, inserted] =
        scopes.try_emplace(ScopeKey{scope.name, scope.version, scope.schema_url}, nullptr);
    if (inserted) {
      it->second = resource_metrics->add_scope_metrics();
      FillInstrumentationScope(scope, it->second->mutable_scope());
      it->second->set_schema_url(scope.schema_url);
    }
    return it->second;
  };

  const PointTimes times{UnixNanos(batch.start_time), UnixNanos(batch.collect_time)};
  size_t points = 0;
  for (const auto& family : batch.families) {
    if (family.name == "target_info" || family.metric.empty()) continue;
    auto it = described.find(family.name);
    const InstrumentDescriptor* d = it == described.end() ? nullptr : it->second;
    auto* metric = scope_metrics(d != nullptr ? d->scope : sdk_scope)->add_metrics();
    metric->set_name(d != nullptr ? d->name : family.name);
    metric->set_description(d != nullptr ? d->description : family.help);
    metric->set_unit(d != nullptr ? d->unit : InferUnit(family.name));
    points += FillData(family, d, times, metric);
  }
  return points;
}

}  // namespace agenthub::telemetry
