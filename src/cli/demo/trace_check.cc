#include "cli/demo/trace_check.h"

#include "agenthub/trace_contract.h"
#include "traceview/traceview.h"

namespace agenthub::cli {
namespace {

using nlohmann::json;
using traceview::TraceSpan;

// Attributes every hop repeats, or that restate kind and status: they are
// in the UI for whoever wants them, and would drown the tree here.
bool Shown(std::string_view key) {
  if (traceview::IsDerivedTag(key)) return false;
  static constexpr std::string_view kHidden[] = {
      contract::kTaskId,         contract::kTaskPriority,  contract::kTaskStatus,
      contract::kRequesterAgent, contract::kConsumerAgent, contract::kExecutorAgent};
  for (std::string_view hidden : kHidden) {
    if (key == hidden) return false;
  }
  // The seed document shows it on consume_event.
  if (key == contract::kMessagingOperation) return true;
  for (std::string_view prefix : {"messaging.", "rpc.", "otel."}) {
    if (key.substr(0, prefix.size()) == prefix) return false;
  }
  return true;
}

void CheckError(const TraceSpan& span, bool failed, std::vector<std::string>& problems) {
  if (!failed) {
    if (span.error) problems.push_back(span.name + " has status ERROR in a task that completed");
    return;
  }
  if (span.name == contract::kProcessTask) {
    if (!span.error) problems.push_back("process_task of a failed task is not marked ERROR");
    if (!span.HasTag(contract::kErrorType)) {
      problems.push_back("process_task of a failed task has no error.type");
    }
    if (span.exceptions.empty()) {
      problems.push_back("process_task of a failed task has no exception event");
    }
  } else if (span.name == contract::kPublishResult &&
             span.Tag(contract::kResultStatus) != contract::kFailure) {
    problems.push_back("publish_result of a failed task has result.status=" +
                       span.Tag(contract::kResultStatus));
  } else if (span.name == contract::kConsumeResult && !span.error) {
    problems.push_back("consume_result of a failed task is not marked ERROR");
  }
}

// Each hop once, from its service, each the child of the one before.
void CheckHops(const std::vector<TraceSpan>& spans, const TraceExpectation& expected,
               std::vector<std::string>& problems) {
  const TraceSpan* previous = nullptr;
  for (const contract::Hop& hop : contract::kTaskHops) {
    std::vector<const TraceSpan*> named;
    for (const auto& s : spans) {
      if (s.name == hop.span) named.push_back(&s);
    }
    if (named.size() != 1) {
      problems.push_back(named.empty()
                             ? std::string("missing span ") + hop.span + " (" + hop.service + ")"
                             : std::to_string(named.size()) + " spans named " + hop.span +
                                   " (expected one)");
      previous = nullptr;  // parent links past a gap cannot be judged
      continue;
    }
    const TraceSpan& span = *named.front();
    if (span.trace_id != expected.trace_id) {
      problems.push_back(span.name + " belongs to trace " + span.trace_id);
    }
    if (span.service != hop.service) {
      problems.push_back(span.name + " comes from " + span.service + ", expected " + hop.service);
    }
    if (hop.span == contract::kTaskHops[0].span && !span.parent.empty()) {
      problems.push_back("publish_event is not the root (parent " + span.parent + ")");
    }
    if (previous && span.parent != previous->id) {
      problems.push_back(span.name + " is not a child of " + previous->name);
    }
    CheckError(span, expected.failed, problems);
    previous = &span;
  }
}

// The task type where the publisher and the subscriber record it.
void CheckTaskType(const std::vector<TraceSpan>& spans, const TraceExpectation& expected,
                   std::vector<std::string>& problems) {
  for (const auto& s : spans) {
    const char* key = s.name == contract::kPublishEvent  ? contract::kEventType
                      : s.name == contract::kProcessTask ? contract::kTaskType
                                                         : nullptr;
    if (key && s.Tag(key) != expected.task_type) {
      problems.push_back(s.name + " has " + key + "=" + s.Tag(key) + ", expected " +
                         expected.task_type);
    }
  }
}

}  // namespace

std::vector<std::string> CheckTaskTrace(const json& trace, const TraceExpectation& expected) {
  std::vector<TraceSpan> spans;
  std::string error;
  if (!traceview::ReadJaegerSpans(trace, &spans, &error)) return {error};
  std::vector<std::string> problems;
  CheckHops(spans, expected, problems);
  CheckTaskType(spans, expected, problems);
  return problems;
}

std::string RenderTaskTrace(const json& trace) {
  std::vector<TraceSpan> spans;
  std::string error;
  if (!traceview::ReadJaegerSpans(trace, &spans, &error)) return "(" + error + ")\n";
  return traceview::RenderSpanTree(spans, {.show_tag = Shown, .show_exceptions = true});
}

}  // namespace agenthub::cli
