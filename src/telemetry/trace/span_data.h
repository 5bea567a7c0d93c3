// Everything a finished span recorded: what processors and exporters read.
// Plain data; the SDK fills it while the span is live and never touches it
// again after End(), so readers need no lock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "telemetry/common/attribute.h"
#include "telemetry/common/clock.h"
#include "telemetry/resource/resource.h"
#include "telemetry/trace/span_context.h"

namespace agenthub::telemetry {

// Values match OTLP's Span.SpanKind minus one (OTLP reserves 0 for UNSPECIFIED).
enum class SpanKind : uint8_t { kInternal, kServer, kClient, kProducer, kConsumer };

// Values match OTLP's Status.StatusCode.
enum class StatusCode : uint8_t { kUnset = 0, kOk = 1, kError = 2 };

const char* SpanKindName(SpanKind kind);      // "INTERNAL", "SERVER", ...
const char* StatusCodeName(StatusCode code);  // "UNSET", "OK", "ERROR"

struct InstrumentationScope {
  std::string name;
  std::string version;
  std::string schema_url;
  friend bool operator==(const InstrumentationScope&, const InstrumentationScope&) = default;
};

struct SpanEvent {
  std::string name;
  Timestamp time;
  Attributes attributes;
  uint32_t dropped_attributes = 0;
};

struct SpanLink {
  SpanContext context;
  Attributes attributes;
  uint32_t dropped_attributes = 0;
};

struct SpanStatus {
  StatusCode code = StatusCode::kUnset;
  std::string description;  // only meaningful for kError
};

struct SpanData {
  SpanContext context;
  SpanId parent_span_id;  // all zero for a root span
  bool parent_is_remote = false;
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  Timestamp start_time;
  Timestamp end_time;
  Attributes attributes;
  uint32_t dropped_attributes = 0;
  std::vector<SpanEvent> events;
  uint32_t dropped_events = 0;
  std::vector<SpanLink> links;
  uint32_t dropped_links = 0;
  SpanStatus status;
  // Shared with the Tracer/TracerProvider that made the span; never null for
  // spans the SDK produced (copies made by tests may leave them null).
  std::shared_ptr<const InstrumentationScope> scope;
  std::shared_ptr<const Resource> resource;

  bool has_parent() const { return parent_span_id.IsValid(); }
};

}  // namespace agenthub::telemetry
