// Samplers decide, when a span starts, whether it is recorded and exported
// (OpenTelemetry SDK sampling). Implementations are shared by all threads
// and must be thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "telemetry/common/attribute.h"
#include "telemetry/trace/span_context.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

enum class SamplingDecision { kDrop, kRecordOnly, kRecordAndSample };

struct SamplingResult {
  SamplingDecision decision = SamplingDecision::kDrop;
  Attributes attributes;                  // added to the new span
  std::optional<TraceState> trace_state;  // nullopt: keep the parent's
};

struct SamplingParameters {
  const SpanContext& parent;  // invalid for a root span
  const TraceId& trace_id;    // the new span's trace id
  std::string_view name;
  SpanKind kind;
  const Attributes& attributes;
  const std::vector<SpanLink>& links;
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual SamplingResult ShouldSample(const SamplingParameters& params) = 0;
  // As the specification names them: "AlwaysOnSampler", "AlwaysOffSampler",
  // "TraceIdRatioBased{0.25}", "ParentBased{root=...,...}", ...
  virtual std::string Description() const = 0;
};

std::shared_ptr<Sampler> MakeAlwaysOnSampler();
std::shared_ptr<Sampler> MakeAlwaysOffSampler();
// Deterministic on the trace id: samples when the last 8 bytes, read
// big-endian and shifted right by one, are below ratio * 2^63. A higher ratio
// samples a superset of a lower one. ratio is clamped to [0, 1].
std::shared_ptr<Sampler> MakeTraceIdRatioBasedSampler(double ratio);
// At most `traces_per_second` sampled decisions per second across all
// threads (token bucket, burst of one second's worth, at least 1). Every
// decision spends a token, so wrap it in ParentBased (as
// parentbased_ratelimited does) to limit new traces rather than spans.
std::shared_ptr<Sampler> MakeRateLimitedSampler(double traces_per_second);

struct ParentBasedOptions {
  std::shared_ptr<Sampler> remote_parent_sampled;      // default AlwaysOn
  std::shared_ptr<Sampler> remote_parent_not_sampled;  // default AlwaysOff
  std::shared_ptr<Sampler> local_parent_sampled;       // default AlwaysOn
  std::shared_ptr<Sampler> local_parent_not_sampled;   // default AlwaysOff
};
std::shared_ptr<Sampler> MakeParentBasedSampler(std::shared_ptr<Sampler> root,
                                                ParentBasedOptions options = {});

// From OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG: always_on, always_off,
// traceidratio, parentbased_always_on (the default), parentbased_always_off,
// parentbased_traceidratio, and our ratelimited / parentbased_ratelimited
// (ARG = traces per second, default 100). Unknown or unsupported values
// (jaeger_remote, xray, ...) and invalid arguments are reported as warnings
// and fall back to the default.
std::shared_ptr<Sampler> SamplerFromEnvironment();

}  // namespace agenthub::telemetry
