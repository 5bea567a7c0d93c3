// What `agenthub demo` does with a task's trace once the collector has it
// (Jaeger JSON from /api/traces/{id}): check that it is complete, and draw
// it as the seed document does.
//
// Complete means the seven hops of the trace contract
// (agenthub/trace_contract.h: contract::kTaskHops), each exactly once,
// under the task's trace id, each the child of the previous hop, from the
// service that should have made it; and for a FAILED task, the error on
// its spans (process_task with status ERROR, error.type and an exception
// event; publish_result with result.status=failure; consume_result ERROR).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace agenthub::cli {

struct TraceExpectation {
  std::string trace_id;
  std::string task_type;
  bool failed = false;  // the task's result was FAILED
};

// One line per way the trace falls short; empty when it is complete.
// Malformed JSON is a problem too, never an exception.
std::vector<std::string> CheckTaskTrace(const nlohmann::json& trace,
                                        const TraceExpectation& expected);

// The trace as a tree in the seed's format: span name, service, duration,
// the attributes a reader looks for (messaging.* and rpc.* conventions and
// ids repeated on every hop are left to the UI), exception events, errors
// marked "✗ ERROR", children nested under their parent by start time.
std::string RenderTaskTrace(const nlohmann::json& trace);

}  // namespace agenthub::cli
