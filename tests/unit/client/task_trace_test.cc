// One task, one trace: the seven spans of docs/reference/spans.md with their
// parents, kinds and attributes, read back from what the process exported
// over OTLP (broker and agents share the in-process pipeline).
#include <gtest/gtest.h>

#include <stdexcept>

#include "unit/client/broker_harness.h"

namespace agenthub::client {
namespace {

using namespace std::chrono_literals;
using testing::BrokerHarness;
using testing::CapturedSpan;
using SpanKind = testing::otlp::trace::v1::Span;

const std::vector<std::string> kSevenSpans = {"publish_event", "route_task",     "consume_event",
                                              "process_task",  "publish_result", "route_result",
                                              "consume_result"};

class TaskTraceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    connection_ = harness_.Connect();
    subscriber_ = std::make_unique<Subscriber>(connection_, SubscriberOptions{.agent_id = "worker"},
                                               harness_.client_telemetry());
    publisher_ = std::make_unique<Publisher>(connection_, PublisherOptions{.agent_id = "asker"},
                                             harness_.client_telemetry());
  }

  // Runs one task and returns its trace once all seven spans arrived.
  std::vector<CapturedSpan> TraceOf(TaskRequest request, TaskOutcome* outcome_out = nullptr) {
    EXPECT_TRUE(subscriber_->Start(20s));
    EXPECT_TRUE(publisher_->Start(20s));
    request.responder_agent_id = "worker";
    auto future = publisher_->Publish(std::move(request));
    EXPECT_EQ(future.wait_for(20s), std::future_status::ready);
    TaskOutcome outcome = future.get();
    EXPECT_TRUE(harness_.spans().WaitForTrace(outcome.trace_id, kSevenSpans, 20s));
    if (outcome_out) *outcome_out = outcome;
    return harness_.spans().TraceOf(outcome.trace_id);
  }

  static const CapturedSpan& Named(const std::vector<CapturedSpan>& trace,
                                   const std::string& name) {
    for (const auto& s : trace) {
      if (s.name == name) return s;
    }
    static const CapturedSpan missing;
    ADD_FAILURE() << "no span " << name;
    return missing;
  }

  BrokerHarness harness_;
  std::shared_ptr<Connection> connection_;
  std::unique_ptr<Subscriber> subscriber_;
  std::unique_ptr<Publisher> publisher_;
};

TEST_F(TaskTraceTest, EachHopIsTheChildOfThePreviousOne) {
  subscriber_->Handle("greeting", [](TaskContext&) -> HandlerResult {
    return MakeStruct({{"message", "hi"}});
  });
  const auto trace =
      TraceOf({.task_type = "greeting", .parameters = MakeStruct({{"name", "Claude"}})});
  EXPECT_EQ(Named(trace, "publish_event").parent_span_id, "");
  for (size_t i = 1; i < kSevenSpans.size(); ++i) {
    EXPECT_EQ(Named(trace, kSevenSpans[i]).parent_span_id, Named(trace, kSevenSpans[i - 1]).span_id)
        << kSevenSpans[i] << " should be the child of " << kSevenSpans[i - 1];
  }
}

TEST_F(TaskTraceTest, SpansCarryKindsAndKeyAttributes) {
  subscriber_->Handle("greeting", [](TaskContext&) -> HandlerResult { return {}; });
  TaskOutcome outcome;
  const auto trace =
      TraceOf({.task_type = "greeting", .parameters = MakeStruct({{"name", "Claude"}, {"n", 3}})},
              &outcome);
  const auto& publish = Named(trace, "publish_event");
  EXPECT_EQ(publish.kind, SpanKind::SPAN_KIND_PRODUCER);
  EXPECT_EQ(publish.attr("event.type"), "greeting");
  EXPECT_EQ(publish.attr("event.id"), outcome.task_id);
  EXPECT_EQ(publish.attr("responder.agent"), "worker");
  EXPECT_EQ(publish.attr("messaging.system"), "agenthub");

  const auto& consume = Named(trace, "consume_event");
  EXPECT_EQ(consume.kind, SpanKind::SPAN_KIND_CONSUMER);
  EXPECT_EQ(consume.attr("messaging.operation"), "receive");

  const auto& process = Named(trace, "process_task");
  EXPECT_EQ(process.attr("task.type"), "greeting");
  EXPECT_EQ(process.attr("task.parameter.name"), "Claude");
  EXPECT_EQ(process.attr("task.parameter.n"), "3");
  EXPECT_EQ(process.attr("processing.status"), "completed");
  EXPECT_FALSE(process.error);

  EXPECT_EQ(Named(trace, "publish_result").attr("result.status"), "success");
  const auto& consume_result = Named(trace, "consume_result");
  EXPECT_EQ(consume_result.kind, SpanKind::SPAN_KIND_CONSUMER);
  EXPECT_EQ(consume_result.attr("task.status"), "TASK_STATUS_COMPLETED");
}

TEST_F(TaskTraceTest, HandlerExceptionIsRecordedOnProcessTask) {
  subscriber_->Handle(
      "explode", [](TaskContext&) -> HandlerResult { throw std::invalid_argument("bad input"); });
  const auto trace = TraceOf({.task_type = "explode"});
  const auto& process = Named(trace, "process_task");
  EXPECT_TRUE(process.error);
  EXPECT_EQ(process.status_message, "bad input");
  EXPECT_EQ(process.attr("processing.status"), "failed");
  EXPECT_EQ(process.attr("error.type"), "std::invalid_argument");
  ASSERT_FALSE(process.first_exception.empty());
  EXPECT_EQ(process.first_exception.at("exception.type"), "std::invalid_argument");
  EXPECT_EQ(process.first_exception.at("exception.message"), "bad input");
  EXPECT_EQ(Named(trace, "publish_result").attr("result.status"), "failure");
  EXPECT_TRUE(Named(trace, "consume_result").error);
}

TEST_F(TaskTraceTest, UnknownTaskTypeErrorIsVisibleOnItsSpans) {
  const auto trace = TraceOf({.task_type = "mystery"});
  const auto& process = Named(trace, "process_task");
  EXPECT_TRUE(process.error);
  EXPECT_EQ(process.attr("error.type"), "unknown_task_type");
  EXPECT_EQ(process.status_message, "unknown task type: mystery");
  ASSERT_FALSE(process.first_exception.empty());
}

TEST_F(TaskTraceTest, BaggageFromThePublisherReachesTheHandler) {
  std::promise<std::string> tier;
  subscriber_->Handle("greeting", [&](TaskContext& ctx) -> HandlerResult {
    tier.set_value(ctx.Baggage("user.tier").value_or("none"));
    return {};
  });
  TraceOf({.task_type = "greeting", .baggage = {{"user.tier", "premium"}}});
  EXPECT_EQ(tier.get_future().get(), "premium");
}

TEST_F(TaskTraceTest, HandlerChildSpansAndAttributesJoinTheTrace) {
  subscriber_->Handle("math", [](TaskContext& ctx) -> HandlerResult {
    telemetry::Span validate = ctx.StartSpan("validate_input");
    validate.End();
    ctx.SetAttribute("math.operation", "add");
    ctx.AddEvent("computed");
    return {};
  });
  const auto trace = TraceOf({.task_type = "math"});
  const auto& process = Named(trace, "process_task");
  const auto& validate = Named(trace, "validate_input");
  EXPECT_EQ(validate.parent_span_id, process.span_id);
  EXPECT_EQ(process.attr("math.operation"), "add");
  EXPECT_NE(std::find(process.events.begin(), process.events.end(), "computed"),
            process.events.end());
}

}  // namespace
}  // namespace agenthub::client
