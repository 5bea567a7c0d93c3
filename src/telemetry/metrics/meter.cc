#include "telemetry/metrics/meter.h"

#include <prometheus/family.h>

#include <stdexcept>
#include <type_traits>
#include <utility>

#include "telemetry/metrics/histogram_buckets.h"
#include "telemetry/metrics/meter_core.h"
#include "telemetry/metrics/prometheus_naming.h"

namespace agenthub::telemetry {

using Kind = InstrumentKind;
using Value = InstrumentValueType;

Meter::Meter(std::shared_ptr<internal::MeterCore> core,
             std::shared_ptr<const InstrumentationScope> scope)
    : core_(std::move(core)), scope_(std::move(scope)) {}

InstrumentDescriptor Meter::Describe(std::string_view name, std::string_view description,
                                     std::string_view unit, InstrumentKind kind,
                                     InstrumentValueType value_type) const {
  InstrumentDescriptor d;
  d.name = std::string(name);
  d.prometheus_name = PrometheusMetricName(name, unit, kind);
  d.description = std::string(description);
  d.unit = std::string(unit);
  d.kind = kind;
  d.value_type = value_type;
  d.scope = *scope_;
  return d;
}

template <typename Metric>
std::shared_ptr<internal::InstrumentState<Metric>> Meter::Sync(InstrumentDescriptor descriptor) {
  using State = internal::InstrumentState<Metric>;
  std::shared_ptr<void> state = core_->FindOrCreate(descriptor, [&]() -> std::shared_ptr<void> {
    const std::string help = PrometheusHelpText(descriptor.description, descriptor.name);
    auto builder = [] {
      if constexpr (std::is_same_v<Metric, prometheus::Counter>) return prometheus::BuildCounter();
      if constexpr (std::is_same_v<Metric, prometheus::Gauge>) return prometheus::BuildGauge();
    }();
    auto& family = builder.Name(descriptor.prometheus_name).Help(help).Register(core_->registry());
    return std::make_shared<State>(descriptor, family);
  });
  // Aliasing: the handle points at the state but owns the core that owns it.
  return std::shared_ptr<State>(core_, static_cast<State*>(state.get()));
}

ObservableInstrument Meter::Observable(InstrumentDescriptor descriptor,
                                       ObservableCallback callback) {
  if (!callback) {
    throw std::invalid_argument("metric instrument '" + descriptor.name +
                                "': the callback is empty");
  }
  core_->FindOrCreate(descriptor, [] { return std::shared_ptr<void>(); });
  const uint64_t id = core_->observables()->Add(descriptor, std::move(callback));
  return ObservableInstrument(core_->observables(), id,
                              std::make_shared<const InstrumentDescriptor>(std::move(descriptor)));
}

Int64Counter Meter::CreateInt64Counter(std::string_view name, std::string_view description,
                                       std::string_view unit) {
  return Int64Counter(
      Sync<prometheus::Counter>(Describe(name, description, unit, Kind::kCounter, Value::kInt64)));
}

DoubleCounter Meter::CreateDoubleCounter(std::string_view name, std::string_view description,
                                         std::string_view unit) {
  return DoubleCounter(
      Sync<prometheus::Counter>(Describe(name, description, unit, Kind::kCounter, Value::kDouble)));
}

Int64UpDownCounter Meter::CreateInt64UpDownCounter(std::string_view name,
                                                   std::string_view description,
                                                   std::string_view unit) {
  return Int64UpDownCounter(Sync<prometheus::Gauge>(
      Describe(name, description, unit, Kind::kUpDownCounter, Value::kInt64)));
}

DoubleUpDownCounter Meter::CreateDoubleUpDownCounter(std::string_view name,
                                                     std::string_view description,
                                                     std::string_view unit) {
  return DoubleUpDownCounter(Sync<prometheus::Gauge>(
      Describe(name, description, unit, Kind::kUpDownCounter, Value::kDouble)));
}

Int64Gauge Meter::CreateInt64Gauge(std::string_view name, std::string_view description,
                                   std::string_view unit) {
  return Int64Gauge(
      Sync<prometheus::Gauge>(Describe(name, description, unit, Kind::kGauge, Value::kInt64)));
}

DoubleGauge Meter::CreateDoubleGauge(std::string_view name, std::string_view description,
                                     std::string_view unit) {
  return DoubleGauge(
      Sync<prometheus::Gauge>(Describe(name, description, unit, Kind::kGauge, Value::kDouble)));
}

Histogram Meter::CreateHistogram(std::string_view name, std::string_view description,
                                 std::string_view unit, std::vector<double> buckets) {
  InstrumentDescriptor d = Describe(name, description, unit, Kind::kHistogram, Value::kDouble);
  d.buckets = ValidatedBuckets(name, std::move(buckets));
  using Family = internal::HistogramFamily;
  bool created = false;
  std::shared_ptr<void> state = core_->FindOrCreate(d, [&]() -> std::shared_ptr<void> {
    created = true;
    return std::make_shared<Family>(d, PrometheusHelpText(d.description, d.name));
  });
  // Aliasing: the handle points at the family but owns the core that owns it.
  auto family = std::shared_ptr<Family>(core_, static_cast<Family*>(state.get()));
  // Collected with the provider's other collectables (outside FindOrCreate,
  // which holds the lock AddCollectable takes).
  if (created) core_->AddCollectable(std::shared_ptr<const Family>(state, family.get()));
  return Histogram(std::move(family));
}

ObservableInstrument Meter::CreateObservableCounter(std::string_view name,
                                                    std::string_view description,
                                                    std::string_view unit,
                                                    ObservableCallback callback) {
  return Observable(Describe(name, description, unit, Kind::kObservableCounter, Value::kDouble),
                    std::move(callback));
}

ObservableInstrument Meter::CreateObservableUpDownCounter(std::string_view name,
                                                          std::string_view description,
                                                          std::string_view unit,
                                                          ObservableCallback callback) {
  return Observable(
      Describe(name, description, unit, Kind::kObservableUpDownCounter, Value::kDouble),
      std::move(callback));
}

ObservableInstrument Meter::CreateObservableGauge(std::string_view name,
                                                  std::string_view description,
                                                  std::string_view unit,
                                                  ObservableCallback callback) {
  return Observable(Describe(name, description, unit, Kind::kObservableGauge, Value::kDouble),
                    std::move(callback));
}

}  // namespace agenthub::telemetry
