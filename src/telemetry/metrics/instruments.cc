#include "telemetry/metrics/instruments.h"

#include <prometheus/family.h>

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
  // Label names are sanitized, so the family's validation cannot throw here.
  return family_.Add(AttributesToLabels(attributes));
}

template class InstrumentState<prometheus::Counter>;
template class InstrumentState<prometheus::Gauge>;

// Leaked on purpose: handles may outlive static destruction.
prometheus::Counter& DiscardCounter() {
  static auto* series = new prometheus::Counter();
  return *series;
}

prometheus::Gauge& DiscardGauge() {
  static auto* series = new prometheus::Gauge();
  return *series;
}

}  // namespace agenthub::telemetry::internal
