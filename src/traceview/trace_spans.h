// The one span model of the trace views: a span of a Jaeger trace object
// (what `GET /api/traces/{id}` answers, from our collector or from Jaeger)
// reduced to what a terminal reader looks at.
//
// The JSON comes from the network: ReadJaegerSpans never throws, and a
// malformed trace gives false and a message naming what is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace agenthub::traceview {

struct TraceSpan {
  std::string trace_id;
  std::string id;
  std::string parent;  // the CHILD_OF reference; "" for a root
  std::string name;
  std::string service;
  int64_t start_us = 0;
  int64_t duration_us = 0;
  bool error = false;  // status ERROR (otel.status_code) or error=true
  std::string error_message;
  // Every tag in the span's own order, values as text (numbers and bools
  // as JSON writes them).
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<std::string> exceptions;  // "type: message" of each exception event

  // The value of tag `key`, "" when the span has none.
  std::string Tag(std::string_view key) const;
  bool HasTag(std::string_view key) const;
};

// The spans of one Jaeger trace object ({"traceID","spans","processes"}),
// sorted by start time (stable, so equal starts keep the API's order).
bool ReadJaegerSpans(const nlohmann::json& trace, std::vector<TraceSpan>* spans,
                     std::string* error);

}  // namespace agenthub::traceview
