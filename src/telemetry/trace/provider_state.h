// Internal: what a TracerProvider shares with its Tracers and live spans.
// Spans keep it alive through a shared_ptr, so a span may end after the
// provider object is gone (its processors have then been shut down and drop
// the span, counting it).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "telemetry/common/sharded_counter.h"
#include "telemetry/resource/resource.h"
#include "telemetry/trace/sampler.h"
#include "telemetry/trace/span_data.h"
#include "telemetry/trace/span_limits.h"
#include "telemetry/trace/span_processor.h"

namespace agenthub::telemetry::internal {

struct ProviderState {
  std::shared_ptr<const Resource> resource;
  std::shared_ptr<Sampler> sampler;
  SpanLimits limits;
  std::vector<std::unique_ptr<SpanProcessor>> processors;
  // The processors whose OnStart does something (UsesOnStart()); usually
  // none, so starting a span calls no processor.
  std::vector<SpanProcessor*> on_start_processors;
  bool disabled = false;
  std::atomic<bool> shut_down{false};

  ShardedCounter spans_started;
  ShardedCounter spans_ended;
  ShardedCounter spans_not_sampled;

  std::mutex scopes_mutex;  // guards scopes
  std::vector<std::shared_ptr<const InstrumentationScope>> scopes;
};

}  // namespace agenthub::telemetry::internal
