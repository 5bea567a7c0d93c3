// Publisher -> broker -> subscriber -> result -> publisher over real gRPC on
// loopback: what a publisher gets back for each way a handler can end.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>

#include "unit/client/broker_harness.h"

namespace agenthub::client {
namespace {

using namespace std::chrono_literals;
using testing::BrokerHarness;
using testing::WaitFor;

constexpr auto kWait = 20s;

class PublishSubscribeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    connection_ = harness_.Connect();
    subscriber_ = std::make_unique<Subscriber>(
        connection_, SubscriberOptions{.agent_id = "worker", .max_concurrent_tasks = 2},
        harness_.client_telemetry());
    publisher_ = std::make_unique<Publisher>(connection_, PublisherOptions{.agent_id = "asker"},
                                             harness_.client_telemetry());
  }
  void TearDown() override {
    publisher_.reset();
    subscriber_.reset();
  }
  void StartAgents() {
    ASSERT_TRUE(subscriber_->Start(kWait));
    ASSERT_TRUE(publisher_->Start(kWait));
  }
  TaskOutcome Run(TaskRequest request, ProgressCallback on_progress = {}) {
    if (request.responder_agent_id.empty()) request.responder_agent_id = "worker";
    auto future = publisher_->Publish(std::move(request), std::move(on_progress));
    EXPECT_EQ(future.wait_for(kWait), std::future_status::ready);
    return future.get();
  }

  BrokerHarness harness_;
  std::shared_ptr<Connection> connection_;
  std::unique_ptr<Subscriber> subscriber_;
  std::unique_ptr<Publisher> publisher_;
};

TEST_F(PublishSubscribeTest, HandlerResultReachesThePublishersFuture) {
  subscriber_->Handle("greeting", [](TaskContext& ctx) -> HandlerResult {
    return MakeStruct({{"message", "Hello, " + ctx.GetString("name").value_or("?") + "!"}});
  });
  StartAgents();
  TaskOutcome outcome =
      Run({.task_type = "greeting", .parameters = MakeStruct({{"name", "Claude"}})});
  ASSERT_TRUE(outcome.completed()) << outcome.error;
  EXPECT_EQ(GetString(outcome.result.result(), "message"), "Hello, Claude!");
  EXPECT_EQ(outcome.result.executor_agent_id(), "worker");
  EXPECT_EQ(outcome.result.task_id(), outcome.task_id);
  EXPECT_EQ(outcome.trace_id.size(), 32u);
}

TEST_F(PublishSubscribeTest, PublishedTaskGetsAnIdCreationTimeAndRequester) {
  std::promise<eventbus::TaskMessage> seen;
  subscriber_->Handle("echo", [&](TaskContext& ctx) -> HandlerResult {
    seen.set_value(ctx.task());
    return {};
  });
  StartAgents();
  TaskOutcome outcome = Run({.task_type = "echo"});
  ASSERT_TRUE(outcome.completed()) << outcome.error;
  const eventbus::TaskMessage task = seen.get_future().get();
  EXPECT_EQ(task.task_id(), outcome.task_id);
  EXPECT_EQ(task.task_id().rfind("task_", 0), 0u);
  EXPECT_GT(task.created_at().seconds(), 0);
  EXPECT_EQ(task.requester_agent_id(), "asker");
  EXPECT_EQ(task.priority(), eventbus::PRIORITY_MEDIUM);
}

TEST_F(PublishSubscribeTest, GivenTaskIdIsKept) {
  subscriber_->Handle("echo", [](TaskContext&) -> HandlerResult { return {}; });
  StartAgents();
  TaskOutcome outcome = Run({.task_type = "echo", .task_id = "my-own-id"});
  EXPECT_TRUE(outcome.completed()) << outcome.error;
  EXPECT_EQ(outcome.task_id, "my-own-id");
}

TEST_F(PublishSubscribeTest, HandlerFailureBecomesFailedResult) {
  subscriber_->Handle("divide", [](TaskContext& ctx) -> HandlerResult {
    if (ctx.GetNumber("b") == 0.0) return HandlerResult::Failure("division by zero", "math_error");
    return MakeStruct({{"result", *ctx.GetNumber("a") / *ctx.GetNumber("b")}});
  });
  StartAgents();
  TaskOutcome outcome =
      Run({.task_type = "divide", .parameters = MakeStruct({{"a", 1}, {"b", 0}})});
  EXPECT_EQ(outcome.kind, TaskOutcome::Kind::kResult);
  EXPECT_EQ(outcome.result.status(), eventbus::TASK_STATUS_FAILED);
  EXPECT_EQ(outcome.result.error_message(), "division by zero");
  EXPECT_EQ(outcome.error, "division by zero");
}

TEST_F(PublishSubscribeTest, HandlerExceptionBecomesFailedResult) {
  subscriber_->Handle("explode",
                      [](TaskContext&) -> HandlerResult { throw std::runtime_error("boom"); });
  StartAgents();
  TaskOutcome outcome = Run({.task_type = "explode"});
  EXPECT_EQ(outcome.result.status(), eventbus::TASK_STATUS_FAILED);
  EXPECT_EQ(outcome.result.error_message(), "boom");
}

TEST_F(PublishSubscribeTest, UnknownTaskTypeFailsWithItsName) {
  StartAgents();
  TaskOutcome outcome = Run({.task_type = "no_such_type"});
  EXPECT_EQ(outcome.result.status(), eventbus::TASK_STATUS_FAILED);
  EXPECT_EQ(outcome.result.error_message(), "unknown task type: no_such_type");
}

TEST_F(PublishSubscribeTest, ProgressReachesTheRequesterWithTraceHeaders) {
  subscriber_->Handle("slow", [](TaskContext& ctx) -> HandlerResult {
    for (int p : {25, 50, 100}) ctx.ReportProgress(p, "step " + std::to_string(p));
    return {};
  });
  StartAgents();
  std::mutex mu;
  std::vector<eventbus::TaskProgress> updates;
  TaskOutcome outcome = Run({.task_type = "slow"}, [&](const eventbus::TaskProgress& p) {
    std::lock_guard lock(mu);
    updates.push_back(p);
  });
  ASSERT_TRUE(outcome.completed()) << outcome.error;
  // Progress and results travel on separate streams: the last update may
  // arrive just after the result.
  ASSERT_TRUE(WaitFor([&] {
    std::lock_guard lock(mu);
    return updates.size() >= 3;
  }));
  std::lock_guard lock(mu);
  EXPECT_EQ(updates[0].progress_percentage(), 25);
  EXPECT_EQ(updates[1].progress_percentage(), 50);
  EXPECT_EQ(updates[2].progress_percentage(), 100);
  EXPECT_EQ(updates[2].progress_message(), "step 100");
  EXPECT_EQ(updates[0].status(), eventbus::TASK_STATUS_IN_PROGRESS);
  EXPECT_EQ(updates[0].executor_agent_id(), "worker");
  const auto& headers = updates[0].progress_data().fields().at("trace_headers").struct_value();
  const std::string traceparent = headers.fields().at("traceparent").string_value();
  EXPECT_NE(traceparent.find(outcome.trace_id), std::string::npos) << traceparent;
}

TEST_F(PublishSubscribeTest, CallbackFormDeliversTheOutcomeOnce) {
  subscriber_->Handle("echo", [](TaskContext&) -> HandlerResult { return {}; });
  StartAgents();
  std::atomic<int> calls{0};
  std::promise<TaskOutcome> got;
  publisher_->PublishAsync({.task_type = "echo", .responder_agent_id = "worker"},
                           [&](const TaskOutcome& o) {
                             if (calls.fetch_add(1) == 0) got.set_value(o);
                           });
  auto future = got.get_future();
  ASSERT_EQ(future.wait_for(kWait), std::future_status::ready);
  EXPECT_TRUE(future.get().completed());
  EXPECT_EQ(publisher_->waiting(), 0u);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(PublishSubscribeTest, ResultTimesOutWhenNoAgentAnswers) {
  StartAgents();
  TaskOutcome outcome = Run({.task_type = "echo",
                             .responder_agent_id = "agent_that_never_comes",
                             .result_timeout = 100ms});
  EXPECT_EQ(outcome.kind, TaskOutcome::Kind::kTimedOut);
  EXPECT_FALSE(outcome.completed());
  EXPECT_EQ(publisher_->waiting(), 0u);
}

TEST_F(PublishSubscribeTest, InvalidTaskIsRefusedWithoutRetrying) {
  StartAgents();
  TaskOutcome outcome = Run({.task_type = "", .responder_agent_id = "worker"});
  EXPECT_EQ(outcome.kind, TaskOutcome::Kind::kPublishFailed);
  EXPECT_NE(outcome.error.find("INVALID_ARGUMENT"), std::string::npos) << outcome.error;
}

TEST_F(PublishSubscribeTest, PublishingAfterStopFailsAtOnce) {
  StartAgents();
  publisher_->Stop();
  TaskOutcome outcome = Run({.task_type = "echo"});
  EXPECT_EQ(outcome.kind, TaskOutcome::Kind::kPublishFailed);
  EXPECT_EQ(publisher_->waiting(), 0u);
}

TEST_F(PublishSubscribeTest, ResultStillWaitedForIsAbandonedOnStop) {
  StartAgents();
  auto future = publisher_->Publish({.task_type = "echo", .responder_agent_id = "absent_agent"});
  publisher_->Stop();
  ASSERT_EQ(future.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(future.get().kind, TaskOutcome::Kind::kAbandoned);
}

TEST_F(PublishSubscribeTest, NoMoreHandlersRunAtOnceThanConfigured) {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  subscriber_->Handle("work", [&](TaskContext&) -> HandlerResult {
    const int now = running.fetch_add(1) + 1;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(20ms);
    running.fetch_sub(1);
    return {};
  });
  StartAgents();
  std::vector<std::future<TaskOutcome>> futures;
  for (int i = 0; i < 8; ++i) {
    futures.push_back(publisher_->Publish({.task_type = "work", .responder_agent_id = "worker"}));
  }
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
    EXPECT_TRUE(f.get().completed());
  }
  EXPECT_LE(peak.load(), 2);
  EXPECT_GE(peak.load(), 1);
}

TEST_F(PublishSubscribeTest, StopFinishesTasksAlreadyReceived) {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  subscriber_->Handle("long", [&](TaskContext& ctx) -> HandlerResult {
    entered.set_value();
    released.wait();
    return MakeStruct({{"stopping_seen", ctx.stopping()}});
  });
  StartAgents();
  auto future = publisher_->Publish({.task_type = "long", .responder_agent_id = "worker"});
  entered.get_future().wait();
  std::thread stopper([&] { EXPECT_TRUE(subscriber_->Stop()); });
  // Stop() is now waiting for the handler; let it finish.
  ASSERT_TRUE(WaitFor([&] { return !subscriber_->IsReady(); }));
  release.set_value();
  stopper.join();
  ASSERT_EQ(future.wait_for(kWait), std::future_status::ready);
  TaskOutcome outcome = future.get();
  EXPECT_TRUE(outcome.completed()) << outcome.error;
  EXPECT_EQ(GetBool(outcome.result.result(), "stopping_seen"), true);
}

TEST_F(PublishSubscribeTest, ReadinessFollowsTheStreams) {
  EXPECT_FALSE(subscriber_->IsReady());
  StartAgents();
  EXPECT_TRUE(WaitFor([&] { return subscriber_->IsReady() && publisher_->IsReady(); }));
  subscriber_->Stop();
  EXPECT_FALSE(subscriber_->IsReady());
}

}  // namespace
}  // namespace agenthub::client
