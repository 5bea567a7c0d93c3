// The agent SDK under at-least-once delivery (docs/explanation/delivery.md):
// handlers learn which attempt they hold, the whole trace of a redelivered
// task hangs together, and a task redelivered while its handler still runs
// here is not run twice.
#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "eventbus.grpc.pb.h"
#include "unit/client/broker_harness.h"

namespace agenthub::client {
namespace {

using namespace std::chrono_literals;
using testing::BrokerHarness;
using testing::WaitFor;

constexpr auto kWait = 20s;

broker::RouterLimits ShortLeases() {
  broker::RouterLimits limits;
  limits.ack_wait = 150ms;
  limits.max_deliveries = 100;  // never the reason a test ends
  return limits;
}

TEST(Redelivery, AHandlerSeesTheAttemptItHoldsAndItsSpansJoinThatAttempt) {
  BrokerHarness harness;
  auto connection = harness.Connect();
  Publisher publisher(connection, {.agent_id = "asker"}, harness.client_telemetry());
  ASSERT_TRUE(publisher.Start(kWait));
  // A consumer of another implementation reads the task and dies with it.
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(harness.port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = eventbus::EventBus::NewStub(channel);
  grpc::ClientContext doomed;
  eventbus::SubscribeToTasksRequest request;
  request.set_agent_id("worker");
  auto reader = stub->SubscribeToTasks(&doomed, request);
  reader->WaitForInitialMetadata();
  auto future = publisher.Publish({.task_type = "echo", .responder_agent_id = "worker"});
  eventbus::TaskMessage first;
  ASSERT_TRUE(reader->Read(&first));
  EXPECT_EQ(DeliveryAttemptOf(first), 1u);
  doomed.TryCancel();
  reader->Finish();

  std::atomic<uint32_t> attempt{0};
  Subscriber subscriber(connection, {.agent_id = "worker"}, harness.client_telemetry());
  subscriber.Handle("echo", [&](TaskContext& ctx) -> HandlerResult {
    attempt = ctx.attempt();
    return {};
  });
  ASSERT_TRUE(subscriber.Start(kWait));
  ASSERT_EQ(future.wait_for(kWait), std::future_status::ready);
  const TaskOutcome outcome = future.get();
  ASSERT_TRUE(outcome.completed()) << outcome.error;
  EXPECT_EQ(attempt.load(), 2u);
  ASSERT_TRUE(harness.spans().WaitForTrace(
      outcome.trace_id, {"route_task", "redeliver_task", "consume_event", "consume_result"},
      kWait));
  std::string attempt_span, consumer_parent, consumer_attempt;
  for (const auto& s : harness.spans().TraceOf(outcome.trace_id)) {
    if (s.name == "redeliver_task") attempt_span = s.span_id;
    if (s.name == "consume_event") {
      consumer_parent = s.parent_span_id;
      consumer_attempt = s.attr("agenthub.delivery.attempt");
    }
  }
  EXPECT_EQ(consumer_parent, attempt_span) << "consume_event must hang under attempt 2";
  EXPECT_EQ(consumer_attempt, "2");
}

TEST(Redelivery, ATaskRedeliveredWhileItsHandlerRunsHereIsNotRunAgainAndIsAnsweredOnce) {
  BrokerHarness harness(ShortLeases());
  auto connection = harness.Connect();
  Publisher publisher(connection, {.agent_id = "asker"}, harness.client_telemetry());
  Subscriber subscriber(connection, {.agent_id = "worker", .max_concurrent_tasks = 1},
                        harness.client_telemetry());
  std::atomic<int> runs{0};
  std::promise<void> release;
  auto released = release.get_future().share();
  subscriber.Handle("slow", [&](TaskContext&) -> HandlerResult {
    ++runs;
    released.wait();  // well past its lease, without progress
    return {};
  });
  ASSERT_TRUE(subscriber.Start(kWait));
  ASSERT_TRUE(publisher.Start(kWait));
  auto future = publisher.Publish({.task_type = "slow", .responder_agent_id = "worker"});
  ASSERT_TRUE(WaitFor([&] { return subscriber.duplicates_skipped() >= 1; }, kWait))
      << "the lease did not run out";
  EXPECT_EQ(runs.load(), 1) << "a redelivery ran while the first run was still going";
  release.set_value();
  ASSERT_EQ(future.wait_for(kWait), std::future_status::ready);
  EXPECT_TRUE(future.get().completed());
  // (A redelivery already on its way when the result settled the task may
  // still run; its result is refused by the broker, never forwarded.)
  EXPECT_EQ(publisher.duplicate_results(), 0u);
}

TEST(Redelivery, TheAttemptOfAMessageWithoutTheKeyIsOne) {
  eventbus::TaskMessage task;
  EXPECT_EQ(DeliveryAttemptOf(task), 1u);
  (*task.mutable_metadata()->mutable_fields())["agenthub.delivery_attempt"].set_number_value(3);
  EXPECT_EQ(DeliveryAttemptOf(task), 3u);
  (*task.mutable_metadata()->mutable_fields())["agenthub.delivery_attempt"].set_string_value("x");
  EXPECT_EQ(DeliveryAttemptOf(task), 1u);
}

}  // namespace
}  // namespace agenthub::client
