#include "agents/demo_trace.h"

#include <algorithm>
#include <map>

#include "collector/query/trace_tree.h"

namespace agenthub::agents {
namespace {

using nlohmann::json;

struct SpanView {
  std::string id;
  std::string parent;  // CHILD_OF reference; "" for a root
  std::string trace_id;
  std::string name;
  std::string service;
  int64_t start_us = 0;
  int64_t duration_us = 0;
  bool error = false;
  std::string error_message;
  std::map<std::string, std::string> tags;
  std::vector<std::pair<std::string, std::string>> shown;  // in the span's own order
  std::vector<std::string> exceptions;                     // "type: message"
};

std::string Text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// Attributes every hop repeats, or that restate kind and status: they are
// in the UI for whoever wants them, and would drown the tree here.
bool Shown(const std::string& key) {
  static const char* const kHidden[] = {
      "span.kind",       "otel.status_code", "otel.status_description", "error",
      "w3c.tracestate",  "task.id",          "task.priority",           "task.status",
      "requester.agent", "consumer.agent",   "executor.agent"};
  for (const char* hidden : kHidden) {
    if (key == hidden) return false;
  }
  if (key == "messaging.operation") return true;  // the seed shows it on consume_event
  for (const char* prefix : {"messaging.", "rpc.", "otel."}) {
    if (key.rfind(prefix, 0) == 0) return false;
  }
  return true;
}

std::string Tag(const SpanView& span, const std::string& key) {
  const auto it = span.tags.find(key);
  return it == span.tags.end() ? "" : it->second;
}

std::vector<std::string> Exceptions(const json& span) {
  std::vector<std::string> found;
  for (const json& log : span.value("logs", json::array())) {
    std::map<std::string, std::string> fields;
    for (const json& f : log.value("fields", json::array())) {
      fields[f.value("key", "")] = Text(f.value("value", json()));
    }
    if (fields["event"] != "exception") continue;
    const std::string& type = fields["exception.type"];
    found.push_back((type.empty() ? "" : type + ": ") + fields["exception.message"]);
  }
  return found;
}

std::vector<SpanView> ReadSpans(const json& trace) {
  std::vector<SpanView> spans;
  const json& processes = trace.value("processes", json::object());
  for (const json& s : trace.at("spans")) {
    SpanView v;
    v.id = s.value("spanID", "");
    v.trace_id = s.value("traceID", "");
    v.name = s.value("operationName", "");
    v.start_us = s.value("startTime", int64_t{0});
    v.duration_us = s.value("duration", int64_t{0});
    const std::string process = s.value("processID", "");
    if (processes.contains(process)) v.service = processes[process].value("serviceName", "");
    for (const json& ref : s.value("references", json::array())) {
      if (ref.value("refType", "") == "CHILD_OF") v.parent = ref.value("spanID", "");
    }
    for (const json& tag : s.value("tags", json::array())) {
      const std::string key = tag.value("key", "");
      const std::string value = Text(tag.value("value", json()));
      v.tags[key] = value;
      if (Shown(key)) v.shown.emplace_back(key, value);
    }
    v.error = Tag(v, "otel.status_code") == "ERROR" || Tag(v, "error") == "true";
    v.error_message = Tag(v, "otel.status_description");
    v.exceptions = Exceptions(s);
    spans.push_back(std::move(v));
  }
  std::stable_sort(spans.begin(), spans.end(),
                   [](const SpanView& a, const SpanView& b) { return a.start_us < b.start_us; });
  return spans;
}

void CheckError(const SpanView& span, bool failed, std::vector<std::string>& problems) {
  const bool has_error_type = span.tags.count("error.type") > 0;
  if (!failed) {
    if (span.error) problems.push_back(span.name + " has status ERROR in a task that completed");
    return;
  }
  if (span.name == "process_task") {
    if (!span.error) problems.push_back("process_task of a failed task is not marked ERROR");
    if (!has_error_type) problems.push_back("process_task of a failed task has no error.type");
    if (span.exceptions.empty()) {
      problems.push_back("process_task of a failed task has no exception event");
    }
  } else if (span.name == "publish_result" && Tag(span, "result.status") != "failure") {
    problems.push_back("publish_result of a failed task has result.status=" +
                       Tag(span, "result.status"));
  } else if (span.name == "consume_result" && !span.error) {
    problems.push_back("consume_result of a failed task is not marked ERROR");
  }
}

std::vector<std::string> CheckSpans(const std::vector<SpanView>& spans,
                                    const TraceExpectation& expected) {
  std::vector<std::string> problems;
  const SpanView* previous = nullptr;
  for (const TraceHop& hop : kTaskHops) {
    std::vector<const SpanView*> named;
    for (const auto& s : spans) {
      if (s.name == hop.name) named.push_back(&s);
    }
    if (named.size() != 1) {
      problems.push_back(named.empty()
                             ? std::string("missing span ") + hop.name + " (" + hop.service + ")"
                             : std::to_string(named.size()) + " spans named " + hop.name +
                                   " (expected one)");
      previous = nullptr;  // parent links past a gap cannot be judged
      continue;
    }
    const SpanView& span = *named.front();
    if (span.trace_id != expected.trace_id) {
      problems.push_back(span.name + " belongs to trace " + span.trace_id);
    }
    if (span.service != hop.service) {
      problems.push_back(span.name + " comes from " + span.service + ", expected " + hop.service);
    }
    if (hop.name == kTaskHops[0].name && !span.parent.empty()) {
      problems.push_back("publish_event is not the root (parent " + span.parent + ")");
    }
    if (previous && span.parent != previous->id) {
      problems.push_back(span.name + " is not a child of " + previous->name);
    }
    CheckError(span, expected.failed, problems);
    previous = &span;
  }
  for (const auto& s : spans) {
    const char* key = s.name == "publish_event"  ? "event.type"
                      : s.name == "process_task" ? "task.type"
                                                 : nullptr;
    if (key && Tag(s, key) != expected.task_type) {
      problems.push_back(s.name + " has " + key + "=" + Tag(s, key) + ", expected " +
                         expected.task_type);
    }
  }
  return problems;
}

}  // namespace

std::vector<std::string> CheckTaskTrace(const json& trace, const TraceExpectation& expected) {
  try {
    return CheckSpans(ReadSpans(trace), expected);
  } catch (const std::exception& e) {
    return {std::string("unexpected trace JSON: ") + e.what()};
  }
}

std::string RenderTaskTrace(const json& trace) {
  try {
    std::vector<collector::TreeSpan> tree;
    for (const SpanView& s : ReadSpans(trace)) {
      collector::TreeSpan& node = tree.emplace_back();
      node.id = s.id;
      node.parent = s.parent;
      node.header =
          collector::SpanHeader(s.name, s.service, s.duration_us, s.error, s.error_message);
      for (const auto& [key, value] : s.shown) node.details.push_back(key + ": " + value);
      for (const auto& e : s.exceptions) node.details.push_back("exception: " + e);
    }
    return collector::DrawSpanTree(tree);
  } catch (const std::exception& e) {
    return std::string("(unexpected trace JSON: ") + e.what() + ")\n";
  }
}

}  // namespace agenthub::agents
