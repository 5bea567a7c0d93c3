#include "telemetry/logs/log_line.h"

#include <variant>

#include "telemetry/logs/json_append.h"
#include "telemetry/logs/log_time.h"

namespace agenthub::telemetry::internal {
namespace {

// Keys of the fixed fields, which attributes must not shadow.
bool IsReservedKey(std::string_view key) {
  switch (key.size()) {
    case 3:
      return key == "msg";
    case 4:
      return key == "time";
    case 5:
      return key == "level";
    case 7:
      return key == "service" || key == "span_id";
    case 8:
      return key == "trace_id";
    default:
      return false;
  }
}

// The JSON level strings, with quotes, so the hot path appends one piece.
std::string_view QuotedLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "\"DEBUG\"";
    case LogLevel::kInfo:
      return "\"INFO\"";
    case LogLevel::kWarn:
      return "\"WARN\"";
    case LogLevel::kError:
      return "\"ERROR\"";
  }
  return "\"INFO\"";
}

// Text-format level column: padded to the widest name so messages align.
std::string_view PaddedLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO ";
    case LogLevel::kWarn:
      return "WARN ";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO ";
}

bool HasValidSpan(const LogLine& line) { return line.span != nullptr && line.span->IsValid(); }

// logfmt-style: a bare word unless the value would be ambiguous to split.
bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  for (unsigned char c : s) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7F) return true;
  }
  return false;
}

void AppendTextValue(const AttributeValue& value, std::string* out) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    if (NeedsQuotes(*s)) {
      AppendJsonString(*s, out);
    } else {
      AppendLineSafeText(*s, out);
    }
    return;
  }
  AppendJsonValue(value, out);  // numbers, booleans and arrays read the same way
}

}  // namespace

LogLineFormatter::LogLineFormatter(LogFormat format, std::string_view service_name)
    : format_(format) {
  service_json_ = ",\"service\":";
  AppendJsonString(service_name, &service_json_);
}

void LogLineFormatter::Append(const LogLine& line, std::string* out) const {
  if (format_ == LogFormat::kText) {
    AppendText(line, out);
  } else {
    AppendJson(line, out);
  }
}

void LogLineFormatter::AppendJson(const LogLine& line, std::string* out) const {
  out->append("{\"time\":\"");
  AppendRfc3339(line.time, 9, out);
  out->append("\",\"level\":");
  out->append(QuotedLevel(line.level));
  out->append(",\"msg\":");
  AppendJsonString(line.message, out);
  out->append(service_json_);
  if (HasValidSpan(line)) {
    char trace_hex[TraceId::kHexSize];
    char span_hex[SpanId::kHexSize];
    line.span->trace_id().WriteHex(trace_hex);
    line.span->span_id().WriteHex(span_hex);
    out->append(",\"trace_id\":\"");
    out->append(trace_hex, sizeof(trace_hex));
    out->append("\",\"span_id\":\"");
    out->append(span_hex, sizeof(span_hex));
    out->push_back('"');
  }
  if (line.attributes != nullptr) {
    for (const Attribute& attribute : *line.attributes) {
      if (attribute.key.empty()) continue;  // the SDK drops empty keys everywhere
      out->push_back(',');
      if (IsReservedKey(attribute.key)) {
        AppendJsonString("attr." + attribute.key, out);
      } else {
        AppendJsonString(attribute.key, out);
      }
      out->push_back(':');
      AppendJsonValue(attribute.value, out);
    }
  }
  out->append("}\n");
}

void LogLineFormatter::AppendText(const LogLine& line, std::string* out) const {
  AppendRfc3339(line.time, 3, out);
  out->push_back(' ');
  out->append(PaddedLevel(line.level));
  out->push_back(' ');
  AppendLineSafeText(line.message, out);
  if (line.attributes != nullptr) {
    for (const Attribute& attribute : *line.attributes) {
      if (attribute.key.empty()) continue;
      out->push_back(' ');
      if (IsReservedKey(attribute.key)) out->append("attr.");
      AppendLineSafeText(attribute.key, out);
      out->push_back('=');
      AppendTextValue(attribute.value, out);
    }
  }
  if (HasValidSpan(line)) {
    char trace_hex[TraceId::kHexSize];
    char span_hex[SpanId::kHexSize];
    line.span->trace_id().WriteHex(trace_hex);
    line.span->span_id().WriteHex(span_hex);
    out->append(" trace_id=");
    out->append(trace_hex, sizeof(trace_hex));
    out->append(" span_id=");
    out->append(span_hex, sizeof(span_hex));
  }
  out->push_back('\n');
}

}  // namespace agenthub::telemetry::internal
