// AlwaysOn and AlwaysOff (OpenTelemetry SDK built-in samplers). Both are
// stateless, so every caller shares one instance and asking for one never
// allocates after the first time.
#include <memory>

#include "telemetry/trace/sampler.h"

namespace agenthub::telemetry {
namespace {

class AlwaysOnSampler final : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParameters&) override {
    return {SamplingDecision::kRecordAndSample};
  }
  std::string Description() const override { return "AlwaysOnSampler"; }
};

class AlwaysOffSampler final : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParameters&) override {
    return {SamplingDecision::kDrop};
  }
  std::string Description() const override { return "AlwaysOffSampler"; }
};

}  // namespace

std::shared_ptr<Sampler> MakeAlwaysOnSampler() {
  static const std::shared_ptr<Sampler> instance = std::make_shared<AlwaysOnSampler>();
  return instance;
}

std::shared_ptr<Sampler> MakeAlwaysOffSampler() {
  static const std::shared_ptr<Sampler> instance = std::make_shared<AlwaysOffSampler>();
  return instance;
}

}  // namespace agenthub::telemetry
