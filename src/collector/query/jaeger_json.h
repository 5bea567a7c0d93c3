// Stored traces in the shape of Jaeger's HTTP JSON API (the one its UI and
// tools read from /api/traces), so that anything written for Jaeger reads
// ours:
//
//   {"data": [trace...], "total": n, "limit": 0, "offset": 0, "errors": null}
//   trace   {"traceID", "spans": [span...], "processes": {"p1": process},
//            "warnings": null}
//   span    {"traceID", "spanID", "flags", "operationName",
//            "references": [{"refType": "CHILD_OF" | "FOLLOWS_FROM",
//                            "traceID", "spanID"}],
//            "startTime": µs, "duration": µs, "tags": [tag...],
//            "logs": [{"timestamp": µs, "fields": [tag...]}],
//            "processID": "p1", "warnings": null}
//   process {"serviceName", "tags": [tag...]}
//   tag     {"key", "type": "string" | "bool" | "int64" | "float64" |
//            "binary", "value"}
//
// OTLP maps onto it as Jaeger's own OTLP translation does: the parent is a
// CHILD_OF reference, links are FOLLOWS_FROM references, events are logs
// (with an "event" field holding the name), kind, status and scope become
// tags (span_tags.h), resource attributes other than service.name become
// process tags. Ids are lowercase hex.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "collector/store/stored_data.h"

namespace agenthub::collector {

nlohmann::json JaegerTrace(const StoredTrace& trace);

// The envelope around `data`; `errors` is null when empty.
struct JaegerError {
  int code;
  std::string msg;
};
nlohmann::json JaegerResponse(nlohmann::json data, const std::vector<JaegerError>& errors = {});

// Our extension, /api/traces/{id}/logs: each record as
//   {"timestamp": µs, "timeUnixNano": "ns", "observedTimeUnixNano": "ns",
//    "severityNumber", "severityText", "body", "traceID", "spanID",
//    "serviceName", "attributes": [tag...], "eventName"}
nlohmann::json LogsJson(const std::vector<StoredLog>& logs);

}  // namespace agenthub::collector
