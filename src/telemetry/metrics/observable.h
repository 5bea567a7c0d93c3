// Asynchronous (observable) instruments: a callback reports current values
// when the metrics are collected (a scrape of /metrics or an OTLP export),
// so values that already live elsewhere (a queue's size, a cache's hit
// count) are read only when someone looks, and cost nothing in between.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/labels.h>
#include <prometheus/metric_family.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "telemetry/common/attribute.h"
#include "telemetry/metrics/instrument_descriptor.h"

namespace agenthub::telemetry {

namespace internal {
class ObservableRegistry;
}

// What a callback reports during one collection.
class ObserverResult {
 public:
  // One value per attribute set; observing the same set twice keeps the
  // last value. Counters report their running total, not an increment.
  void Observe(double value, const Attributes& attributes = {});

 private:
  friend class internal::ObservableRegistry;
  std::map<prometheus::Labels, double> values_;
};

// Called on the collecting thread, possibly concurrently with itself when
// collections overlap; it must be thread-safe, quick, and must not create
// instruments or collect. An exception it throws is reported as a diagnostic
// and its observations are dropped for that collection. Whatever it reads
// must outlive the registration: Unregister() first.
using ObservableCallback = std::function<void(ObserverResult&)>;

// A registered callback. Copies refer to the same registration.
class ObservableInstrument {
 public:
  ObservableInstrument() = default;
  ObservableInstrument(std::weak_ptr<internal::ObservableRegistry> registry, uint64_t id,
                       std::shared_ptr<const InstrumentDescriptor> descriptor);

  // Stops calling the callback; later collections leave out what it
  // reported. Safe to call more than once, and after the provider is gone.
  void Unregister() const;
  const InstrumentDescriptor* descriptor() const { return descriptor_.get(); }

 private:
  std::weak_ptr<internal::ObservableRegistry> registry_;
  uint64_t id_ = 0;
  std::shared_ptr<const InstrumentDescriptor> descriptor_;
};

namespace internal {

// All observable callbacks of a MeterProvider, collected as families.
class ObservableRegistry : public prometheus::Collectable {
 public:
  // Several callbacks may feed one family (same instrument created twice).
  uint64_t Add(const InstrumentDescriptor& descriptor, ObservableCallback callback);
  void Remove(uint64_t id);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  struct Family {
    std::string name;
    std::string help;
    prometheus::MetricType type;
  };
  struct Registration {
    uint64_t id;
    size_t family;  // index into families_
    ObservableCallback callback;
  };

  mutable std::mutex mutex_;  // guards the members below, never held during callbacks
  std::vector<Family> families_;
  std::vector<Registration> registrations_;
  uint64_t next_id_ = 1;
};

}  // namespace internal
}  // namespace agenthub::telemetry
