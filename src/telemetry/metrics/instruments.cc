#include "telemetry/metrics/instruments.h"

#include <prometheus/family.h>

#include <type_traits>
#include <utility>

#include "telemetry/metrics/labels.h"

namespace agenthub::telemetry::internal {

template <typename Metric>
InstrumentState<Metric>::InstrumentState(InstrumentDescriptor descriptor,
                                         prometheus::Family<Metric>& family)
    : descriptor_(std::move(descriptor)), family_(family) {}

template <typename Metric>
Metric& InstrumentState<Metric>::Series(const Attributes& attributes) {
  if (!attributes.empty()) return AddSeries(attributes);
  Metric* series = unlabelled_.load(std::memory_order_acquire);
  if (series == nullptr) {
    // Racing threads get the same series from the family; storing it twice
    // is harmless.
    series = &AddSeries(attributes);
    unlabelled_.store(series, std::memory_order_release);
  }
  return *series;
}

template <typename Metric>
Metric& InstrumentState<Metric>::AddSeries(const Attributes& attributes) {
  constexpr bool kHistogram = std::is_same_v<Metric, prometheus::Histogram>;
  // Label names are sanitized, so the family's validation cannot throw here.
  const prometheus::Labels labels = AttributesToLabels(attributes, kHistogram);
  if constexpr (kHistogram) {
    return family_.Add(labels, descriptor_.buckets);
  } else {
    return family_.Add(labels);
  }
}

template class InstrumentState<prometheus::Counter>;
template class InstrumentState<prometheus::Gauge>;
template class InstrumentState<prometheus::Histogram>;

// Leaked on purpose: handles may outlive static destruction.
prometheus::Counter& DiscardCounter() {
  static auto* series = new prometheus::Counter();
  return *series;
}

prometheus::Gauge& DiscardGauge() {
  static auto* series = new prometheus::Gauge();
  return *series;
}

prometheus::Histogram& DiscardHistogram() {
  static auto* series = new prometheus::Histogram(prometheus::Histogram::BucketBoundaries{});
  return *series;
}

}  // namespace agenthub::telemetry::internal
