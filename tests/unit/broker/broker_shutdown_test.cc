// Graceful shutdown in-process: new publishes get UNAVAILABLE, tasks queued
// for connected agents are flushed and answered, streams end with OK, and
// what cannot be delivered is reported by task id and to its requester.
#include <gtest/gtest.h>

#include <future>

#include "support/broker_fixture.h"

namespace agenthub::broker::testing {
namespace {

TEST(BrokerShutdown, QueuedTasksForConnectedAgentsAreFlushedAndStreamsEndOk) {
  BrokerOptions options;
  options.drain_timeout = 20s;
  BrokerHarness broker(options);
  // A reader that does not read yet: its tasks back up in the broker. Once
  // it reads, it answers each (the drain waits for their results).
  auto agent = broker.SubscribeTasks("drainee", {}, /*paused=*/true, /*answer=*/true);
  auto results = broker.SubscribeResults("pub");
  const std::string payload(512 * 1024, 'd');
  constexpr int kTasks = 20;
  for (int i = 0; i < kTasks; ++i) {
    auto task = MakeTask("d" + std::to_string(i), "work", "pub", "drainee");
    (*task.mutable_parameters()->mutable_fields())["blob"].set_string_value(payload);
    ASSERT_TRUE(broker.Publish(task).ok());
  }
  ASSERT_TRUE(broker.Publish(MakeTask("orphan", "work", "pub", "nobody")).ok());
  ASSERT_GT(broker.stats().deliverable, 0u) << "nothing backed up; the test proves nothing";

  auto report = std::async(std::launch::async, [&] { return broker.server().Shutdown(); });
  // Publishes are refused from the moment shutdown begins.
  ASSERT_TRUE(WaitFor([&] {
    // Probes go to an agent that never connects: one accepted before the
    // shutdown began must not count as a drained task.
    return broker.Publish(MakeTask("late", "work", "pub", "nobody")).error_code() ==
           grpc::StatusCode::UNAVAILABLE;
  }));
  agent->Resume();
  const DrainReport drained = report.get();
  EXPECT_TRUE(drained.drained);
  std::vector<std::string> left = drained.left_queued;
  std::erase(left, "late");
  EXPECT_EQ(left, std::vector<std::string>{"orphan"});
  auto status = agent->Finished();
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->ok()) << status->error_message();
  EXPECT_EQ(agent->received(), static_cast<size_t>(kTasks));
  size_t completed = 0;
  bool orphan_failed = false;
  while (auto r = results->Next(2s)) {
    if (r->status() == eventbus::TASK_STATUS_COMPLETED) ++completed;
    if (r->task_id() == "orphan") {
      orphan_failed = r->status() == eventbus::TASK_STATUS_FAILED &&
                      r->error_message().find("shut down") != std::string::npos;
    }
  }
  EXPECT_EQ(completed, static_cast<size_t>(kTasks));
  EXPECT_TRUE(orphan_failed) << "the requester of an undelivered task was not told";
  auto results_status = results->Finished();
  ASSERT_TRUE(results_status.has_value());
  EXPECT_TRUE(results_status->ok());
}

TEST(BrokerShutdown, ADrainTimeoutEndsShutdownWithWhatIsLeftReported) {
  BrokerOptions options;
  options.drain_timeout = 200ms;
  BrokerHarness broker(options);
  auto agent = broker.SubscribeTasks("never-reads", {}, /*paused=*/true);
  const std::string payload(1024 * 1024, 'n');
  for (int i = 0; i < 12; ++i) {
    auto task = MakeTask("n" + std::to_string(i), "work", "pub", "never-reads");
    (*task.mutable_parameters()->mutable_fields())["blob"].set_string_value(payload);
    ASSERT_TRUE(broker.Publish(task).ok());
  }
  ASSERT_GT(broker.stats().queued, 0u);
  const DrainReport report = broker.server().Shutdown();
  EXPECT_FALSE(report.drained);
  EXPECT_FALSE(report.left_queued.empty());
  for (const auto& id : report.left_queued) EXPECT_EQ(id[0], 'n') << id;
}

}  // namespace
}  // namespace agenthub::broker::testing
