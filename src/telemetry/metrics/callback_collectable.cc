#include "telemetry/metrics/callback_collectable.h"

#include <exception>
#include <unordered_map>
#include <utility>

#include "telemetry/common/diagnostics.h"

namespace agenthub::telemetry {

MetricSample CounterSample(std::string name, std::string help, double value,
                           prometheus::Labels labels) {
  return {std::move(name), std::move(help), prometheus::MetricType::Counter, value,
          std::move(labels)};
}

MetricSample GaugeSample(std::string name, std::string help, double value,
                         prometheus::Labels labels) {
  return {std::move(name), std::move(help), prometheus::MetricType::Gauge, value,
          std::move(labels)};
}

std::vector<prometheus::MetricFamily> SamplesToFamilies(const std::vector<MetricSample>& samples) {
  std::vector<prometheus::MetricFamily> families;
  std::unordered_map<std::string, size_t> index;
  for (const auto& sample : samples) {
    auto [it, inserted] = index.try_emplace(sample.name, families.size());
    if (inserted) families.push_back({sample.name, sample.help, sample.type, {}});
    prometheus::MetricFamily& family = families[it->second];
    prometheus::ClientMetric metric;
    for (const auto& [name, value] : sample.labels) metric.label.push_back({name, value});
    switch (family.type) {
      case prometheus::MetricType::Counter:
        metric.counter.value = sample.value;
        break;
      case prometheus::MetricType::Gauge:
        metric.gauge.value = sample.value;
        break;
      default:
        metric.untyped.value = sample.value;
        break;
    }
    family.metric.push_back(std::move(metric));
  }
  return families;
}

CallbackCollectable::CallbackCollectable(Callback callback) : callback_(std::move(callback)) {}

std::vector<prometheus::MetricFamily> CallbackCollectable::Collect() const {
  try {
    return SamplesToFamilies(callback_());
  } catch (const std::exception& e) {
    ReportWarning(std::string("metrics callback failed: ") + e.what());
  } catch (...) {
    ReportWarning("metrics callback failed with an unknown exception");
  }
  return {};
}

}  // namespace agenthub::telemetry
