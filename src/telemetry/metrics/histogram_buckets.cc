#include "telemetry/metrics/histogram_buckets.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace agenthub::telemetry {

const std::vector<double>& DefaultLatencyBuckets() {
  static const std::vector<double> kBuckets{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                            0.005,   0.01,   0.025,   0.05,   0.1,   0.25,
                                            0.5,     1,      2.5,     5,      10};
  return kBuckets;
}

std::vector<double> ValidatedBuckets(std::string_view instrument, std::vector<double> buckets) {
  if (buckets.empty()) return DefaultLatencyBuckets();
  for (size_t i = 0; i < buckets.size(); ++i) {
    // +Inf is implicit in both Prometheus and OTLP; NaN has no order.
    if (!std::isfinite(buckets[i])) {
      throw std::invalid_argument("histogram '" + std::string(instrument) +
                                  "': bucket bounds must be finite (+Inf is implicit)");
    }
    if (i > 0 && !(buckets[i - 1] < buckets[i])) {
      throw std::invalid_argument("histogram '" + std::string(instrument) +
                                  "': bucket bounds must be strictly increasing");
    }
  }
  return buckets;
}

}  // namespace agenthub::telemetry
