#include "telemetry/metrics/observable.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "telemetry/common/diagnostics.h"
#include "telemetry/metrics/labels.h"
#include "telemetry/metrics/prometheus_naming.h"

namespace agenthub::telemetry {

void ObserverResult::Observe(double value, const Attributes& attributes) {
  values_[AttributesToLabels(attributes)] = value;
}

ObservableInstrument::ObservableInstrument(std::weak_ptr<internal::ObservableRegistry> registry,
                                           uint64_t id,
                                           std::shared_ptr<const InstrumentDescriptor> descriptor)
    : registry_(std::move(registry)), id_(id), descriptor_(std::move(descriptor)) {}

void ObservableInstrument::Unregister() const {
  if (auto registry = registry_.lock()) registry->Remove(id_);
}

namespace internal {
namespace {

prometheus::MetricType PrometheusType(InstrumentKind kind) {
  return IsMonotonic(kind) ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge;
}

void RunCallback(const ObservableCallback& callback, const std::string& family,
                 ObserverResult& result) {
  try {
    callback(result);
  } catch (const std::exception& e) {
    ReportWarning("observable callback for " + family + " failed: " + e.what());
  } catch (...) {
    ReportWarning("observable callback for " + family + " failed with an unknown exception");
  }
}

}  // namespace

uint64_t ObservableRegistry::Add(const InstrumentDescriptor& descriptor,
                                 ObservableCallback callback) {
  std::lock_guard lock(mutex_);
  auto it = std::find_if(families_.begin(), families_.end(),
                         [&](const Family& f) { return f.name == descriptor.prometheus_name; });
  const size_t family = static_cast<size_t>(it - families_.begin());
  if (it == families_.end()) {
    families_.push_back({descriptor.prometheus_name,
                         PrometheusHelpText(descriptor.description, descriptor.name),
                         PrometheusType(descriptor.kind)});
  }
  const uint64_t id = next_id_++;
  registrations_.push_back({id, family, std::move(callback)});
  return id;
}

void ObservableRegistry::Remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  std::erase_if(registrations_, [id](const Registration& r) { return r.id == id; });
}

std::vector<prometheus::MetricFamily> ObservableRegistry::Collect() const {
  std::vector<Family> families;
  std::vector<Registration> registrations;
  {
    // Copied so callbacks run unlocked: one may be slow or unregister itself.
    std::lock_guard lock(mutex_);
    families = families_;
    registrations = registrations_;
  }
  std::vector<ObserverResult> results(families.size());
  for (const auto& r : registrations) {
    RunCallback(r.callback, families[r.family].name, results[r.family]);
  }
  std::vector<prometheus::MetricFamily> out;
  for (size_t i = 0; i < families.size(); ++i) {
    if (results[i].values_.empty()) continue;  // as prometheus-cpp omits empty families
    prometheus::MetricFamily family{families[i].name, families[i].help, families[i].type, {}};
    for (const auto& [labels, value] : results[i].values_) {
      prometheus::ClientMetric metric;
      for (const auto& [name, label_value] : labels) metric.label.push_back({name, label_value});
      if (family.type == prometheus::MetricType::Counter) {
        metric.counter.value = value;
      } else {
        metric.gauge.value = value;
      }
      family.metric.push_back(std::move(metric));
    }
    out.push_back(std::move(family));
  }
  return out;
}

}  // namespace internal
}  // namespace agenthub::telemetry
