// Fuzz target: the query string of GET /api/traces (ParseTraceQueryParams:
// service, operation, tags JSON, tag key:value, start/end, durations,
// limit, traceID).
//
// The input is a query string, split as a server would: '&' between
// parameters, the first '=' between name and value (no percent-decoding:
// httplib has done that before us).
// Invariants: a failure names a reason; a success has a limit within
// 1..kMaxTraceLimit, trace ids of 16 bytes, and non-negative durations.
#include <map>
#include <string>

#include "collector/query/trace_query_params.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace collector = agenthub::collector;
  std::string_view rest = agenthub::fuzz::AsView(data, size);
  std::multimap<std::string, std::string> params;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    params.emplace(std::string(pair.substr(0, eq)),
                   eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  collector::TraceQueryParams out;
  std::string error;
  if (!collector::ParseTraceQueryParams(params, &out, &error)) {
    FUZZ_CHECK(!error.empty());
    return 0;
  }
  for (const auto& id : out.trace_ids) FUZZ_CHECK(id.size() == 16);
  if (out.trace_ids.empty()) {
    FUZZ_CHECK(out.query.limit >= 1 && out.query.limit <= collector::kMaxTraceLimit);
  }
  return 0;
}
