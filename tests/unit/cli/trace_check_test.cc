// The demo's completeness check of a task's trace: the seven hops of the
// trace contract, each once, from its service, each the child of the one
// before, with the error where a failed task must show it.
#include "cli/demo/trace_check.h"

#include <gtest/gtest.h>

#include "agenthub/trace_contract.h"

namespace agenthub::cli {
namespace {

using nlohmann::json;

const char kTrace[] = "0af7651916cd43dd8448eb211c80319c";

json Tag(const std::string& key, const std::string& value) {
  return {{"key", key}, {"type", "string"}, {"value", value}};
}

// A complete trace of `task_type`; `failed` adds the error marks.
json CompleteTrace(const std::string& task_type, bool failed) {
  json spans = json::array();
  json processes = json::object();
  std::string parent;
  int n = 0;
  for (const contract::Hop& hop : contract::kTaskHops) {
    const std::string id = "s" + std::to_string(++n);
    json tags = json::array();
    if (hop.span == std::string(contract::kPublishEvent))
      tags.push_back(Tag("event.type", task_type));
    if (hop.span == std::string(contract::kProcessTask)) {
      tags.push_back(Tag("task.type", task_type));
      if (failed) {
        tags.push_back(Tag("otel.status_code", "ERROR"));
        tags.push_back(Tag("error.type", "unknown_task_type"));
      }
    }
    if (hop.span == std::string(contract::kPublishResult)) {
      tags.push_back(Tag("result.status", failed ? "failure" : "success"));
    }
    if (hop.span == std::string(contract::kConsumeResult) && failed) {
      tags.push_back(Tag("otel.status_code", "ERROR"));
    }
    json logs = json::array();
    if (failed && hop.span == std::string(contract::kProcessTask)) {
      logs.push_back({{"timestamp", n},
                      {"fields", {Tag("event", "exception"), Tag("exception.message", "x")}}});
    }
    json span = {{"traceID", kTrace},
                 {"spanID", id},
                 {"operationName", hop.span},
                 {"processID", hop.service},
                 {"startTime", n},
                 {"duration", 1},
                 {"tags", tags},
                 {"logs", logs},
                 {"references", json::array()}};
    if (!parent.empty())
      span["references"].push_back({{"refType", "CHILD_OF"}, {"spanID", parent}});
    spans.push_back(span);
    processes[hop.service] = {{"serviceName", hop.service}};
    parent = id;
  }
  return {{"traceID", kTrace}, {"spans", spans}, {"processes", processes}};
}

TEST(TraceCheck, ACompleteTraceHasNoProblems) {
  EXPECT_TRUE(
      CheckTaskTrace(CompleteTrace("greeting", false), {kTrace, "greeting", false}).empty());
  EXPECT_TRUE(CheckTaskTrace(CompleteTrace("x", true), {kTrace, "x", true}).empty());
}

TEST(TraceCheck, AMissingHopIsNamed) {
  json trace = CompleteTrace("greeting", false);
  trace["spans"].erase(2);  // consume_event
  const auto problems = CheckTaskTrace(trace, {kTrace, "greeting", false});
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0], "missing span consume_event (agenthub-subscriber)");
}

TEST(TraceCheck, ABrokenParentLinkIsNamed) {
  json trace = CompleteTrace("greeting", false);
  trace["spans"][3]["references"][0]["spanID"] = "s1";  // process_task under publish_event
  const auto problems = CheckTaskTrace(trace, {kTrace, "greeting", false});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "process_task is not a child of consume_event");
}

TEST(TraceCheck, AFailedTaskMustShowItsError) {
  const auto problems = CheckTaskTrace(CompleteTrace("x", false), {kTrace, "x", true});
  EXPECT_NE(std::find(problems.begin(), problems.end(),
                      "process_task of a failed task is not marked ERROR"),
            problems.end());
  EXPECT_NE(std::find(problems.begin(), problems.end(),
                      "publish_result of a failed task has result.status=success"),
            problems.end());
}

TEST(TraceCheck, MalformedJsonIsAProblemNotACrash) {
  const auto problems = CheckTaskTrace(json::parse(R"({"spans": 3})"), {kTrace, "x", false});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("unexpected trace JSON", 0), 0u);
}

TEST(TraceCheck, TheDemoTreeHidesRepeatedAttributesAndShowsExceptions) {
  const std::string tree = RenderTaskTrace(CompleteTrace("x", true));
  EXPECT_NE(tree.find("└── publish_event (agenthub-publisher) [1µs]"), std::string::npos) << tree;
  EXPECT_NE(tree.find("event.type: x"), std::string::npos);
  EXPECT_NE(tree.find("exception: x"), std::string::npos);
  EXPECT_EQ(tree.find("otel.status_code"), std::string::npos);
}

}  // namespace
}  // namespace agenthub::cli
