// Agents outlive their broker: after it is stopped and started again on the
// same port, the task, result and progress streams reopen by themselves and
// the next task goes through with no action from the agent's code.
#include <gtest/gtest.h>

#include "unit/client/broker_harness.h"

namespace agenthub::client {
namespace {

using namespace std::chrono_literals;
using testing::BrokerHarness;
using testing::WaitFor;

TaskOutcome RoundTrip(Publisher& publisher) {
  auto future = publisher.Publish({.task_type = "echo", .responder_agent_id = "worker"});
  EXPECT_EQ(future.wait_for(30s), std::future_status::ready);
  return future.get();
}

TEST(ReconnectTest, AgentsCarryOnAfterTheBrokerRestarts) {
  BrokerHarness harness;
  auto connection = harness.Connect();
  Subscriber subscriber(connection, {.agent_id = "worker"}, harness.client_telemetry());
  subscriber.Handle("echo", [](TaskContext&) -> HandlerResult { return {}; });
  Publisher publisher(connection, {.agent_id = "asker"}, harness.client_telemetry());
  ASSERT_TRUE(subscriber.Start(20s));
  ASSERT_TRUE(publisher.Start(20s));
  ASSERT_TRUE(RoundTrip(publisher).completed());

  const int port = harness.port();
  harness.StopBroker();
  EXPECT_TRUE(WaitFor([&] { return !subscriber.IsReady() && !publisher.IsReady(); }));
  ASSERT_TRUE(harness.StartBroker(port));

  ASSERT_TRUE(WaitFor([&] { return subscriber.IsReady() && publisher.IsReady(); }, 30s));
  EXPECT_GE(subscriber.stream_opens(), 2u);
  TaskOutcome outcome = RoundTrip(publisher);
  EXPECT_TRUE(outcome.completed()) << OutcomeKindName(outcome.kind) << ": " << outcome.error;
}

TEST(ReconnectTest, PublishWaitsForABrokerThatIsStillStarting) {
  BrokerHarness harness;
  const int port = harness.port();
  harness.StopBroker();
  auto connection = harness.Connect();
  Subscriber subscriber(connection, {.agent_id = "worker"}, harness.client_telemetry());
  subscriber.Handle("echo", [](TaskContext&) -> HandlerResult { return {}; });
  Publisher publisher(connection, {.agent_id = "asker"}, harness.client_telemetry());
  subscriber.Start(0ms);
  publisher.Start(0ms);
  EXPECT_FALSE(connection->IsConnected());

  ASSERT_TRUE(harness.StartBroker(port));
  ASSERT_TRUE(WaitFor([&] { return subscriber.IsReady() && publisher.IsReady(); }, 30s));
  EXPECT_TRUE(RoundTrip(publisher).completed());
}

}  // namespace
}  // namespace agenthub::client
