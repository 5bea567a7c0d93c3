// TraceIdRatioBased (OpenTelemetry SDK built-in sampler).
//
// The decision is a pure function of the trace id, so every process (and
// every span of a trace) that sees the same id with the same ratio agrees,
// and raising the ratio only ever adds trace ids to the sampled set. The
// parent's sampled flag is ignored, as the specification asks; combine with
// ParentBased to honour it.
#include <cmath>
#include <cstdint>
#include <memory>

#include "telemetry/common/decimal.h"
#include "telemetry/trace/sampler.h"

namespace agenthub::telemetry {
namespace {

constexpr double kTwoToThe63 = 9223372036854775808.0;

// NaN is not a ratio; sampling nothing is the choice that cannot flood a
// backend.
double ClampRatio(double ratio) {
  if (std::isnan(ratio) || ratio < 0.0) return 0.0;
  return ratio > 1.0 ? 1.0 : ratio;
}

// The rightmost 8 bytes of the id read big-endian: the part of a W3C trace id
// that is random even when the leftmost bytes carry a timestamp.
uint64_t LowOrderBits(const TraceId& trace_id) {
  const auto& bytes = trace_id.bytes();
  uint64_t value = 0;
  for (size_t i = 8; i < TraceId::kSize; ++i) value = (value << 8) | bytes[i];
  return value;
}

class TraceIdRatioBasedSampler final : public Sampler {
 public:
  explicit TraceIdRatioBasedSampler(double ratio)
      : ratio_(ClampRatio(ratio)),
        // ratio * 2^63 is at most 2^63, which a uint64_t holds exactly; at
        // ratio 1 every shifted value (< 2^63) is below it, at 0 none is.
        threshold_(static_cast<uint64_t>(ratio_ * kTwoToThe63)) {}

  SamplingResult ShouldSample(const SamplingParameters& params) override {
    // Shifting out the lowest bit keeps the comparison within 63 bits, so
    // the threshold for ratio 1 (2^63) needs no special case.
    const bool sampled = (LowOrderBits(params.trace_id) >> 1) < threshold_;
    return {sampled ? SamplingDecision::kRecordAndSample : SamplingDecision::kDrop};
  }

  std::string Description() const override {
    return "TraceIdRatioBased{" + FormatDecimal(ratio_) + "}";
  }

 private:
  const double ratio_;        // clamped, as reported by Description()
  const uint64_t threshold_;  // sample when (low 64 bits >> 1) < threshold_
};

}  // namespace

std::shared_ptr<Sampler> MakeTraceIdRatioBasedSampler(double ratio) {
  return std::make_shared<TraceIdRatioBasedSampler>(ratio);
}

}  // namespace agenthub::telemetry
