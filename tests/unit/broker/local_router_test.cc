// The routing rules of README.md ("The broker"), on the routing core alone. The
// sinks here stand in for gRPC streams; tests over real gRPC live with the
// service.
#include "broker/routing/local_router.h"

#include <gtest/gtest.h>

#include <mutex>

namespace agenthub::broker {
namespace {

class PlainHook : public RouteHook {
 public:
  RoutedTaskPtr BeginRoute(const TaskPtr& task, std::string_view) override {
    auto routed = std::make_shared<RoutedTask>();
    routed->message = task;
    return routed;
  }
};

class RecordingTaskSink : public TaskSink {
 public:
  void Deliver(RoutedTaskPtr task) override {
    std::lock_guard lock(mu);
    delivered.push_back(std::move(task));
  }
  std::vector<std::string> Ids() {
    std::lock_guard lock(mu);
    std::vector<std::string> ids;
    for (auto& t : delivered) ids.push_back(t->message->task_id());
    return ids;
  }
  std::mutex mu;
  std::vector<RoutedTaskPtr> delivered;
};

class RecordingUpdateSink : public UpdateSink {
 public:
  void DeliverResult(const ResultPtr& r) override { results.push_back(r->task_id()); }
  void DeliverProgress(const ProgressPtr& p) override { progress.push_back(p->task_id()); }
  std::vector<std::string> results;
  std::vector<std::string> progress;
};

TaskPtr Task(std::string id, std::string type, std::string responder = "",
             eventbus::Priority priority = eventbus::PRIORITY_MEDIUM,
             std::string requester = "publisher") {
  auto t = std::make_shared<eventbus::TaskMessage>();
  t->set_task_id(std::move(id));
  t->set_task_type(std::move(type));
  t->set_responder_agent_id(std::move(responder));
  t->set_requester_agent_id(std::move(requester));
  t->set_priority(priority);
  return t;
}

ResultPtr Result(std::string task_id) {
  auto r = std::make_shared<eventbus::TaskResult>();
  r->set_task_id(std::move(task_id));
  r->set_status(eventbus::TASK_STATUS_COMPLETED);
  return r;
}

struct Fixture {
  explicit Fixture(RouterLimits limits = {}) : router(limits) {}
  SubscriptionId Subscribe(const std::string& agent, std::shared_ptr<RecordingTaskSink> sink,
                           std::vector<std::string> types = {}, size_t window = 8) {
    auto outcome = router.SubscribeTasks({agent, std::move(types), sink, window});
    EXPECT_EQ(outcome.status, SubscribeStatus::kOk);
    return outcome.id;
  }
  SubscriptionId SubscribeUpdates(UpdateKind kind, const std::string& requester,
                                  std::shared_ptr<RecordingUpdateSink> sink,
                                  std::vector<std::string> task_ids = {}) {
    return router.SubscribeUpdates({kind, requester, std::move(task_ids), sink}).id;
  }
  PublishOutcome Publish(TaskPtr task) { return router.PublishTask(task, hook); }
  LocalRouter router;
  PlainHook hook;
};

TEST(LocalRouter, DirectedTaskGoesToExactlyOneStreamOfItsAgent) {
  Fixture f;
  auto a = std::make_shared<RecordingTaskSink>();
  auto b = std::make_shared<RecordingTaskSink>();
  auto other = std::make_shared<RecordingTaskSink>();
  f.Subscribe("worker", a);
  f.Subscribe("worker", b);
  f.Subscribe("someone_else", other);
  f.Publish(Task("t1", "greeting", "worker"));
  EXPECT_EQ(a->delivered.size() + b->delivered.size(), 1u);
  EXPECT_TRUE(other->delivered.empty());
}

TEST(LocalRouter, StreamsOfOneAgentShareTheWork) {
  Fixture f;
  auto a = std::make_shared<RecordingTaskSink>();
  auto b = std::make_shared<RecordingTaskSink>();
  f.Subscribe("worker", a, {}, 2);
  f.Subscribe("worker", b, {}, 2);
  for (int i = 0; i < 4; ++i) f.Publish(Task("t" + std::to_string(i), "x", "worker"));
  EXPECT_EQ(a->delivered.size(), 2u);
  EXPECT_EQ(b->delivered.size(), 2u);
}

TEST(LocalRouter, BroadcastReachesEveryMatchingAgentOnce) {
  Fixture f;
  auto greeter = std::make_shared<RecordingTaskSink>();
  auto greeter2 = std::make_shared<RecordingTaskSink>();
  auto everything = std::make_shared<RecordingTaskSink>();
  auto math = std::make_shared<RecordingTaskSink>();
  f.Subscribe("greeter", greeter, {"greeting"});
  f.Subscribe("greeter", greeter2, {"greeting"});
  f.Subscribe("generalist", everything);
  f.Subscribe("mathematician", math, {"math_calculation"});
  PublishOutcome outcome = f.Publish(Task("t1", "greeting"));
  EXPECT_EQ(outcome.targets.size(), 2u);
  EXPECT_EQ(greeter->delivered.size() + greeter2->delivered.size(), 1u);
  EXPECT_EQ(everything->delivered.size(), 1u);
  EXPECT_TRUE(math->delivered.empty());
}

TEST(LocalRouter, TaskForAnAbsentAgentWaitsUntilItSubscribes) {
  Fixture f;
  PublishOutcome outcome = f.Publish(Task("t1", "greeting", "late_agent"));
  EXPECT_EQ(outcome.status, PublishStatus::kAccepted);
  EXPECT_EQ(f.router.stats().queued, 1u);
  auto sink = std::make_shared<RecordingTaskSink>();
  f.Subscribe("late_agent", sink);
  EXPECT_EQ(sink->Ids(), std::vector<std::string>{"t1"});
  EXPECT_EQ(f.router.stats().queued, 0u);
}

TEST(LocalRouter, QueuedTasksLeaveByPriorityThenAge) {
  Fixture f;
  f.Publish(Task("low", "x", "w", eventbus::PRIORITY_LOW));
  f.Publish(Task("medium1", "x", "w", eventbus::PRIORITY_MEDIUM));
  f.Publish(Task("critical", "x", "w", eventbus::PRIORITY_CRITICAL));
  f.Publish(Task("medium2", "x", "w", eventbus::PRIORITY_MEDIUM));
  auto sink = std::make_shared<RecordingTaskSink>();
  f.Subscribe("w", sink);
  EXPECT_EQ(sink->Ids(), (std::vector<std::string>{"critical", "medium1", "medium2", "low"}));
}

TEST(LocalRouter, FullAgentQueueRefusesThePublish) {
  RouterLimits limits;
  limits.max_queue_per_agent = 2;
  Fixture f(limits);
  EXPECT_EQ(f.Publish(Task("t1", "x", "w")).status, PublishStatus::kAccepted);
  EXPECT_EQ(f.Publish(Task("t2", "x", "w")).status, PublishStatus::kAccepted);
  PublishOutcome third = f.Publish(Task("t3", "x", "w"));
  EXPECT_EQ(third.status, PublishStatus::kQueueFull);
  EXPECT_NE(third.error.find("agent w"), std::string::npos);
}

TEST(LocalRouter, ASlowStreamHoldsAtMostItsWindowAndTheRestStaysQueued) {
  Fixture f;
  auto slow = std::make_shared<RecordingTaskSink>();
  f.Subscribe("w", slow, {}, 2);
  for (int i = 0; i < 5; ++i) f.Publish(Task("t" + std::to_string(i), "x", "w"));
  EXPECT_EQ(slow->delivered.size(), 2u);
  RouterStats stats = f.router.stats();
  EXPECT_EQ(stats.in_flight, 2u);
  EXPECT_EQ(stats.queued, 3u);
}

TEST(LocalRouter, ASettledTaskOpensTheWindowForMore) {
  Fixture f;
  auto sink = std::make_shared<RecordingTaskSink>();
  SubscriptionId id = f.Subscribe("w", sink, {}, 1);
  f.Publish(Task("t1", "x", "w"));
  f.Publish(Task("t2", "x", "w"));
  ASSERT_EQ(sink->delivered.size(), 1u);
  f.router.OnTaskWritten(id, sink->delivered[0], true);
  EXPECT_EQ(sink->Ids(), std::vector<std::string>{"t1"}) << "a finished write is not a delivery";
  f.router.PublishResult(Result("t1"));
  EXPECT_EQ(sink->Ids(), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(sink->delivered[0]->state, RouteState::kDelivered);
}

TEST(LocalRouter, AFailedWriteQueuesTheTaskAgain) {
  Fixture f;
  auto sink = std::make_shared<RecordingTaskSink>();
  SubscriptionId id = f.Subscribe("w", sink, {}, 1);
  f.Publish(Task("t1", "x", "w"));
  f.router.OnTaskWritten(id, sink->delivered[0], false);
  EXPECT_EQ(sink->Ids(), (std::vector<std::string>{"t1", "t1"}));
  EXPECT_EQ(f.router.stats().requeued, 1u);
}

TEST(LocalRouter, TasksInFlightOnAnEndedStreamGoToAnotherStream) {
  Fixture f;
  auto first = std::make_shared<RecordingTaskSink>();
  auto second = std::make_shared<RecordingTaskSink>();
  SubscriptionId id = f.Subscribe("w", first, {}, 1);
  f.Publish(Task("t1", "x", "w"));
  ASSERT_EQ(first->delivered.size(), 1u);
  f.Subscribe("w", second, {}, 1);
  f.router.Unsubscribe(id);
  EXPECT_EQ(second->Ids(), std::vector<std::string>{"t1"});
}

TEST(LocalRouter, AWriteThatCompletedIntoAStreamThatEndedIsDeliveredAgain) {
  Fixture f;
  auto first = std::make_shared<RecordingTaskSink>();
  SubscriptionId id = f.Subscribe("w", first, {}, 1);
  f.Publish(Task("t1", "x", "w"));
  RoutedTaskPtr task = first->delivered[0];
  f.router.Unsubscribe(id);  // redelivered, agent has no stream now
  f.router.OnTaskWritten(id, task, true);
  auto second = std::make_shared<RecordingTaskSink>();
  f.Subscribe("w", second);
  ASSERT_EQ(second->Ids(), std::vector<std::string>{"t1"});
  EXPECT_EQ(second->delivered[0]->attempt, 2u);
  EXPECT_EQ(f.router.stats().queued, 0u);
}

TEST(LocalRouter, PassedDeadlinesExpireQueuedTasks) {
  Fixture f;
  auto task = std::make_shared<eventbus::TaskMessage>(*Task("t1", "x", "absent"));
  task->mutable_deadline()->set_seconds(1000);
  f.Publish(task);
  f.Publish(Task("no_deadline", "x", "absent"));
  EXPECT_TRUE(f.router.ExpireDeadlines(telemetry::FromUnixNanos(999'000'000'000)).empty());
  auto expired = f.router.ExpireDeadlines(telemetry::FromUnixNanos(1000'000'000'001));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0]->message->task_id(), "t1");
  EXPECT_EQ(expired[0]->state, RouteState::kExpired);
  EXPECT_EQ(f.router.stats().queued, 1u);
  EXPECT_EQ(f.router.stats().expired, 1u);
  auto sink = std::make_shared<RecordingTaskSink>();
  f.Subscribe("absent", sink);
  EXPECT_EQ(sink->Ids(), std::vector<std::string>{"no_deadline"});
}

TEST(LocalRouter, ABroadcastNobodyAcceptsWaitsForTheFirstMatchingAgent) {
  Fixture f;
  PublishOutcome outcome = f.Publish(Task("t1", "rare_type"));
  EXPECT_TRUE(outcome.waiting_for_subscriber);
  auto other = std::make_shared<RecordingTaskSink>();
  f.Subscribe("other", other, {"greeting"});
  EXPECT_TRUE(other->delivered.empty());
  auto taker = std::make_shared<RecordingTaskSink>();
  f.Subscribe("taker", taker, {"rare_type"});
  EXPECT_EQ(taker->Ids(), std::vector<std::string>{"t1"});
  EXPECT_EQ(taker->delivered[0]->agent_id, "taker");
}

TEST(LocalRouter, ResultsGoOnlyToTheRequesterAndToMonitoring) {
  Fixture f;
  f.Publish(Task("t1", "x", "w", eventbus::PRIORITY_MEDIUM, "alice"));
  auto alice = std::make_shared<RecordingUpdateSink>();
  auto bob = std::make_shared<RecordingUpdateSink>();
  auto monitor = std::make_shared<RecordingUpdateSink>();
  f.SubscribeUpdates(UpdateKind::kResults, "alice", alice);
  f.SubscribeUpdates(UpdateKind::kResults, "bob", bob);
  f.SubscribeUpdates(UpdateKind::kResults, "", monitor);
  EXPECT_EQ(f.router.PublishResult(Result("t1")).reached, 2u);
  EXPECT_EQ(alice->results, std::vector<std::string>{"t1"});
  EXPECT_TRUE(bob->results.empty());
  EXPECT_EQ(monitor->results, std::vector<std::string>{"t1"});
}

TEST(LocalRouter, TaskIdFilterNarrowsAResultSubscription) {
  Fixture f;
  f.Publish(Task("t1", "x", "w", eventbus::PRIORITY_MEDIUM, "alice"));
  f.Publish(Task("t2", "x", "w", eventbus::PRIORITY_MEDIUM, "alice"));
  auto only_t2 = std::make_shared<RecordingUpdateSink>();
  f.SubscribeUpdates(UpdateKind::kResults, "alice", only_t2, {"t2"});
  f.router.PublishResult(Result("t1"));
  f.router.PublishResult(Result("t2"));
  EXPECT_EQ(only_t2->results, std::vector<std::string>{"t2"});
}

TEST(LocalRouter, ProgressFollowsTheSameRulesAsResults) {
  Fixture f;
  f.Publish(Task("t1", "x", "w", eventbus::PRIORITY_MEDIUM, "alice"));
  auto alice = std::make_shared<RecordingUpdateSink>();
  auto alice_results = std::make_shared<RecordingUpdateSink>();
  auto bob = std::make_shared<RecordingUpdateSink>();
  f.SubscribeUpdates(UpdateKind::kProgress, "alice", alice);
  f.SubscribeUpdates(UpdateKind::kResults, "alice", alice_results);
  f.SubscribeUpdates(UpdateKind::kProgress, "bob", bob);
  auto progress = std::make_shared<eventbus::TaskProgress>();
  progress->set_task_id("t1");
  f.router.PublishProgress(progress);
  EXPECT_EQ(alice->progress, std::vector<std::string>{"t1"});
  EXPECT_TRUE(alice_results->progress.empty());
  EXPECT_TRUE(bob->progress.empty());
}

TEST(LocalRouter, AResultForAnUnknownTaskReachesOnlyMonitoring) {
  Fixture f;
  auto alice = std::make_shared<RecordingUpdateSink>();
  auto monitor = std::make_shared<RecordingUpdateSink>();
  f.SubscribeUpdates(UpdateKind::kResults, "alice", alice);
  f.SubscribeUpdates(UpdateKind::kResults, "", monitor);
  f.router.PublishResult(Result("never_published"));
  EXPECT_TRUE(alice->results.empty());
  EXPECT_EQ(monitor->results.size(), 1u);
  EXPECT_EQ(f.router.stats().updates_without_requester, 1u);
}

TEST(LocalRouter, SubscriptionsBeyondTheLimitAreRefused) {
  RouterLimits limits;
  limits.max_subscriptions = 1;
  Fixture f(limits);
  f.Subscribe("a", std::make_shared<RecordingTaskSink>());
  auto second = f.router.SubscribeTasks({"b", {}, std::make_shared<RecordingTaskSink>(), 8});
  EXPECT_EQ(second.status, SubscribeStatus::kTooManySubscriptions);
  EXPECT_FALSE(second.error.empty());
}

TEST(LocalRouter, ShutdownRefusesPublishesAndReturnsWhatIsStillQueued) {
  Fixture f;
  f.Publish(Task("t1", "x", "absent"));
  f.router.BeginShutdown();
  EXPECT_EQ(f.Publish(Task("t2", "x", "absent")).status, PublishStatus::kShuttingDown);
  auto left = f.router.Close();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]->message->task_id(), "t1");
  EXPECT_EQ(f.router.stats().queued, 0u);
}

TEST(LocalRouter, StatsCountStreamsAndConnectedAgents) {
  Fixture f;
  f.Subscribe("a", std::make_shared<RecordingTaskSink>());
  f.Subscribe("a", std::make_shared<RecordingTaskSink>());
  f.SubscribeUpdates(UpdateKind::kResults, "p", std::make_shared<RecordingUpdateSink>());
  f.SubscribeUpdates(UpdateKind::kProgress, "p", std::make_shared<RecordingUpdateSink>());
  f.Publish(Task("t1", "x", "offline"));
  RouterStats s = f.router.stats();
  EXPECT_EQ(s.task_subscriptions, 2u);
  EXPECT_EQ(s.result_subscriptions, 1u);
  EXPECT_EQ(s.progress_subscriptions, 1u);
  EXPECT_EQ(s.connected_agents, 1u);
  EXPECT_EQ(s.queued, 1u);
  EXPECT_EQ(s.deliverable, 0u);
  EXPECT_EQ(s.max_agent_queue, 1u);
}

}  // namespace
}  // namespace agenthub::broker
