// At-least-once delivery on the routing core alone (docs/explanation/
// delivery.md): leases, redelivery, dead letters, settlement by the first
// result, and results that wait for their requester. Time is passed in, so
// no test sleeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include "broker/routing/local_router.h"

namespace agenthub::broker {
namespace {

using namespace std::chrono_literals;
using telemetry::SteadyClock;

class PlainHook : public RouteHook {
 public:
  RoutedTaskPtr BeginRoute(const TaskPtr& task, std::string_view) override {
    auto routed = std::make_shared<RoutedTask>();
    routed->message = task;
    return routed;
  }
};

class Sink : public TaskSink {
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

class Updates : public UpdateSink {
 public:
  void DeliverResult(const ResultPtr& r) override { results.push_back(r); }
  void DeliverProgress(const ProgressPtr&) override {}
  std::vector<ResultPtr> results;
};

class Hooks : public DeliveryHooks {
 public:
  void BeginAttempt(RoutedTask& task, eventbus::TaskMessage&, AttemptEnd previous) override {
    attempts.emplace_back(task.attempt, previous);
  }
  void OnDeadLettered(const RoutedTaskPtr& task, const std::string& reason) override {
    dead.emplace_back(task->message->task_id(), reason);
  }
  std::vector<std::pair<uint32_t, AttemptEnd>> attempts;
  std::vector<std::pair<std::string, std::string>> dead;
};

TaskPtr Task(std::string id, std::string responder = "w", std::string requester = "pub") {
  auto t = std::make_shared<eventbus::TaskMessage>();
  t->set_task_id(std::move(id));
  t->set_task_type("work");
  t->set_responder_agent_id(std::move(responder));
  t->set_requester_agent_id(std::move(requester));
  return t;
}

ResultPtr Result(std::string task_id, std::string executor = "w",
                 eventbus::TaskStatus status = eventbus::TASK_STATUS_COMPLETED) {
  auto r = std::make_shared<eventbus::TaskResult>();
  r->set_task_id(std::move(task_id));
  r->set_executor_agent_id(std::move(executor));
  r->set_status(status);
  return r;
}

ProgressPtr Progress(std::string task_id, std::string executor = "w") {
  auto p = std::make_shared<eventbus::TaskProgress>();
  p->set_task_id(std::move(task_id));
  p->set_executor_agent_id(std::move(executor));
  p->set_status(eventbus::TASK_STATUS_IN_PROGRESS);
  return p;
}

double AttemptOf(const RoutedTaskPtr& task) {
  const auto& fields = task->message->metadata().fields();
  auto it = fields.find(kDeliveryAttemptKey);
  return it == fields.end() ? 0 : it->second.number_value();
}

RouterLimits Limits() {
  RouterLimits limits;
  limits.ack_wait = 30s;
  limits.max_deliveries = 3;
  return limits;
}

struct Fixture {
  explicit Fixture(RouterLimits limits = Limits()) : router(limits) {
    router.SetDeliveryHooks(hooks);
  }
  SubscriptionId Subscribe(std::shared_ptr<Sink> sink, size_t window = 8,
                           const std::string& agent = "w") {
    auto outcome = router.SubscribeTasks({agent, {}, sink, window});
    EXPECT_EQ(outcome.status, SubscribeStatus::kOk);
    return outcome.id;
  }
  void Publish(TaskPtr task) {
    ASSERT_EQ(router.PublishTask(task, hook).status, PublishStatus::kAccepted);
  }
  // Every delivery's write finished.
  void WriteAll(SubscriptionId id, Sink& sink) {
    std::vector<RoutedTaskPtr> delivered;
    {
      std::lock_guard lock(sink.mu);
      delivered = sink.delivered;
    }
    for (auto& t : delivered) router.OnTaskWritten(id, t, true);
  }
  static SteadyClock::time_point After(std::chrono::milliseconds d) {
    return SteadyClock::now() + d;
  }
  LocalRouter router;
  PlainHook hook;
  std::shared_ptr<Hooks> hooks = std::make_shared<Hooks>();
};

TEST(LocalRouterDelivery, AWrittenTaskStaysLeasedUntilItsResultSettlesIt) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink);
  f.Publish(Task("t1"));
  f.WriteAll(id, *sink);
  EXPECT_EQ(sink->delivered[0]->state, RouteState::kInFlight);
  EXPECT_EQ(f.router.stats().in_flight, 1u);
  EXPECT_EQ(f.router.PublishResult(Result("t1")).ack, AckStatus::kOk);
  EXPECT_EQ(sink->delivered[0]->state, RouteState::kDelivered);
  EXPECT_EQ(f.router.stats().in_flight, 0u);
}

TEST(LocalRouterDelivery, TheWindowCountsUnsettledTasksNotFinishedWrites) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink, 2);
  for (int i = 0; i < 5; ++i) f.Publish(Task("t" + std::to_string(i)));
  f.WriteAll(id, *sink);
  EXPECT_EQ(sink->Ids(), (std::vector<std::string>{"t0", "t1"})) << "fed beyond its window";
  f.router.PublishResult(Result("t0"));
  EXPECT_EQ(sink->Ids(), (std::vector<std::string>{"t0", "t1", "t2"}));
  EXPECT_EQ(f.router.stats().queued, 2u);
}

TEST(LocalRouterDelivery, AnExpiredLeaseRedeliversWithTheNextAttemptToAnotherStream) {
  Fixture f;
  auto first = std::make_shared<Sink>();
  auto second = std::make_shared<Sink>();
  SubscriptionId id1 = f.Subscribe(first, 1);
  f.Publish(Task("t1"));
  ASSERT_EQ(first->Ids(), std::vector<std::string>{"t1"});
  EXPECT_EQ(first->delivered[0]->attempt, 1u);
  f.WriteAll(id1, *first);
  SubscriptionId id2 = f.Subscribe(second, 1);
  f.router.ExpireLeases(f.After(1s));
  EXPECT_TRUE(second->Ids().empty()) << "redelivered before ack_wait";
  f.router.ExpireLeases(f.After(31s));
  ASSERT_EQ(second->Ids(), std::vector<std::string>{"t1"});
  EXPECT_EQ(first->Ids().size(), 1u) << "the stream that let it expire was preferred";
  EXPECT_EQ(second->delivered[0]->attempt, 2u);
  EXPECT_EQ(AttemptOf(second->delivered[0]), 2.0);
  EXPECT_EQ(f.router.stats().redelivered_lease_expired, 1u);
  ASSERT_EQ(f.hooks->attempts.size(), 1u);
  EXPECT_EQ(f.hooks->attempts[0], std::make_pair(2u, AttemptEnd::kLeaseExpired));
  (void)id2;
}

TEST(LocalRouterDelivery, TheOnlyStreamGetsItsExpiredTaskBack) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink, 1);
  f.Publish(Task("t1"));
  f.WriteAll(id, *sink);
  f.router.ExpireLeases(f.After(31s));
  ASSERT_EQ(sink->Ids(), (std::vector<std::string>{"t1", "t1"}));
  EXPECT_EQ(sink->delivered[1]->attempt, 2u);
}

TEST(LocalRouterDelivery, ProgressFromTheHolderExtendsTheLease) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink, 1);
  f.Publish(Task("t1"));
  f.WriteAll(id, *sink);
  const auto first_lease = sink->delivered[0]->lease_until;
  f.router.PublishProgress(Progress("t1", "w"));
  EXPECT_GT(sink->delivered[0]->lease_until, first_lease);
  f.router.ExpireLeases(first_lease);  // the first lease would end here
  EXPECT_EQ(sink->Ids().size(), 1u);
  EXPECT_EQ(f.router.stats().requeued, 0u);
  EXPECT_EQ(f.router.Acknowledge("t1", "w", AckKind::kInProgress), AckStatus::kOk);
}

TEST(LocalRouterDelivery, ProgressFromAnotherAgentDoesNotExtendTheLease) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  f.Subscribe(sink, 1);
  f.Publish(Task("t1"));
  f.Publish(Task("b1", ""));
  const auto until = sink->delivered[0]->lease_until;
  f.router.PublishProgress(Progress("t1", "intruder"));
  f.router.PublishProgress(Progress("b1", "intruder"));
  EXPECT_EQ(sink->delivered[0]->lease_until, until);
}

TEST(LocalRouterDelivery, AnEndedStreamsLeasedTasksAreRedeliveredWrittenOrNot) {
  Fixture f;
  auto first = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(first, 4);
  f.Publish(Task("t1"));
  f.Publish(Task("t2"));
  f.router.OnTaskWritten(id, first->delivered[0], true);  // t1 written, t2 not
  f.router.Unsubscribe(id);
  auto second = std::make_shared<Sink>();
  f.Subscribe(second, 4);
  EXPECT_EQ(second->Ids(), (std::vector<std::string>{"t1", "t2"}));
  for (auto& t : second->delivered) EXPECT_EQ(t->attempt, 2u);
  EXPECT_EQ(f.router.stats().redelivered_stream_ended, 2u);
}

TEST(LocalRouterDelivery, AFailedWriteRedeliversAtOnce) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink, 1);
  f.Publish(Task("t1"));
  f.router.OnTaskWritten(id, sink->delivered[0], false);
  EXPECT_EQ(sink->Ids(), (std::vector<std::string>{"t1", "t1"}));
  EXPECT_EQ(sink->delivered[1]->attempt, 2u);
}

TEST(LocalRouterDelivery, AStreamThatStopsReadingIsFedNoMoreThanItsWindow) {
  Fixture f;
  auto hung = std::make_shared<Sink>();
  f.Subscribe(hung, 2);
  for (int i = 0; i < 6; ++i) f.Publish(Task("t" + std::to_string(i)));
  // No write ever finishes. The leases run out and the tasks are handed out
  // again, but they are still in the hung stream's pipe: its window stays
  // full.
  f.router.ExpireLeases(f.After(31s));
  f.router.ExpireLeases(f.After(62s));
  EXPECT_EQ(hung->Ids(), (std::vector<std::string>{"t0", "t1"}));
  auto healthy = std::make_shared<Sink>();
  f.Subscribe(healthy, 8);
  auto ids = healthy->Ids();
  EXPECT_EQ(ids.size(), 6u) << "every task, the expired ones included, went to the healthy stream";
}

TEST(LocalRouterDelivery, AWriteThatCompletedIntoAStuckStreamStillCountsAfterItsLease) {
  Fixture f;
  auto hung = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(hung, 2);
  for (int i = 0; i < 4; ++i) f.Publish(Task("t" + std::to_string(i)));
  // The transport took t0, t1's write is stuck behind it: the client is not
  // reading.
  f.router.OnTaskWritten(id, hung->delivered[0], true);
  f.router.ExpireLeases(f.After(31s));
  EXPECT_EQ(hung->Ids().size(), 2u) << "a stream that stopped reading was fed more";
  // It reads again: t1's write finishes, and the pipe is free.
  f.router.OnTaskWritten(id, hung->delivered[1], true);
  EXPECT_EQ(hung->Ids().size(), 4u);
}

TEST(LocalRouterDelivery, AConsumerThatNeverAnswersGetsItsTasksRedeliveredAfterTheLease) {
  Fixture f;
  auto silent = std::make_shared<Sink>();
  SubscriptionId silent_id = f.Subscribe(silent, 2);
  for (int i = 0; i < 2; ++i) f.Publish(Task("t" + std::to_string(i)));
  f.WriteAll(silent_id, *silent);
  auto worker = std::make_shared<Sink>();
  f.Subscribe(worker, 8);
  EXPECT_TRUE(worker->Ids().empty());
  f.router.ExpireLeases(f.After(31s));
  EXPECT_EQ(worker->Ids(), (std::vector<std::string>{"t0", "t1"}));
}

TEST(LocalRouterDelivery, TheLastAttemptDeadLettersAndReportsExhaustion) {
  Fixture f;  // max_deliveries = 3
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink, 1);
  f.Publish(Task("t1"));
  for (int round = 1; round <= 3; ++round) {
    f.WriteAll(id, *sink);
    f.router.ExpireLeases(f.After(std::chrono::milliseconds(31'000 * round)));
  }
  EXPECT_EQ(sink->Ids().size(), 3u);
  ASSERT_EQ(f.hooks->dead.size(), 1u);
  EXPECT_EQ(f.hooks->dead[0].first, "t1");
  EXPECT_NE(f.hooks->dead[0].second.find("delivery attempts exhausted"), std::string::npos);
  const auto letters = f.router.DeadLetters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].task_id, "t1");
  EXPECT_EQ(letters[0].attempts, 3u);
  EXPECT_EQ(letters[0].requester, "pub");
  RouterStats s = f.router.stats();
  EXPECT_EQ(s.dead_lettered, 1u);
  EXPECT_EQ(s.dead_letters, 1u);
  EXPECT_EQ(s.in_flight + s.queued, 0u);
}

TEST(LocalRouterDelivery, ALateResultForADeadLetteredTaskIsRefused) {
  RouterLimits limits = Limits();
  limits.max_deliveries = 1;
  Fixture f(limits);
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink, 1);
  f.Publish(Task("t1"));
  f.WriteAll(id, *sink);
  f.router.ExpireLeases(f.After(31s));
  ASSERT_EQ(f.hooks->dead.size(), 1u);
  f.router.PublishResult(Result("t1", "agenthub-broker", eventbus::TASK_STATUS_FAILED),
                         ResultOrigin::kBroker);
  EXPECT_EQ(f.router.PublishResult(Result("t1")).ack, AckStatus::kAlreadySettled);
}

TEST(LocalRouterDelivery, RedrivePutsADeadLetterBackWithAFreshBudget) {
  RouterLimits limits = Limits();
  limits.max_deliveries = 1;
  Fixture f(limits);
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink, 1);
  f.Publish(Task("t1"));
  f.WriteAll(id, *sink);
  f.router.ExpireLeases(f.After(31s));
  ASSERT_EQ(f.router.DeadLetters().size(), 1u);
  f.router.PublishResult(Result("t1", "agenthub-broker", eventbus::TASK_STATUS_FAILED),
                         ResultOrigin::kBroker);
  EXPECT_EQ(f.router.Redrive("nope"), RedriveStatus::kNotFound);
  EXPECT_EQ(f.router.Redrive("t1"), RedriveStatus::kOk);
  EXPECT_TRUE(f.router.DeadLetters().empty());
  ASSERT_EQ(sink->Ids(), (std::vector<std::string>{"t1", "t1"}));
  EXPECT_EQ(sink->delivered[1]->attempt, 2u);
  EXPECT_EQ(f.hooks->attempts.back(), std::make_pair(2u, AttemptEnd::kRedriven));
  EXPECT_EQ(f.router.PublishResult(Result("t1")).ack, AckStatus::kOk) << "redriven is unsettled";
  EXPECT_EQ(f.router.stats().redriven, 1u);
}

TEST(LocalRouterDelivery, TheFirstResultSettlesAndASecondIsRefusedAndCounted) {
  Fixture f;
  auto requester = std::make_shared<Updates>();
  f.router.SubscribeUpdates({UpdateKind::kResults, "pub", {}, requester});
  auto sink = std::make_shared<Sink>();
  f.Subscribe(sink);
  f.Publish(Task("t1"));
  EXPECT_EQ(f.router.PublishResult(Result("t1")).ack, AckStatus::kOk);
  const ResultOutcome second = f.router.PublishResult(Result("t1"));
  EXPECT_EQ(second.ack, AckStatus::kAlreadySettled);
  EXPECT_EQ(second.reached, 0u);
  EXPECT_EQ(requester->results.size(), 1u) << "a second final result was forwarded";
  EXPECT_EQ(f.router.stats().duplicate_results, 1u);
}

TEST(LocalRouterDelivery, ProgressAndNonFinalResultsDoNotSettle) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  f.Subscribe(sink);
  f.Publish(Task("t1"));
  f.router.PublishResult(Result("t1", "w", eventbus::TASK_STATUS_IN_PROGRESS));
  EXPECT_EQ(sink->delivered[0]->state, RouteState::kInFlight);
  EXPECT_EQ(f.router.PublishResult(Result("t1")).ack, AckStatus::kOk);
}

TEST(LocalRouterDelivery, AResultBeforeDeliverySettlesTheQueuedTask) {
  Fixture f;
  f.Publish(Task("t1", "absent"));
  EXPECT_EQ(f.router.PublishResult(Result("t1", "absent")).ack, AckStatus::kOk);
  EXPECT_EQ(f.router.stats().queued, 0u);
  auto sink = std::make_shared<Sink>();
  f.Subscribe(sink, 8, "absent");
  EXPECT_TRUE(sink->Ids().empty());
}

TEST(LocalRouterDelivery, BroadcastCopiesSettleOncePerAgent) {
  Fixture f;
  auto a = std::make_shared<Sink>();
  auto b = std::make_shared<Sink>();
  f.Subscribe(a, 8, "a");
  f.Subscribe(b, 8, "b");
  f.Publish(Task("b1", ""));
  EXPECT_EQ(f.router.PublishResult(Result("b1", "a")).ack, AckStatus::kOk);
  EXPECT_EQ(f.router.PublishResult(Result("b1", "b")).ack, AckStatus::kOk);
  EXPECT_EQ(f.router.PublishResult(Result("b1", "a")).ack, AckStatus::kAlreadySettled);
  EXPECT_EQ(f.router.stats().in_flight, 0u);
}

TEST(LocalRouterDelivery, NakRedeliversNowAndTermDeadLetters) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink, 2);
  f.Publish(Task("t1"));
  f.Publish(Task("t2"));
  f.WriteAll(id, *sink);
  EXPECT_EQ(f.router.Acknowledge("t1", "w", AckKind::kNak), AckStatus::kOk);
  EXPECT_EQ(f.router.Acknowledge("t2", "w", AckKind::kTerm), AckStatus::kOk);
  EXPECT_EQ(f.router.Acknowledge("t2", "w", AckKind::kNak), AckStatus::kNotHolder);
  EXPECT_EQ(f.router.Acknowledge("zz", "w", AckKind::kAck), AckStatus::kUnknownTask);
  EXPECT_EQ(sink->Ids(), (std::vector<std::string>{"t1", "t2", "t1"}));
  EXPECT_EQ(f.router.stats().redelivered_nak, 1u);
  ASSERT_EQ(f.hooks->dead.size(), 1u);
  EXPECT_EQ(f.hooks->dead[0].first, "t2");
}

TEST(LocalRouterDelivery, ResultsWaitForAnAbsentRequesterAndArriveWhenItSubscribes) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  f.Subscribe(sink);
  f.Publish(Task("t1", "w", "alice"));
  f.Publish(Task("t2", "w", "alice"));
  const ResultOutcome outcome = f.router.PublishResult(Result("t1"));
  EXPECT_TRUE(outcome.waiting);
  f.router.PublishResult(Result("t2"));
  EXPECT_EQ(f.router.stats().waiting_results, 2u);
  auto only_t2 = std::make_shared<Updates>();
  f.router.SubscribeUpdates({UpdateKind::kResults, "alice", {"t2"}, only_t2});
  ASSERT_EQ(only_t2->results.size(), 1u);
  EXPECT_EQ(only_t2->results[0]->task_id(), "t2");
  auto alice = std::make_shared<Updates>();
  f.router.SubscribeUpdates({UpdateKind::kResults, "alice", {}, alice});
  ASSERT_EQ(alice->results.size(), 1u);
  EXPECT_EQ(alice->results[0]->task_id(), "t1");
  EXPECT_EQ(f.router.stats().waiting_results, 0u);
}

TEST(LocalRouterDelivery, WaitingResultsExpireAfterTheTtl) {
  RouterLimits limits = Limits();
  limits.result_ttl = 1000ms;
  Fixture f(limits);
  f.Publish(Task("t1", "absent", "alice"));
  f.router.PublishResult(Result("t1", "absent"));
  f.router.ExpireLeases(f.After(500ms));
  EXPECT_EQ(f.router.stats().waiting_results, 1u);
  f.router.ExpireLeases(f.After(1500ms));
  EXPECT_EQ(f.router.stats().waiting_results, 0u);
  EXPECT_EQ(f.router.stats().waiting_results_expired, 1u);
  auto alice = std::make_shared<Updates>();
  f.router.SubscribeUpdates({UpdateKind::kResults, "alice", {}, alice});
  EXPECT_TRUE(alice->results.empty());
}

TEST(LocalRouterDelivery, WaitingResultsAreBoundedOldestFirst) {
  RouterLimits limits = Limits();
  limits.max_waiting_results = 2;
  Fixture f(limits);
  for (int i = 0; i < 3; ++i) {
    f.Publish(Task("t" + std::to_string(i), "absent", "alice"));
    f.router.PublishResult(Result("t" + std::to_string(i), "absent"));
  }
  RouterStats s = f.router.stats();
  EXPECT_EQ(s.waiting_results, 2u);
  EXPECT_EQ(s.waiting_results_dropped, 1u);
  auto alice = std::make_shared<Updates>();
  f.router.SubscribeUpdates({UpdateKind::kResults, "alice", {}, alice});
  ASSERT_EQ(alice->results.size(), 2u);
  EXPECT_EQ(alice->results[0]->task_id(), "t1");
}

TEST(LocalRouterDelivery, CloseReturnsLeasedTasksAsWellAsQueuedOnes) {
  Fixture f;
  auto sink = std::make_shared<Sink>();
  SubscriptionId id = f.Subscribe(sink, 1);
  f.Publish(Task("leased"));
  f.Publish(Task("queued"));
  f.WriteAll(id, *sink);
  auto left = f.router.Close();
  std::vector<std::string> ids;
  for (auto& t : left) ids.push_back(t->message->task_id());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"leased", "queued"}));
  EXPECT_EQ(f.router.stats().in_flight, 0u);
}

}  // namespace
}  // namespace agenthub::broker
