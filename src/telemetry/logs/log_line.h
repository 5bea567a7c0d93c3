// The two line formats of the structured logger, built into a caller-owned
// buffer so the logger can reuse one buffer per thread.
//
// JSON, fields in this order, then the record's attributes:
//   {"time":"2026-11-25T12:00:00.123456789Z","level":"INFO","msg":"...",
//    "service":"agenthub-broker","trace_id":"<32 hex>","span_id":"<16 hex>","k":v}
// Text:
//   2026-11-25T12:00:00.123Z INFO  msg k=v trace_id=<32 hex> span_id=<16 hex>
// trace_id/span_id appear only with a valid span context. An attribute whose
// key would collide with one of the fixed fields is written as "attr.<key>",
// so attributes can never forge or hide the time, level, message or trace.
#pragma once

#include <string>
#include <string_view>

#include "telemetry/common/attribute.h"
#include "telemetry/common/clock.h"
#include "telemetry/logs/log_level.h"
#include "telemetry/trace/span_context.h"

namespace agenthub::telemetry::internal {

struct LogLine {
  Timestamp time;
  LogLevel level = LogLevel::kInfo;
  std::string_view message;
  const SpanContext* span = nullptr;  // null or invalid: no trace fields
  const Attributes* attributes = nullptr;
};

class LogLineFormatter {
 public:
  LogLineFormatter(LogFormat format, std::string_view service_name);

  // Appends one complete line, ending in '\n'.
  void Append(const LogLine& line, std::string* out) const;

  LogFormat format() const { return format_; }

 private:
  void AppendJson(const LogLine& line, std::string* out) const;
  void AppendText(const LogLine& line, std::string* out) const;

  LogFormat format_;
  std::string service_json_;  // `,"service":"<escaped>"`, escaped once here
};

}  // namespace agenthub::telemetry::internal
