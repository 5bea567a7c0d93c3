#include "collector/query/trace_query_params.h"

#include <charconv>
#include <limits>

#include <nlohmann/json.hpp>

#include "collector/store/ids.h"
#include "telemetry/telemetry.h"

namespace agenthub::collector {
namespace {

// Bounds on what a query string can make us hold.
constexpr size_t kMaxTags = 64;
constexpr size_t kMaxTraceIds = 100;

bool ParseInt(const std::string& text, int64_t* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

std::string Bad(const std::string& name, const std::string& value, const std::string& why) {
  return "invalid " + name + " \"" + value.substr(0, 200) + "\": " + why;
}

bool ParseTagsJson(const std::string& text, TraceQuery* query, std::string* error) {
  const auto tags = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!tags.is_object()) {
    *error = Bad("tags", text, "expected a JSON object such as {\"error\":\"true\"}");
    return false;
  }
  for (const auto& [key, value] : tags.items()) {
    if (value.is_string()) {
      query->tags.emplace_back(key, value.get<std::string>());
    } else if (value.is_boolean() || value.is_number()) {
      query->tags.emplace_back(key, value.dump());
    } else {
      *error = Bad("tags", text, "the value of \"" + key + "\" must be a string");
      return false;
    }
  }
  return true;
}

}  // namespace

bool ParseTraceQueryParams(const std::multimap<std::string, std::string>& params,
                           TraceQueryParams* out, std::string* error) {
  TraceQuery& q = out->query;
  q.limit = kDefaultTraceLimit;
  for (const auto& [name, value] : params) {
    if (name == "service") {
      q.service = value;
    } else if (name == "operation") {
      q.operation = value;
    } else if (name == "tags") {
      if (value.empty()) continue;
      if (!ParseTagsJson(value, &q, error)) return false;
    } else if (name == "tag") {
      const size_t colon = value.find(':');
      if (colon == std::string::npos || colon == 0) {
        *error = Bad("tag", value, "expected key:value");
        return false;
      }
      q.tags.emplace_back(value.substr(0, colon), value.substr(colon + 1));
    } else if (name == "start" || name == "end") {
      if (value.empty()) continue;
      int64_t micros = 0;
      constexpr int64_t kMaxMicros = std::numeric_limits<int64_t>::max() / 1000;
      if (!ParseInt(value, &micros) || micros < 0 || micros > kMaxMicros) {
        *error = Bad(name, value, "expected Unix time in microseconds");
        return false;
      }
      (name == "start" ? q.start_min_ns : q.start_max_ns) = micros * 1000;
    } else if (name == "minDuration" || name == "maxDuration") {
      if (value.empty()) continue;
      const auto ns = telemetry::ParseGoDuration(value);
      if (!ns || *ns < 0) {
        *error = Bad(name, value, "expected a duration such as 1.2s or 100ms");
        return false;
      }
      (name == "minDuration" ? q.min_duration_ns : q.max_duration_ns) = *ns;
    } else if (name == "limit") {
      if (value.empty()) continue;
      int64_t limit = 0;
      if (!ParseInt(value, &limit) || limit < 0) {
        *error = Bad("limit", value, "expected a non-negative integer");
        return false;
      }
      // Jaeger reads 0 as "the default".
      q.limit = limit == 0 ? kDefaultTraceLimit
                           : static_cast<size_t>(std::min<int64_t>(limit, kMaxTraceLimit));
    } else if (name == "traceID") {
      const auto id = TraceIdFromHex(value);
      if (!id) {
        *error = Bad("traceID", value, "expected 1 to 32 hex digits, not all zero");
        return false;
      }
      if (out->trace_ids.size() >= kMaxTraceIds) {
        *error = "too many traceID parameters (at most " + std::to_string(kMaxTraceIds) + ")";
        return false;
      }
      out->trace_ids.push_back(*id);
    }
    // Other parameters (lookback, prettyPrint, ...) are the UI's own.
  }
  if (q.tags.size() > kMaxTags) {
    *error = "too many tags (at most " + std::to_string(kMaxTags) + ")";
    return false;
  }
  if (q.start_min_ns && q.start_max_ns && *q.start_min_ns > *q.start_max_ns) {
    *error = "start is after end";
    return false;
  }
  if (q.min_duration_ns && q.max_duration_ns && *q.min_duration_ns > *q.max_duration_ns) {
    *error = "minDuration is greater than maxDuration";
    return false;
  }
  return true;
}

}  // namespace agenthub::collector
