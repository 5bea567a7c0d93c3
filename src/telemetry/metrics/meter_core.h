// The state a MeterProvider shares with its Meters and instruments: one
// prometheus::Registry, the table of instruments created so far (so
// creating one twice is idempotent and a conflicting kind is caught), the
// observable callbacks, and extra collectables (process, SDK self-metrics).
// Instruments hold it through shared_ptr, so it outlives the provider
// object while any instrument is alive.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "telemetry/common/clock.h"
#include "telemetry/metrics/instrument_descriptor.h"
#include "telemetry/metrics/observable.h"
#include "telemetry/resource/resource.h"

namespace agenthub::telemetry::internal {

class MeterCore {
 public:
  MeterCore(Resource resource, Timestamp start_time);
  MeterCore(const MeterCore&) = delete;
  MeterCore& operator=(const MeterCore&) = delete;

  // The state of the instrument named descriptor.prometheus_name: the
  // existing one when its kind and value type match (a differing
  // description, unit or buckets is reported as a warning and the first
  // wins, as OpenTelemetry asks), else what `make` returns, remembered.
  // Throws std::invalid_argument when the name is taken by another kind.
  std::shared_ptr<void> FindOrCreate(const InstrumentDescriptor& descriptor,
                                     const std::function<std::shared_ptr<void>()>& make);

  void AddCollectable(std::shared_ptr<const prometheus::Collectable> collectable);
  bool RemoveCollectable(const prometheus::Collectable* collectable);

  // Registry, observables, then collectables; families sharing a name are
  // merged (same type) or the later one dropped with a warning, so the
  // exposition never repeats a family.
  std::vector<prometheus::MetricFamily> Collect() const;

  std::vector<InstrumentDescriptor> Descriptors() const;

  prometheus::Registry& registry() { return registry_; }
  const std::shared_ptr<ObservableRegistry>& observables() const { return observables_; }
  const Resource& resource() const { return resource_; }
  Timestamp start_time() const { return start_time_; }

 private:
  struct Entry {
    InstrumentDescriptor descriptor;
    std::shared_ptr<void> state;  // InstrumentState<...>, or null for observables
  };

  const Resource resource_;
  const Timestamp start_time_;
  // Declared before entries_: instrument states refer to its families.
  prometheus::Registry registry_;
  const std::shared_ptr<ObservableRegistry> observables_;

  mutable std::mutex mutex_;  // guards entries_ and collectables_
  std::map<std::string, Entry, std::less<>> entries_;
  std::vector<std::shared_ptr<const prometheus::Collectable>> collectables_;
};

}  // namespace agenthub::telemetry::internal
