// Meter: creates instruments for one instrumentation scope (a library or
// module). Obtain it from MeterProvider::GetMeter; cheap to copy and
// thread-safe.
//
// Creation is where names are checked: an invalid name or unit, or a name
// already used by another kind of instrument, throws std::invalid_argument
// that says what is wrong (see prometheus_naming.h for the rules). Creating
// an instrument again with the same name and kind returns the same one, from
// any Meter of the provider: Prometheus has one namespace per process.
//
//   Meter meter = provider.GetMeter("agenthub.broker", "1.0");
//   auto published = meter.CreateInt64Counter("agenthub.tasks.published", "Tasks accepted");
//   auto latency = meter.CreateHistogram("agenthub.route.duration", "Routing time", "s");
//   auto route = latency.Bind({{"queue", "tasks"}});     // once
//   route.Record(0.00042);                               // hot path
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "telemetry/metrics/instruments.h"
#include "telemetry/metrics/observable.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

namespace internal {
class MeterCore;
}

class Meter {
 public:
  Int64Counter CreateInt64Counter(std::string_view name, std::string_view description = {},
                                  std::string_view unit = {});
  DoubleCounter CreateDoubleCounter(std::string_view name, std::string_view description = {},
                                    std::string_view unit = {});
  Int64UpDownCounter CreateInt64UpDownCounter(std::string_view name,
                                              std::string_view description = {},
                                              std::string_view unit = {});
  DoubleUpDownCounter CreateDoubleUpDownCounter(std::string_view name,
                                                std::string_view description = {},
                                                std::string_view unit = {});
  Int64Gauge CreateInt64Gauge(std::string_view name, std::string_view description = {},
                              std::string_view unit = {});
  DoubleGauge CreateDoubleGauge(std::string_view name, std::string_view description = {},
                                std::string_view unit = {});
  // `buckets`: explicit upper bounds, strictly increasing; empty means
  // DefaultLatencyBuckets() (seconds, 50 us .. 10 s).
  Histogram CreateHistogram(std::string_view name, std::string_view description = {},
                            std::string_view unit = {}, std::vector<double> buckets = {});

  // The callback runs at every collection; see observable.h.
  ObservableInstrument CreateObservableCounter(std::string_view name, std::string_view description,
                                               std::string_view unit, ObservableCallback callback);
  ObservableInstrument CreateObservableUpDownCounter(std::string_view name,
                                                     std::string_view description,
                                                     std::string_view unit,
                                                     ObservableCallback callback);
  ObservableInstrument CreateObservableGauge(std::string_view name, std::string_view description,
                                             std::string_view unit, ObservableCallback callback);

  const InstrumentationScope& scope() const { return *scope_; }

 private:
  friend class MeterProvider;
  Meter(std::shared_ptr<internal::MeterCore> core,
        std::shared_ptr<const InstrumentationScope> scope);

  InstrumentDescriptor Describe(std::string_view name, std::string_view description,
                                std::string_view unit, InstrumentKind kind,
                                InstrumentValueType value_type) const;
  template <typename Metric>
  std::shared_ptr<internal::InstrumentState<Metric>> Sync(InstrumentDescriptor descriptor);
  ObservableInstrument Observable(InstrumentDescriptor descriptor, ObservableCallback callback);

  std::shared_ptr<internal::MeterCore> core_;
  std::shared_ptr<const InstrumentationScope> scope_;
};

}  // namespace agenthub::telemetry
