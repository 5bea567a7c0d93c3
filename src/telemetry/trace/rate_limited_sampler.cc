// A sampler that admits at most N new sampled traces per second across all
// threads, whatever the load: the cost of tracing stays bounded when traffic
// spikes, which a ratio cannot promise.
//
// Every call spends a permit when one is available, so use it as the root of
// ParentBased (parentbased_ratelimited) to limit traces rather than spans:
// children then follow their parent's decision and never spend permits.
#include <chrono>
#include <memory>

#include "telemetry/common/decimal.h"
#include "telemetry/trace/rate_limiter.h"
#include "telemetry/trace/sampler.h"

namespace agenthub::telemetry {
namespace {

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class RateLimitedSampler final : public Sampler {
 public:
  // Burst of one second's worth, but at least one trace so that rates below
  // one per second still sample something.
  explicit RateLimitedSampler(double traces_per_second)
      : traces_per_second_(traces_per_second > 0.0 ? traces_per_second : 0.0),
        limiter_(traces_per_second_, traces_per_second_) {}

  SamplingResult ShouldSample(const SamplingParameters&) override {
    return {limiter_.TryAcquire(SteadyNanos()) ? SamplingDecision::kRecordAndSample
                                               : SamplingDecision::kDrop};
  }

  std::string Description() const override {
    return "RateLimitingSampler{" + FormatDecimal(traces_per_second_) + "}";
  }

 private:
  const double traces_per_second_;  // as configured (NaN and negatives read as 0)
  internal::RateLimiter limiter_;
};

}  // namespace

std::shared_ptr<Sampler> MakeRateLimitedSampler(double traces_per_second) {
  return std::make_shared<RateLimitedSampler>(traces_per_second);
}

}  // namespace agenthub::telemetry
