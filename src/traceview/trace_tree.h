// What `agenthub traces`, `agenthub trace ID` and `agenthub demo` print,
// rendered from a Jaeger-compatible query API's JSON (so the views work
// against any Jaeger-compatible endpoint, not only ours).
//
// A trace is drawn as a tree like the one in the seed document: each span
// with its service and duration, the tags chosen by the style indented
// under it, then its children by start time; a span with status ERROR is
// marked "✗ ERROR" with its message. Spans whose parent is missing from
// the trace (or is the span itself) are drawn as roots; nesting deeper than
// 64 (a cycle of parent ids, or abuse) is cut with a marker line.
//
// The JSON comes from the network: anything malformed gives false and a
// message, never an exception.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "traceview/trace_spans.h"

namespace agenthub::traceview {

// Which tags of a span become its detail lines, and whether its exception
// events do ("exception: type: message").
struct TreeStyle {
  std::function<bool(std::string_view key)> show_tag;
  bool show_exceptions = false;
};

// Tags a Jaeger-compatible API adds that restate the span's kind, status or
// scope (span.kind, otel.status_code, error, otel.scope.*, ...): the views
// show them as the error mark, or not at all.
bool IsDerivedTag(std::string_view key);

// `agenthub trace`: every tag except the derived ones.
TreeStyle FullTreeStyle();

std::string RenderSpanTree(const std::vector<TraceSpan>& spans, const TreeStyle& style);

// One Jaeger trace object as "Trace: <id>" and its tree in FullTreeStyle.
bool RenderTraceTree(const nlohmann::json& trace, std::string* out, std::string* error);

// A table of traces (the "data" array of /api/traces): id, root span,
// services, span count, duration, errors, start time (UTC).
bool RenderTraceList(const nlohmann::json& traces, std::string* out, std::string* error);

}  // namespace agenthub::traceview
