// At-least-once delivery over real gRPC on loopback: leases that run out,
// redelivery with its attempt in the message and in the trace, the first
// result settling, results waiting for their requester, dead letters, and
// what a shutdown tells requesters. Leases are short here (ack_wait 200 ms);
// no test asserts on time, WaitFor only bounds a broken build.
#include <gtest/gtest.h>

#include <set>

#include "support/broker_fixture.h"
#include "telemetry/grpc/grpc.h"

namespace agenthub::broker::testing {
namespace {

using telemetry::Context;
using telemetry::SpanData;

BrokerOptions ShortLeases(std::chrono::milliseconds ack_wait = 200ms, uint32_t deliveries = 5) {
  BrokerOptions options;
  options.limits.ack_wait = ack_wait;
  options.limits.max_deliveries = deliveries;
  return options;
}

double AttemptIn(const eventbus::TaskMessage& task) {
  const auto& fields = task.metadata().fields();
  auto it = fields.find(kDeliveryAttemptKey);
  return it == fields.end() ? 0 : it->second.number_value();
}

int64_t IntAttribute(const SpanData& span, std::string_view key) {
  const auto* v = telemetry::FindAttribute(span.attributes, key);
  return v && std::holds_alternative<int64_t>(*v) ? std::get<int64_t>(*v) : -1;
}

std::string StringAttribute(const SpanData& span, std::string_view key) {
  const auto* v = telemetry::FindAttribute(span.attributes, key);
  return v && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : "<absent>";
}

TEST(EventBusDelivery, ATaskNobodyAnswersIsRedeliveredToAnotherStreamAsTheNextAttempt) {
  BrokerHarness broker(ShortLeases());
  auto results = broker.SubscribeResults("pub");
  auto silent = broker.SubscribeTasks("w");
  ASSERT_TRUE(broker.Publish(MakeTask("t1", "work", "pub", "w")).ok());
  auto first = silent->Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(AttemptIn(*first), 1.0);
  auto worker = broker.SubscribeTasks("w", {}, false, /*answer=*/true);
  auto second = worker->Next();
  ASSERT_TRUE(second.has_value()) << "not redelivered after the lease ran out";
  EXPECT_EQ(second->task_id(), "t1");
  EXPECT_EQ(AttemptIn(*second), 2.0);
  auto result = results->Next();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status(), eventbus::TASK_STATUS_COMPLETED);
  EXPECT_EQ(broker.stats().redelivered_lease_expired, 1u);
  EXPECT_EQ(silent->received(), 1u) << "the stream that let the lease run out got it again";
}

TEST(EventBusDelivery, EachAttemptIsASpanUnderRouteTaskAndTheConsumerHangsUnderIt) {
  BrokerHarness broker(ShortLeases(30s));
  {
    auto doomed = broker.SubscribeTasks("w");
    ASSERT_TRUE(broker.Publish(MakeTask("traced", "work", "pub", "w")).ok());
    ASSERT_TRUE(doomed->Next().has_value());
  }  // the stream ends with the task in hand
  ASSERT_TRUE(WaitFor([&] { return broker.stats().task_subscriptions == 0; }));
  auto worker = broker.SubscribeTasks("w");
  auto again = worker->Next();
  ASSERT_TRUE(again.has_value());
  ASSERT_TRUE(WaitFor([&] { return broker.spans->SpansNamed("route_task").size() == 1; }));
  const SpanData route = broker.spans->SpansNamed("route_task").front();
  ASSERT_TRUE(broker.PublishResult(MakeResult("traced", "w")).ok());
  ASSERT_TRUE(WaitFor([&] { return broker.spans->SpansNamed("redeliver_task").size() == 1; }));
  const SpanData attempt = broker.spans->SpansNamed("redeliver_task").front();
  EXPECT_EQ(attempt.context.trace_id(), route.context.trace_id());
  EXPECT_EQ(attempt.parent_span_id, route.context.span_id());
  EXPECT_EQ(IntAttribute(attempt, "agenthub.delivery.attempt"), 2);
  EXPECT_EQ(StringAttribute(attempt, "agenthub.delivery.previous_outcome"), "stream_ended");
  telemetry::W3CTraceContextPropagator propagator;
  const Context next_hop = telemetry::ExtractTraceHeaders(again->metadata(), propagator, Context());
  EXPECT_EQ(next_hop.span().context().span_id(), attempt.context.span_id())
      << "the consumer of attempt 2 must be the child of its attempt span";
}

TEST(EventBusDelivery, ASecondFinalResultIsRefusedWithAlreadyExistsAndNotForwarded) {
  BrokerHarness broker(ShortLeases(30s));
  auto results = broker.SubscribeResults("pub");
  auto agent = broker.SubscribeTasks("w");
  ASSERT_TRUE(broker.Publish(MakeTask("t1", "work", "pub", "w")).ok());
  ASSERT_TRUE(agent->Next().has_value());
  ASSERT_TRUE(broker.PublishResult(MakeResult("t1", "w")).ok());
  const grpc::Status second =
      broker.PublishResult(MakeResult("t1", "w", eventbus::TASK_STATUS_FAILED));
  EXPECT_EQ(second.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_NE(second.error_message().find("already settled"), std::string::npos);
  ASSERT_TRUE(results->Next().has_value());
  EXPECT_FALSE(results->Next(300ms).has_value()) << "the second result was forwarded";
  EXPECT_EQ(broker.stats().duplicate_results, 1u);
}

TEST(EventBusDelivery, ProgressFromTheHolderKeepsTheLease) {
  BrokerHarness broker(ShortLeases(300ms));
  auto agent = broker.SubscribeTasks("w");
  ASSERT_TRUE(broker.Publish(MakeTask("slow", "work", "pub", "w")).ok());
  ASSERT_TRUE(agent->Next().has_value());
  // Progress well inside every lease, for several leases' worth of time.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(broker.PublishProgress(MakeProgress("slow", "w", i * 10)).ok());
    std::this_thread::sleep_for(60ms);
  }
  ASSERT_TRUE(broker.PublishResult(MakeResult("slow", "w")).ok());
  EXPECT_EQ(broker.stats().requeued, 0u);
  EXPECT_EQ(agent->received(), 1u);
}

TEST(EventBusDelivery, ResultsWaitForARequesterThatIsNotConnected) {
  BrokerHarness broker;
  auto agent = broker.SubscribeTasks("w");
  ASSERT_TRUE(broker.Publish(MakeTask("t1", "work", "away", "w")).ok());
  ASSERT_TRUE(agent->Next().has_value());
  ASSERT_TRUE(broker.PublishResult(MakeResult("t1", "w")).ok());
  EXPECT_EQ(broker.stats().waiting_results, 1u);
  auto results = broker.SubscribeResults("away");
  auto result = results->Next();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->task_id(), "t1");
  EXPECT_EQ(broker.stats().waiting_results, 0u);
}

TEST(EventBusDelivery, ExhaustedAttemptsSendFailedFromTheBrokerAndKeepADeadLetter) {
  BrokerHarness broker(ShortLeases(100ms, 2));
  auto results = broker.SubscribeResults("pub");
  auto silent = broker.SubscribeTasks("w");
  ASSERT_TRUE(broker.Publish(MakeTask("doomed", "work", "pub", "w")).ok());
  auto result = results->Next();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status(), eventbus::TASK_STATUS_FAILED);
  EXPECT_EQ(result->executor_agent_id(), "agenthub-broker");
  EXPECT_NE(result->error_message().find("delivery attempts exhausted"), std::string::npos)
      << result->error_message();
  EXPECT_EQ(silent->received(), 2u);
  auto letters = broker.server().router().DeadLetters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].task_id, "doomed");
  // The executor's late answer is refused: the requester has its verdict.
  EXPECT_EQ(broker.PublishResult(MakeResult("doomed", "w")).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // Re-driven, it is delivered again and can complete.
  silent.reset();
  ASSERT_TRUE(WaitFor([&] { return broker.stats().task_subscriptions == 0; }));
  auto worker = broker.SubscribeTasks("w", {}, false, /*answer=*/true);
  ASSERT_EQ(broker.server().router().Redrive("doomed"), RedriveStatus::kOk);
  auto completed = results->Next();
  ASSERT_TRUE(completed.has_value());
  EXPECT_EQ(completed->status(), eventbus::TASK_STATUS_COMPLETED);
}

TEST(EventBusDelivery, TasksLeftAtShutdownGetAFailedResultNamingTheShutdown) {
  BrokerOptions options = ShortLeases(30s);
  options.drain_timeout = 200ms;
  BrokerHarness broker(options);
  auto results = broker.SubscribeResults("pub");
  auto silent = broker.SubscribeTasks("w");
  ASSERT_TRUE(broker.Publish(MakeTask("leased", "work", "pub", "w")).ok());
  ASSERT_TRUE(broker.Publish(MakeTask("queued", "work", "pub", "nobody")).ok());
  ASSERT_TRUE(silent->Next().has_value());
  const DrainReport report = broker.server().Shutdown();
  EXPECT_FALSE(report.drained);
  std::set<std::string> failed;
  while (auto r = results->Next(2s)) {
    EXPECT_EQ(r->status(), eventbus::TASK_STATUS_FAILED);
    EXPECT_NE(r->error_message().find("shut down"), std::string::npos) << r->error_message();
    failed.insert(r->task_id());
  }
  EXPECT_EQ(failed, (std::set<std::string>{"leased", "queued"}));
  auto status = results->Finished();
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->ok());
}

}  // namespace
}  // namespace agenthub::broker::testing
