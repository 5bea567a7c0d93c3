// The terminal trace views, from Jaeger JSON shaped as /api/traces/{id}
// answers it (ours and Jaeger's).
#include "traceview/traceview.h"

#include <gtest/gtest.h>

namespace agenthub::traceview {
namespace {

using nlohmann::json;

const char kTraceId[] = "0000000000000000000000000000000a";

json Span(const std::string& id, const std::string& parent, const std::string& name,
          const std::string& process, int64_t start_us, int64_t duration_us,
          json tags = json::array(), json logs = json::array()) {
  json span = {{"traceID", kTraceId},  {"spanID", id},          {"operationName", name},
               {"processID", process}, {"startTime", start_us}, {"duration", duration_us},
               {"tags", tags},         {"logs", logs},          {"references", json::array()}};
  if (!parent.empty()) {
    span["references"].push_back(
        {{"refType", "CHILD_OF"}, {"traceID", kTraceId}, {"spanID", parent}});
  }
  return span;
}

json Trace(json spans) {
  return {{"traceID", kTraceId},
          {"spans", std::move(spans)},
          {"processes",
           {{"p1", {{"serviceName", "agenthub-publisher"}}},
            {"p2", {{"serviceName", "agenthub-subscriber"}}}}}};
}

json Tag(const std::string& key, json value) {
  return {{"key", key}, {"type", value.is_string() ? "string" : "int64"}, {"value", value}};
}

TEST(TraceTree, RendersTheSeedsTreeWithErrorsMarked) {
  const json trace = Trace(json::array(
      {Span("b", "a", "process_task", "p2", 1001000, 2000,
            {Tag("otel.status_code", "ERROR"), Tag("otel.status_description", "boom"),
             Tag("error", true), Tag("span.kind", "internal")}),
       Span("a", "", "publish_event", "p1", 1000000, 25000, {Tag("event.type", "greeting")})}));
  std::string out, error;
  ASSERT_TRUE(RenderTraceTree(trace, &out, &error)) << error;
  EXPECT_EQ(out, std::string("Trace: ") + kTraceId +
                     "\n"
                     "└── publish_event (agenthub-publisher) [25ms]\n"
                     "    ├── event.type: greeting\n"
                     "    └── process_task (agenthub-subscriber) [2ms] ✗ ERROR: boom\n");
}

TEST(TraceTree, ListsTracesWithRootServicesAndErrors) {
  const json trace = Trace(json::array(
      {Span("a", "", "publish_event", "p1", 1000000, 25000),
       Span("b", "a", "process_task", "p2", 1001000, 2000, {Tag("otel.status_code", "ERROR")})}));
  std::string list, error;
  ASSERT_TRUE(RenderTraceList(json::array({trace}), &list, &error)) << error;
  EXPECT_NE(list.find(kTraceId), std::string::npos);
  EXPECT_NE(list.find("publish_event"), std::string::npos);
  EXPECT_NE(list.find("agenthub-publisher,agenthub-subscriber"), std::string::npos);
  EXPECT_NE(list.find("25ms"), std::string::npos);
}

TEST(TraceTree, SpansWithAMissingParentAreRoots) {
  const json trace = Trace(
      json::array({Span("a", "gone", "first", "p1", 1, 1), Span("b", "b", "second", "p1", 2, 1)}));
  std::string out, error;
  ASSERT_TRUE(RenderTraceTree(trace, &out, &error)) << error;
  EXPECT_NE(out.find("├── first"), std::string::npos) << out;
  EXPECT_NE(out.find("└── second"), std::string::npos) << out;
}

TEST(TraceTree, ACycleOfParentsIsCutNotFollowedForever) {
  json spans = json::array();
  for (int i = 0; i < 100; ++i) {
    spans.push_back(
        Span("s" + std::to_string(i), i == 0 ? "" : "s" + std::to_string(i - 1), "op", "p1", i, 1));
  }
  std::string out, error;
  ASSERT_TRUE(RenderTraceTree(Trace(spans), &out, &error)) << error;
  EXPECT_NE(out.find("(deeper spans not shown)"), std::string::npos);
}

TEST(TraceTree, AStyleChoosesTagsAndShowsExceptions) {
  const json exception = {{"timestamp", 1},
                          {"fields",
                           {Tag("event", "exception"), Tag("exception.type", "ValueError"),
                            Tag("exception.message", "bad")}}};
  const json trace =
      Trace(json::array({Span("a", "", "process_task", "p2", 1, 1000,
                              {Tag("task.type", "greeting"), Tag("messaging.system", "agenthub")},
                              json::array({exception}))}));
  std::vector<TraceSpan> spans;
  std::string error;
  ASSERT_TRUE(ReadJaegerSpans(trace, &spans, &error)) << error;
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].service, "agenthub-subscriber");
  EXPECT_EQ(spans[0].Tag("task.type"), "greeting");
  EXPECT_EQ(spans[0].exceptions, std::vector<std::string>{"ValueError: bad"});
  const TreeStyle style{
      .show_tag = [](std::string_view key) { return key.substr(0, 10) != "messaging."; },
      .show_exceptions = true};
  EXPECT_EQ(RenderSpanTree(spans, style),
            "└── process_task (agenthub-subscriber) [1ms]\n"
            "    ├── task.type: greeting\n"
            "    └── exception: ValueError: bad\n");
}

TEST(TraceTree, MalformedJsonIsAnErrorNotACrash) {
  std::string out, error;
  EXPECT_FALSE(RenderTraceTree(json::parse(R"({"spans": 5})"), &out, &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(RenderTraceTree(json::parse(R"({"spans": [{"startTime": "x"}]})"), &out, &error));
  EXPECT_FALSE(RenderTraceTree(json::parse(R"([1, 2])"), &out, &error));
  EXPECT_FALSE(RenderTraceList(json::parse(R"([{"spans": 5}])"), &out, &error));
  std::vector<TraceSpan> spans;
  EXPECT_FALSE(ReadJaegerSpans(json::parse(R"("text")"), &spans, &error));
}

}  // namespace
}  // namespace agenthub::traceview
