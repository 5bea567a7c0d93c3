// TracerProvider: owns the tracing pipeline of a process (resource, sampler,
// limits, processors) and hands out Tracers (OpenTelemetry SDK).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "telemetry/resource/resource.h"
#include "telemetry/trace/sampler.h"
#include "telemetry/trace/span_limits.h"
#include "telemetry/trace/span_processor.h"
#include "telemetry/trace/tracer.h"

namespace agenthub::telemetry {

namespace internal {
struct ProviderState;
}

struct TracerProviderOptions {
  Resource resource;                 // typically Resource::Create("my-service")
  std::shared_ptr<Sampler> sampler;  // null: ParentBased(AlwaysOn)
  SpanLimits limits;
  std::vector<std::unique_ptr<SpanProcessor>> processors;
  // OTEL_SDK_DISABLED: every Tracer is a no-op that only propagates the
  // parent's context; nothing is recorded or exported.
  bool disabled = false;

  // Sampler (OTEL_TRACES_SAMPLER/_ARG), limits (OTEL_SPAN_*/OTEL_*_LIMIT) and
  // OTEL_SDK_DISABLED from the environment; resource and processors are
  // left to the caller.
  static TracerProviderOptions FromEnvironment(Resource resource);
};

// The SDK's counters about itself, summed across threads and processors.
struct TraceStats {
  uint64_t spans_started = 0;      // recording spans started
  uint64_t spans_ended = 0;        // recording spans ended
  uint64_t spans_not_sampled = 0;  // spans the sampler dropped (non-recording)
  uint64_t spans_dropped = 0;      // ended spans a processor discarded (queue full)
  uint64_t spans_exported = 0;     // spans exporters accepted
  uint64_t export_failures = 0;    // spans in failed export batches
  uint64_t queue_depth = 0;        // spans waiting in processor queues
};

class TracerProvider {
 public:
  explicit TracerProvider(TracerProviderOptions options);
  // Shuts down (flushing processors) if not done already.
  ~TracerProvider();
  TracerProvider(const TracerProvider&) = delete;
  TracerProvider& operator=(const TracerProvider&) = delete;

  // The same (name, version, schema_url) always yields the same scope.
  Tracer GetTracer(std::string_view name, std::string_view version = {},
                   std::string_view schema_url = {});

  // Both return false when the timeout passed first; they always return.
  bool ForceFlush(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  TraceStats stats() const;
  const Resource& resource() const;
  const Sampler& sampler() const;
  const SpanLimits& limits() const;
  bool disabled() const;

 private:
  std::shared_ptr<internal::ProviderState> state_;
};

// The process-wide provider used by code that does not receive one
// explicitly. Until set, it is a disabled (no-op) provider.
void SetGlobalTracerProvider(std::shared_ptr<TracerProvider> provider);
std::shared_ptr<TracerProvider> GlobalTracerProvider();

}  // namespace agenthub::telemetry
