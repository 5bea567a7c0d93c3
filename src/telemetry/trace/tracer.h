// Tracer: starts spans for one instrumentation scope (a library or module).
// Obtain one from TracerProvider::GetTracer and keep it; it is cheap to copy
// and thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "telemetry/common/attribute.h"
#include "telemetry/common/clock.h"
#include "telemetry/trace/sampler.h"
#include "telemetry/trace/span.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

class Context;

namespace internal {
struct ProviderState;
}

struct StartSpanOptions {
  SpanKind kind = SpanKind::kInternal;
  // The parent context; nullptr means the calling thread's current context.
  const Context* parent = nullptr;
  // Ignore any parent and start a new trace.
  bool new_root = false;
  std::optional<Timestamp> start_time;
  // Known at start, so samplers can see them.
  Attributes attributes;
  std::vector<SpanLink> links;
};

class Tracer {
 public:
  // A tracer of the no-op provider: every span is non-recording.
  Tracer();

  Span StartSpan(std::string_view name, const StartSpanOptions& options = {}) const;
  Span StartSpan(std::string_view name, const Context& parent,
                 StartSpanOptions options = {}) const {
    options.parent = &parent;
    return StartSpan(name, options);
  }

  const InstrumentationScope& scope() const { return *scope_; }

 private:
  friend class TracerProvider;
  Tracer(std::shared_ptr<internal::ProviderState> state,
         std::shared_ptr<const InstrumentationScope> scope);
  // The part of StartSpan only sampled (or record-only) spans need, kept
  // out of line so the drop path stays short.
  Span StartRecording(std::string_view name, const StartSpanOptions& options,
                      const Context& parent_context, const SpanContext& parent,
                      SamplingResult& decision, SpanContext context) const;

  std::shared_ptr<internal::ProviderState> state_;
  std::shared_ptr<const InstrumentationScope> scope_;
};

}  // namespace agenthub::telemetry
