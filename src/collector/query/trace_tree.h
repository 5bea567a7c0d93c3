// What `agenthub traces` and `agenthub trace ID` print, rendered from the
// query API's Jaeger JSON (so the CLI works against any Jaeger-compatible
// endpoint, not only ours).
//
// A trace is drawn as a tree like the one in the seed document: each span
// with its service and duration, its attributes indented under it, then its
// children; a span with status ERROR is marked "✗ ERROR" with its message.
// Spans whose parent is missing from the trace are drawn as roots.
//
// The JSON comes from the network: anything malformed gives false and a
// message, never an exception.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace agenthub::collector {

// One Jaeger trace object ({"traceID","spans","processes"}).
bool RenderTraceTree(const nlohmann::json& trace, std::string* out, std::string* error);

// The drawing both trees share (this one and `agenthub demo`'s): one span
// per node, its header line after the branch glyph, detail lines indented
// under it, then its children in the order given. Spans whose parent is
// missing from the list (or is the span itself) are roots; nesting deeper
// than 64 (a cycle of parent ids, or abuse) is cut with a marker line.
struct TreeSpan {
  std::string id;
  std::string parent;
  std::string header;
  std::vector<std::string> details;
};
std::string DrawSpanTree(const std::vector<TreeSpan>& spans);

// "name (service) [duration]", plus " ✗ ERROR: message" for a failed span.
std::string SpanHeader(const std::string& name, const std::string& service, int64_t duration_us,
                       bool error, const std::string& error_message);

// A table of traces (the "data" array of /api/traces): id, root span,
// services, span count, duration, errors, start time (UTC).
bool RenderTraceList(const nlohmann::json& traces, std::string* out, std::string* error);

}  // namespace agenthub::collector
