// agenthub::traceview, the front door of src/traceview: traces read back
// from a Jaeger-compatible query API (ours or Jaeger's) and drawn in a
// terminal. It is a client of the query API, so it does not link the
// collector: `agenthub trace` works against any Jaeger.
//
//   QueryClient      query_client.h: GET /api/traces/{id}, /api/traces?...
//   TraceSpan        trace_spans.h: the one span model (ReadJaegerSpans)
//   RenderTraceTree  trace_tree.h: the tree of `agenthub trace` and the
//   RenderSpanTree   demo; RenderTraceList: the table of `agenthub traces`
//
//   traceview::QueryClient client("http://localhost:16686");
//   auto result = client.Trace(id);
//   if (result.ok() && !result.data.empty()) RenderTraceTree(result.data[0], &out, &error);
#pragma once

#include "traceview/query_client.h"
#include "traceview/trace_spans.h"
#include "traceview/trace_tree.h"
