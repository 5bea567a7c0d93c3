// SpanProcessor: the hook between span lifecycle and export
// (OpenTelemetry SDK SpanProcessor). Processors are called on the thread
// that starts or ends the span, so OnStart/OnEnd must be fast and must never
// block on an exporter.
#pragma once

#include <chrono>
#include <cstdint>

#include "telemetry/trace/recorded_span_ref.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

class Context;

struct ProcessorStats {
  uint64_t spans_dropped = 0;    // discarded because the queue was full or shut down
  uint64_t spans_exported = 0;   // handed to the exporter with success
  uint64_t export_failures = 0;  // spans in batches the exporter failed
  uint64_t queue_depth = 0;      // spans waiting for export now
};

class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;
  // Called when a recording span starts; `span` may be amended.
  virtual void OnStart(SpanData& span, const Context& parent) {
    (void)span;
    (void)parent;
  }
  // False when OnStart does nothing: the SDK then skips the call and the
  // work of making the span's data exact for it (a span's attribute slots
  // are recycled in place and trimmed only at End). Override it to return
  // false only together with an empty OnStart.
  virtual bool UsesOnStart() const { return true; }
  // Called once when a recording span ends; the processor keeps `span` as
  // long as it needs it.
  virtual void OnEnd(RecordedSpanRef span) = 0;
  virtual bool ForceFlush(std::chrono::milliseconds timeout) = 0;
  virtual bool Shutdown(std::chrono::milliseconds timeout) = 0;
  virtual ProcessorStats stats() const { return {}; }
};

}  // namespace agenthub::telemetry
