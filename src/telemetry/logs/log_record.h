// LogRecordData: one log record in the OpenTelemetry logs data model, what
// log processors and exporters receive. Plain data, owned by whoever holds
// the unique_ptr; never shared between threads while being written.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "telemetry/common/attribute.h"
#include "telemetry/common/clock.h"
#include "telemetry/logs/log_level.h"
#include "telemetry/resource/resource.h"
#include "telemetry/trace/span_context.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

// SeverityNumber of the logs data model (and OTLP's enum of the same name):
// each range has four steps (DEBUG..DEBUG4 = 5..8, and so on). The logger
// uses the first step of each range; other values may be cast in.
enum class SeverityNumber : uint8_t {
  kUnspecified = 0,
  kTrace = 1,
  kDebug = 5,
  kInfo = 9,
  kWarn = 13,
  kError = 17,
  kFatal = 21,
};

constexpr SeverityNumber SeverityFor(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return SeverityNumber::kDebug;
    case LogLevel::kInfo:
      return SeverityNumber::kInfo;
    case LogLevel::kWarn:
      return SeverityNumber::kWarn;
    case LogLevel::kError:
      return SeverityNumber::kError;
  }
  return SeverityNumber::kUnspecified;
}

struct LogRecordData {
  Timestamp timestamp;           // when the event happened
  Timestamp observed_timestamp;  // when the SDK saw it (the same for our logger)
  SeverityNumber severity_number = SeverityNumber::kUnspecified;
  std::string severity_text;  // "INFO": the level as the source spelled it
  std::string body;           // the message
  Attributes attributes;
  uint32_t dropped_attributes = 0;
  // All zero when the record was emitted outside a valid span.
  TraceId trace_id;
  SpanId span_id;
  TraceFlags trace_flags;
  // Shared by every record of a logger; null only in records built by hand.
  std::shared_ptr<const Resource> resource;
  std::shared_ptr<const InstrumentationScope> scope;

  bool has_span() const { return trace_id.IsValid() && span_id.IsValid(); }
};

}  // namespace agenthub::telemetry
