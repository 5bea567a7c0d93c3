// A prometheus::Collectable whose samples come from a function called at
// every collection (scrape or OTLP export). It is how the SDK reports on
// itself (agenthub_trace_*, and the same way agenthub_logs_* and
// agenthub_metric_exports_*) without instruments that must be kept in sync
// with counters that already exist elsewhere: the callback reads the source
// of truth when someone looks.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/labels.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>

#include <functional>
#include <string>
#include <vector>

namespace agenthub::telemetry {

// One counter or gauge value. Samples with the same name form one family
// (HELP and TYPE from the first); give such samples distinct labels.
struct MetricSample {
  std::string name;  // a valid Prometheus name; counters end in _total
  std::string help;  // one line, no backslashes
  prometheus::MetricType type = prometheus::MetricType::Gauge;
  double value = 0;
  prometheus::Labels labels;
};

MetricSample CounterSample(std::string name, std::string help, double value,
                           prometheus::Labels labels = {});
MetricSample GaugeSample(std::string name, std::string help, double value,
                         prometheus::Labels labels = {});

// Groups samples into families in order of first appearance.
std::vector<prometheus::MetricFamily> SamplesToFamilies(const std::vector<MetricSample>& samples);

class CallbackCollectable : public prometheus::Collectable {
 public:
  using Callback = std::function<std::vector<MetricSample>()>;

  // `callback` runs on the collecting thread, concurrently with itself if two
  // scrapes overlap, so it must be thread-safe. If it throws, the collection
  // goes on without its samples and the error is reported as a diagnostic.
  explicit CallbackCollectable(Callback callback);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const Callback callback_;
};

}  // namespace agenthub::telemetry
