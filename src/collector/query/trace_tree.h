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

#include <string>

#include <nlohmann/json.hpp>

namespace agenthub::collector {

// One Jaeger trace object ({"traceID","spans","processes"}).
bool RenderTraceTree(const nlohmann::json& trace, std::string* out, std::string* error);

// A table of traces (the "data" array of /api/traces): id, root span,
// services, span count, duration, errors, start time (UTC).
bool RenderTraceList(const nlohmann::json& traces, std::string* out, std::string* error);

}  // namespace agenthub::collector
