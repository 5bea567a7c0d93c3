// Synchronous instruments (OpenTelemetry metrics API): Counter,
// UpDownCounter and Gauge over prometheus-cpp families; Histogram over our
// per-thread sharded series (sharded_histogram.h), since prometheus-cpp's
// takes a mutex per observation.
//
// Every instrument has two ways to record:
//   counter.Add(1, {{"queue", "tasks"}});   looks up the labelled series
//                                           (a lock and a map lookup: fine
//                                           for rare events)
//   auto sent = counter.Bind({{"queue", "tasks"}});
//   sent.Add(1);                            a handle to one series: an atomic
//                                           update, a few ns, for hot paths
// Bind once (at startup or per connection) and keep the handle. Handles and
// instruments are cheap to copy and thread-safe. Recording never throws and
// never fails: invalid values (negative counter increments, NaN) are
// dropped, attribute keys are converted (see prometheus_naming.h).
//
// Lifetime: an instrument keeps its MeterProvider's registry alive; a bound
// handle is valid while an instrument of its family (or the provider) is. A
// default-constructed instrument or handle records nothing.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "telemetry/common/attribute.h"
#include "telemetry/metrics/histogram_family.h"
#include "telemetry/metrics/instrument_descriptor.h"

namespace prometheus {
template <typename T>
class Family;
}

namespace agenthub::telemetry {

namespace internal {

// One instrument's family and what is needed to add series to it.
// Defined for prometheus::Counter and Gauge (instruments.cc); histograms
// have their own (histogram_family.h).
template <typename Metric>
class InstrumentState {
 public:
  InstrumentState(InstrumentDescriptor descriptor, prometheus::Family<Metric>& family);

  // The series for `attributes`, created on first use.
  Metric& Series(const Attributes& attributes);
  const InstrumentDescriptor& descriptor() const { return descriptor_; }

 private:
  Metric& AddSeries(const Attributes& attributes);

  const InstrumentDescriptor descriptor_;
  prometheus::Family<Metric>& family_;
  // The attribute-less series, cached so Add(v) without attributes skips
  // the family's lock after the first call.
  std::atomic<Metric*> unlabelled_{nullptr};
};

extern template class InstrumentState<prometheus::Counter>;
extern template class InstrumentState<prometheus::Gauge>;

// Series that default-constructed handles write to and nobody reads, so a
// handle needs no null check on the hot path.
prometheus::Counter& DiscardCounter();
prometheus::Gauge& DiscardGauge();

template <typename T>
bool IsValidIncrement(T value) {
  if constexpr (std::is_floating_point_v<T>) {
    return value > 0 && value <= std::numeric_limits<T>::max();  // false for NaN and inf
  } else {
    return value > 0;
  }
}

}  // namespace internal

// Monotonic sum. Negative, NaN and infinite increments are dropped.
template <typename T>
class Counter {
 public:
  class Bound {
   public:
    Bound() : series_(&internal::DiscardCounter()) {}
    explicit Bound(prometheus::Counter& series) : series_(&series) {}
    void Add(T value) const {
      if (internal::IsValidIncrement(value)) series_->Increment(static_cast<double>(value));
    }

   private:
    prometheus::Counter* series_;
  };

  Counter() = default;
  explicit Counter(std::shared_ptr<internal::InstrumentState<prometheus::Counter>> state)
      : state_(std::move(state)) {}

  void Add(T value, const Attributes& attributes = {}) const {
    if (state_ && internal::IsValidIncrement(value)) {
      state_->Series(attributes).Increment(static_cast<double>(value));
    }
  }
  Bound Bind(const Attributes& attributes = {}) const {
    return state_ ? Bound(state_->Series(attributes)) : Bound();
  }
  const InstrumentDescriptor* descriptor() const {
    return state_ ? &state_->descriptor() : nullptr;
  }

 private:
  std::shared_ptr<internal::InstrumentState<prometheus::Counter>> state_;
};

// Sum that goes up and down (in-flight requests, queue length). Exposed to
// Prometheus as a gauge, to OTLP as a non-monotonic Sum.
template <typename T>
class UpDownCounter {
 public:
  class Bound {
   public:
    Bound() : series_(&internal::DiscardGauge()) {}
    explicit Bound(prometheus::Gauge& series) : series_(&series) {}
    void Add(T value) const { series_->Increment(static_cast<double>(value)); }

   private:
    prometheus::Gauge* series_;
  };

  UpDownCounter() = default;
  explicit UpDownCounter(std::shared_ptr<internal::InstrumentState<prometheus::Gauge>> state)
      : state_(std::move(state)) {}

  void Add(T value, const Attributes& attributes = {}) const {
    if (state_) state_->Series(attributes).Increment(static_cast<double>(value));
  }
  Bound Bind(const Attributes& attributes = {}) const {
    return state_ ? Bound(state_->Series(attributes)) : Bound();
  }
  const InstrumentDescriptor* descriptor() const {
    return state_ ? &state_->descriptor() : nullptr;
  }

 private:
  std::shared_ptr<internal::InstrumentState<prometheus::Gauge>> state_;
};

// Last value set (a configured limit, a temperature). For values that are
// cheap to read when scraped, prefer an observable gauge.
template <typename T>
class Gauge {
 public:
  class Bound {
   public:
    Bound() : series_(&internal::DiscardGauge()) {}
    explicit Bound(prometheus::Gauge& series) : series_(&series) {}
    void Set(T value) const { series_->Set(static_cast<double>(value)); }

   private:
    prometheus::Gauge* series_;
  };

  Gauge() = default;
  explicit Gauge(std::shared_ptr<internal::InstrumentState<prometheus::Gauge>> state)
      : state_(std::move(state)) {}

  void Set(T value, const Attributes& attributes = {}) const {
    if (state_) state_->Series(attributes).Set(static_cast<double>(value));
  }
  Bound Bind(const Attributes& attributes = {}) const {
    return state_ ? Bound(state_->Series(attributes)) : Bound();
  }
  const InstrumentDescriptor* descriptor() const {
    return state_ ? &state_->descriptor() : nullptr;
  }

 private:
  std::shared_ptr<internal::InstrumentState<prometheus::Gauge>> state_;
};

// Distribution over explicit buckets (cumulative, as Prometheus and OTLP
// cumulative temporality both expect). NaN and infinite values are dropped.
class Histogram {
 public:
  class Bound {
   public:
    Bound() : series_(&internal::DiscardHistogram()) {}
    explicit Bound(internal::ShardedHistogram& series) : series_(&series) {}
    void Record(double value) const {
      if (std::isfinite(value)) series_->Record(value);
    }

   private:
    internal::ShardedHistogram* series_;
  };

  Histogram() = default;
  explicit Histogram(std::shared_ptr<internal::HistogramFamily> family)
      : family_(std::move(family)) {}

  void Record(double value, const Attributes& attributes = {}) const {
    if (family_ && std::isfinite(value)) family_->Series(attributes).Record(value);
  }
  Bound Bind(const Attributes& attributes = {}) const {
    return family_ ? Bound(family_->Series(attributes)) : Bound();
  }
  const InstrumentDescriptor* descriptor() const {
    return family_ ? &family_->descriptor() : nullptr;
  }

 private:
  std::shared_ptr<internal::HistogramFamily> family_;
};

using Int64Counter = Counter<int64_t>;
using DoubleCounter = Counter<double>;
using Int64UpDownCounter = UpDownCounter<int64_t>;
using DoubleUpDownCounter = UpDownCounter<double>;
using Int64Gauge = Gauge<int64_t>;
using DoubleGauge = Gauge<double>;

}  // namespace agenthub::telemetry
