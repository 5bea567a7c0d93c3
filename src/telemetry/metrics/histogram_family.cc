#include "telemetry/metrics/histogram_family.h"

#include <utility>

#include "telemetry/metrics/labels.h"

namespace agenthub::telemetry::internal {

HistogramFamily::HistogramFamily(InstrumentDescriptor descriptor, std::string help)
    : descriptor_(std::move(descriptor)), help_(std::move(help)) {}

ShardedHistogram& HistogramFamily::Series(const Attributes& attributes) {
  if (!attributes.empty()) return AddSeries(attributes);
  ShardedHistogram* series = unlabelled_.load(std::memory_order_acquire);
  if (series == nullptr) {
    series = &AddSeries(attributes);
    unlabelled_.store(series, std::memory_order_release);
  }
  return *series;
}

ShardedHistogram& HistogramFamily::AddSeries(const Attributes& attributes) {
  prometheus::Labels labels = AttributesToLabels(attributes, /*histogram=*/true);
  std::lock_guard lock(mutex_);
  auto [it, inserted] = series_.try_emplace(std::move(labels));
  if (inserted) it->second = std::make_unique<ShardedHistogram>(descriptor_.buckets);
  return *it->second;
}

std::vector<prometheus::MetricFamily> HistogramFamily::Collect() const {
  prometheus::MetricFamily family;
  family.name = descriptor_.prometheus_name;
  family.help = help_;
  family.type = prometheus::MetricType::Histogram;
  std::lock_guard lock(mutex_);
  family.metric.reserve(series_.size());
  for (const auto& [labels, series] : series_) {
    prometheus::ClientMetric& metric = family.metric.emplace_back();
    for (const auto& [name, value] : labels) metric.label.push_back({name, value});
    metric.histogram = series->Collect();
  }
  return {std::move(family)};
}

// Leaked on purpose: handles may outlive static destruction.
ShardedHistogram& DiscardHistogram() {
  static auto* series = new ShardedHistogram({});
  return *series;
}

}  // namespace agenthub::telemetry::internal
