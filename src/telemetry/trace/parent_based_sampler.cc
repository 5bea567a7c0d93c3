// ParentBased (OpenTelemetry SDK built-in sampler): a root span is decided by
// the root sampler; a child follows one of four delegates chosen by whether
// its parent is remote and whether the parent was sampled. The choice is two
// branches and one virtual call, with no allocation.
#include <memory>
#include <utility>

#include "telemetry/trace/sampler.h"

namespace agenthub::telemetry {
namespace {

std::shared_ptr<Sampler> OrDefault(std::shared_ptr<Sampler> sampler,
                                   std::shared_ptr<Sampler> (*make_default)()) {
  return sampler ? std::move(sampler) : make_default();
}

class ParentBasedSampler final : public Sampler {
 public:
  ParentBasedSampler(std::shared_ptr<Sampler> root, ParentBasedOptions options)
      : root_(OrDefault(std::move(root), MakeAlwaysOnSampler)),
        remote_parent_sampled_(
            OrDefault(std::move(options.remote_parent_sampled), MakeAlwaysOnSampler)),
        remote_parent_not_sampled_(
            OrDefault(std::move(options.remote_parent_not_sampled), MakeAlwaysOffSampler)),
        local_parent_sampled_(
            OrDefault(std::move(options.local_parent_sampled), MakeAlwaysOnSampler)),
        local_parent_not_sampled_(
            OrDefault(std::move(options.local_parent_not_sampled), MakeAlwaysOffSampler)) {}

  SamplingResult ShouldSample(const SamplingParameters& params) override {
    return Delegate(params.parent).ShouldSample(params);
  }

  std::string Description() const override {
    return "ParentBased{root=" + root_->Description() +
           ",remoteParentSampled=" + remote_parent_sampled_->Description() +
           ",remoteParentNotSampled=" + remote_parent_not_sampled_->Description() +
           ",localParentSampled=" + local_parent_sampled_->Description() +
           ",localParentNotSampled=" + local_parent_not_sampled_->Description() + "}";
  }

 private:
  Sampler& Delegate(const SpanContext& parent) const {
    if (!parent.IsValid()) return *root_;
    if (parent.IsRemote()) {
      return parent.IsSampled() ? *remote_parent_sampled_ : *remote_parent_not_sampled_;
    }
    return parent.IsSampled() ? *local_parent_sampled_ : *local_parent_not_sampled_;
  }

  // Never null: missing delegates are replaced by the specification's
  // defaults at construction, so the hot path does not check.
  const std::shared_ptr<Sampler> root_;
  const std::shared_ptr<Sampler> remote_parent_sampled_;
  const std::shared_ptr<Sampler> remote_parent_not_sampled_;
  const std::shared_ptr<Sampler> local_parent_sampled_;
  const std::shared_ptr<Sampler> local_parent_not_sampled_;
};

}  // namespace

// A null root is treated as AlwaysOn, the root of the default
// parentbased_always_on configuration.
std::shared_ptr<Sampler> MakeParentBasedSampler(std::shared_ptr<Sampler> root,
                                                ParentBasedOptions options) {
  return std::make_shared<ParentBasedSampler>(std::move(root), std::move(options));
}

}  // namespace agenthub::telemetry
