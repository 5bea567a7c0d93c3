// The part of a span that crosses process boundaries (W3C Trace Context):
// trace id, span id, trace flags, tracestate, and whether it came from a
// remote process. Immutable value type.
#pragma once

#include <cstdint>

#include "telemetry/trace/ids.h"
#include "telemetry/trace/trace_state.h"

namespace agenthub::telemetry {

// W3C trace-flags; only the lowest bit (sampled) is defined today.
struct TraceFlags {
  static constexpr uint8_t kSampled = 0x01;
  uint8_t value = 0;

  bool sampled() const { return (value & kSampled) != 0; }
  friend bool operator==(const TraceFlags&, const TraceFlags&) = default;
};

class SpanContext {
 public:
  SpanContext() = default;
  SpanContext(TraceId trace_id, SpanId span_id, TraceFlags flags, bool remote,
              TraceState trace_state = {})
      : trace_id_(trace_id),
        span_id_(span_id),
        flags_(flags),
        remote_(remote),
        trace_state_(std::move(trace_state)) {}

  static SpanContext Invalid() { return SpanContext(); }

  // Valid when both ids are non-zero.
  bool IsValid() const { return trace_id_.IsValid() && span_id_.IsValid(); }
  bool IsSampled() const { return flags_.sampled(); }
  bool IsRemote() const { return remote_; }

  const TraceId& trace_id() const { return trace_id_; }
  const SpanId& span_id() const { return span_id_; }
  TraceFlags trace_flags() const { return flags_; }
  const TraceState& trace_state() const { return trace_state_; }

  friend bool operator==(const SpanContext& a, const SpanContext& b) {
    return a.trace_id_ == b.trace_id_ && a.span_id_ == b.span_id_ && a.flags_ == b.flags_ &&
           a.remote_ == b.remote_ && a.trace_state_ == b.trace_state_;
  }

 private:
  TraceId trace_id_;
  SpanId span_id_;
  TraceFlags flags_;
  bool remote_ = false;
  TraceState trace_state_;
};

}  // namespace agenthub::telemetry
