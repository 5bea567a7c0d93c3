// HistogramFamily: a Histogram instrument's series, one ShardedHistogram per
// label set, exposed to the MeterProvider's collection as a
// prometheus::Collectable (so /metrics and the OTLP exporter read it like
// any other family).
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/labels.h>
#include <prometheus/metric_family.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "telemetry/common/attribute.h"
#include "telemetry/metrics/instrument_descriptor.h"
#include "telemetry/metrics/sharded_histogram.h"

namespace agenthub::telemetry::internal {

class HistogramFamily : public prometheus::Collectable {
 public:
  HistogramFamily(InstrumentDescriptor descriptor, std::string help);

  // The series for `attributes`, created on first use. Series live as long
  // as the family, so bound handles may keep the reference.
  ShardedHistogram& Series(const Attributes& attributes);
  const InstrumentDescriptor& descriptor() const { return descriptor_; }

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  ShardedHistogram& AddSeries(const Attributes& attributes);

  const InstrumentDescriptor descriptor_;
  const std::string help_;
  mutable std::mutex mutex_;  // guards series_
  std::map<prometheus::Labels, std::unique_ptr<ShardedHistogram>> series_;
  // The attribute-less series, cached so Record(v) skips the lock.
  std::atomic<ShardedHistogram*> unlabelled_{nullptr};
};

// The series default-constructed handles write to and nobody reads, so a
// handle needs no null check on the hot path.
ShardedHistogram& DiscardHistogram();

}  // namespace agenthub::telemetry::internal
