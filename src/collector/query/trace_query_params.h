// The query string of GET /api/traces, read with Jaeger's semantics:
//
//   service, operation   exact names
//   tags                 a JSON object {"key":"value",...} (values compared
//                        as strings; numbers and booleans are accepted)
//   tag                  key:value, repeatable (Jaeger's other spelling)
//   start, end           Unix time in microseconds
//   minDuration,         Go durations ("1.2s", "100ms", "1h30m")
//   maxDuration
//   limit                traces to return (default 100, at most 1500)
//   traceID              repeatable: fetch exactly these traces instead
//
// Any malformed value is an error naming the parameter, which the API
// answers with 400.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "collector/store/stored_data.h"

namespace agenthub::collector {

inline constexpr size_t kDefaultTraceLimit = 100;
inline constexpr size_t kMaxTraceLimit = 1500;

struct TraceQueryParams {
  TraceQuery query;
  std::vector<std::string> trace_ids;  // 16 bytes each; when set, query is unused
};

// `params` as httplib gives them (a multimap). False with *error on bad input.
bool ParseTraceQueryParams(const std::multimap<std::string, std::string>& params,
                           TraceQueryParams* out, std::string* error);

}  // namespace agenthub::collector
