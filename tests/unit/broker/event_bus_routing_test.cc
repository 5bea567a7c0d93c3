// Every routing rule of README.md ("The broker"), over real gRPC on loopback.
#include <gtest/gtest.h>

#include <set>

#include "support/broker_fixture.h"

namespace agenthub::broker::testing {
namespace {

using google::protobuf::util::TimeUtil;

std::set<std::string> Drain(StreamReader<eventbus::TaskMessage>& reader,
                            std::chrono::milliseconds quiet = 200ms) {
  std::set<std::string> ids;
  while (auto m = reader.Next(quiet)) ids.insert(m->task_id());
  return ids;
}

TEST(EventBusRouting, DirectedTasksGoToExactlyOneStreamOfTheAgentAndStreamsShareTheWork) {
  BrokerHarness broker;
  // They answer: a stream holds at most its window of unsettled tasks.
  auto a1 = broker.SubscribeTasks("worker", {}, false, /*answer=*/true);
  auto a2 = broker.SubscribeTasks("worker", {}, false, /*answer=*/true);
  auto other = broker.SubscribeTasks("other");
  constexpr int kTasks = 40;
  for (int i = 0; i < kTasks; ++i) {
    ASSERT_TRUE(broker.Publish(MakeTask("t" + std::to_string(i), "work", "pub", "worker")).ok());
  }
  ASSERT_TRUE(WaitFor([&] { return a1->received() + a2->received() == kTasks; }));
  const auto got1 = Drain(*a1);
  const auto got2 = Drain(*a2);
  EXPECT_EQ(got1.size() + got2.size(), static_cast<size_t>(kTasks));
  for (const auto& id : got1) EXPECT_EQ(got2.count(id), 0u) << id << " delivered twice";
  EXPECT_GT(got1.size(), 0u);
  EXPECT_GT(got2.size(), 0u);
  EXPECT_EQ(other->received(), 0u);
}

TEST(EventBusRouting, BroadcastReachesEveryAgentWhoseFilterMatchesOncePerAgent) {
  BrokerHarness broker;
  auto wants_t1 = broker.SubscribeTasks("x", {"t1"});
  auto wants_all = broker.SubscribeTasks("y");
  auto wants_all_2nd_stream = broker.SubscribeTasks("y");
  auto wants_t2 = broker.SubscribeTasks("z", {"t2"});
  ASSERT_TRUE(broker.Publish(MakeTask("b1", "t1", "pub")).ok());
  auto x = wants_t1->Next();
  ASSERT_TRUE(x.has_value());
  EXPECT_EQ(x->task_id(), "b1");
  ASSERT_TRUE(
      WaitFor([&] { return wants_all->received() + wants_all_2nd_stream->received() == 1; }));
  // A directed task to z is the barrier: once it arrives, b1 would have too.
  ASSERT_TRUE(broker.Publish(MakeTask("d1", "t2", "pub", "z")).ok());
  auto z = wants_t2->Next();
  ASSERT_TRUE(z.has_value());
  EXPECT_EQ(z->task_id(), "d1");
  EXPECT_EQ(wants_t2->received(), 1u);
  EXPECT_EQ(wants_all->received() + wants_all_2nd_stream->received(), 1u);
}

TEST(EventBusRouting, ResultsAndProgressGoOnlyToTheRequesterAndToMonitoring) {
  BrokerHarness broker;
  auto r1 = broker.SubscribeResults("r1");
  auto r2 = broker.SubscribeResults("r2");
  auto monitor = broker.SubscribeResults("");
  auto p1 = broker.SubscribeProgress("r1");
  auto p2 = broker.SubscribeProgress("r2");
  auto worker = broker.SubscribeTasks("w");
  ASSERT_TRUE(broker.Publish(MakeTask("task-r1", "work", "r1", "w")).ok());
  ASSERT_TRUE(broker.Publish(MakeTask("task-r2", "work", "r2", "w")).ok());
  ASSERT_TRUE(worker->Next().has_value());
  ASSERT_TRUE(worker->Next().has_value());

  ASSERT_TRUE(broker.PublishProgress(MakeProgress("task-r1", "w", 50)).ok());
  ASSERT_TRUE(broker.PublishResult(MakeResult("task-r1", "w")).ok());
  ASSERT_TRUE(broker.PublishProgress(MakeProgress("task-r2", "w", 25)).ok());
  ASSERT_TRUE(broker.PublishResult(MakeResult("task-r2", "w")).ok());

  auto result1 = r1->Next();
  ASSERT_TRUE(result1.has_value());
  EXPECT_EQ(result1->task_id(), "task-r1");
  EXPECT_EQ(result1->executor_agent_id(), "w");
  auto result2 = r2->Next();
  ASSERT_TRUE(result2.has_value());
  EXPECT_EQ(result2->task_id(), "task-r2");
  auto progress1 = p1->Next();
  ASSERT_TRUE(progress1.has_value());
  EXPECT_EQ(progress1->task_id(), "task-r1");
  EXPECT_EQ(progress1->progress_percentage(), 50);
  auto progress2 = p2->Next();
  ASSERT_TRUE(progress2.has_value());
  EXPECT_EQ(progress2->task_id(), "task-r2");

  ASSERT_TRUE(WaitFor([&] { return monitor->received() == 2; }));
  // r1's result went out before r2's on the same streams: nothing more comes.
  EXPECT_EQ(r1->received(), 1u);
  EXPECT_EQ(r2->received(), 1u);
  EXPECT_EQ(p1->received(), 1u);
  EXPECT_EQ(p2->received(), 1u);
}

TEST(EventBusRouting, TaskIdsNarrowAResultSubscription) {
  BrokerHarness broker;
  auto only_a = broker.SubscribeResults("req", {"a"});
  auto all_of_req = broker.SubscribeResults("req");
  ASSERT_TRUE(broker.Publish(MakeTask("a", "work", "req", "w")).ok());
  ASSERT_TRUE(broker.Publish(MakeTask("b", "work", "req", "w")).ok());
  ASSERT_TRUE(broker.PublishResult(MakeResult("b", "w")).ok());
  ASSERT_TRUE(broker.PublishResult(MakeResult("a", "w")).ok());
  auto first = only_a->Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->task_id(), "a");
  ASSERT_TRUE(WaitFor([&] { return all_of_req->received() == 2; }));
  EXPECT_EQ(only_a->received(), 1u);
}

TEST(EventBusRouting, ATaskForAnAbsentAgentWaitsUntilItSubscribes) {
  BrokerHarness broker;
  ASSERT_TRUE(broker.Publish(MakeTask("early", "work", "pub", "late-agent")).ok());
  EXPECT_EQ(broker.stats().queued, 1u);
  auto late = broker.SubscribeTasks("late-agent");
  auto m = late->Next();
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->task_id(), "early");
  EXPECT_EQ(m->task_type(), "work");
}

TEST(EventBusRouting, QueuedTasksLeaveByPriorityThenInPublishOrder) {
  BrokerHarness broker;
  const std::vector<std::pair<std::string, eventbus::Priority>> published = {
      {"low-1", eventbus::PRIORITY_LOW},           {"medium-1", eventbus::PRIORITY_MEDIUM},
      {"critical-1", eventbus::PRIORITY_CRITICAL}, {"low-2", eventbus::PRIORITY_LOW},
      {"high-1", eventbus::PRIORITY_HIGH},         {"medium-2", eventbus::PRIORITY_MEDIUM}};
  for (const auto& [id, priority] : published) {
    auto task = MakeTask(id, "work", "pub", "prio-agent");
    task.set_priority(priority);
    ASSERT_TRUE(broker.Publish(task).ok());
  }
  auto agent = broker.SubscribeTasks("prio-agent");
  std::vector<std::string> order;
  for (size_t i = 0; i < published.size(); ++i) {
    auto m = agent->Next();
    ASSERT_TRUE(m.has_value());
    order.push_back(m->task_id());
  }
  EXPECT_EQ(order, (std::vector<std::string>{"critical-1", "high-1", "medium-1", "medium-2",
                                             "low-1", "low-2"}));
}

TEST(EventBusRouting, OrderIsFifoPerPublisherForAConnectedAgent) {
  BrokerHarness broker;
  auto agent = broker.SubscribeTasks("fifo", {}, false, /*answer=*/true);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(broker.Publish(MakeTask("f" + std::to_string(i), "work", "pub", "fifo")).ok());
  }
  for (int i = 0; i < 100; ++i) {
    auto m = agent->Next();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->task_id(), "f" + std::to_string(i));
  }
}

TEST(EventBusRouting, APassedDeadlineSendsAFailedResultFromTheBrokerToTheRequester) {
  BrokerHarness broker;
  auto results = broker.SubscribeResults("req");
  auto task = MakeTask("too-late", "work", "req", "never-connects");
  *task.mutable_deadline() = TimeUtil::GetCurrentTime() + TimeUtil::MillisecondsToDuration(50);
  ASSERT_TRUE(broker.Publish(task).ok());
  auto result = results->Next();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->task_id(), "too-late");
  EXPECT_EQ(result->status(), eventbus::TASK_STATUS_FAILED);
  EXPECT_EQ(result->executor_agent_id(), "agenthub-broker");
  EXPECT_NE(result->error_message().find("deadline passed before delivery"), std::string::npos)
      << result->error_message();
  EXPECT_EQ(broker.stats().queued, 0u);
  EXPECT_EQ(broker.stats().expired, 1u);
}

TEST(EventBusRouting, AFullAgentQueueAnswersResourceExhausted) {
  BrokerOptions options;
  options.limits.max_queue_per_agent = 3;
  BrokerHarness broker(options);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(broker.Publish(MakeTask("q" + std::to_string(i), "work", "pub", "busy")).ok());
  }
  const grpc::Status refused = broker.Publish(MakeTask("q3", "work", "pub", "busy"));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("busy"), std::string::npos) << refused.error_message();
  // Another agent's queue is unaffected.
  EXPECT_TRUE(broker.Publish(MakeTask("q4", "work", "pub", "idle")).ok());
}

TEST(EventBusRouting, AStalledSubscriberBlocksNeitherPublishersNorOtherSubscribers) {
  BrokerOptions options;
  options.limits.max_queue_per_agent = 50;
  BrokerHarness broker(options);
  auto stalled = broker.SubscribeTasks("stalled", {}, /*paused=*/true, /*answer=*/true);
  auto healthy = broker.SubscribeTasks("healthy", {}, false, /*answer=*/true);
  // Big tasks fill the stalled stream's HTTP/2 window quickly; the rest wait
  // in its queue, and once that is full its publishes are refused.
  const std::string payload(256 * 1024, 'x');
  int accepted = 0;
  grpc::Status last;
  for (int i = 0; i < 200; ++i) {
    auto task = MakeTask("s" + std::to_string(i), "work", "pub", "stalled");
    (*task.mutable_parameters()->mutable_fields())["blob"].set_string_value(payload);
    last = broker.Publish(task);
    if (!last.ok()) break;
    ++accepted;
  }
  EXPECT_EQ(last.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_GE(accepted, 50);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(broker.Publish(MakeTask("h" + std::to_string(i), "work", "pub", "healthy")).ok());
  }
  for (int i = 0; i < 20; ++i) {
    auto m = healthy->Next();
    ASSERT_TRUE(m.has_value()) << "the healthy agent waited for the stalled one";
    EXPECT_EQ(m->task_id(), "h" + std::to_string(i));
  }
  // Once the stalled agent reads again, it gets everything that was accepted.
  stalled->Resume();
  ASSERT_TRUE(WaitFor([&] { return stalled->received() == static_cast<size_t>(accepted); }, 30s));
}

TEST(EventBusRouting, TasksLeasedToAClosedStreamGoToTheAgentsNextStream) {
  BrokerHarness broker;
  constexpr int kTasks = 6;
  {
    auto first = broker.SubscribeTasks("flaky", {}, /*paused=*/true);
    // 1 MiB tasks: the unread stream's flow-control window fills after the
    // first, so the others are still in flight or queued when it is cancelled.
    const std::string payload(1024 * 1024, 'y');
    for (int i = 0; i < kTasks; ++i) {
      auto task = MakeTask("r" + std::to_string(i), "work", "pub", "flaky");
      (*task.mutable_parameters()->mutable_fields())["blob"].set_string_value(payload);
      ASSERT_TRUE(broker.Publish(task).ok());
    }
  }  // the first stream is cancelled without reading anything
  ASSERT_TRUE(WaitFor([&] { return broker.stats().task_subscriptions == 0; }));
  const uint64_t requeued = broker.stats().requeued;
  EXPECT_GE(requeued, 1u);
  auto second = broker.SubscribeTasks("flaky", {}, false, /*answer=*/true);
  // A write that completed into the dead stream's socket is not a delivery:
  // every task the first stream held comes again, once.
  std::set<std::string> ids = Drain(*second, 2s);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kTasks));
  EXPECT_LE(ids.size(), requeued);
  EXPECT_EQ(second->received(), ids.size()) << "a task came twice";
  EXPECT_TRUE(WaitFor([&] { return broker.stats().queued + broker.stats().in_flight == 0; }));
}

TEST(EventBusRouting, ASubscriptionIsAcknowledgedWithInitialMetadataOnceRegistered) {
  BrokerHarness broker;
  // No polling of broker internals: the acknowledgement alone must be enough
  // for a result published right after it to arrive.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  eventbus::SubscribeToTaskResultsRequest request;
  request.set_requester_agent_id("acked");
  auto reader = broker.stub().SubscribeToTaskResults(&context, request);
  reader->WaitForInitialMetadata();
  ASSERT_TRUE(broker.Publish(MakeTask("ack-1", "work", "acked", "w")).ok());
  ASSERT_TRUE(broker.PublishResult(MakeResult("ack-1", "w")).ok());
  eventbus::TaskResult result;
  ASSERT_TRUE(reader->Read(&result)) << "no acknowledgement or no result before the deadline";
  EXPECT_EQ(result.task_id(), "ack-1");

  grpc::ClientContext task_context;
  task_context.set_deadline(std::chrono::system_clock::now() + 10s);
  eventbus::SubscribeToTasksRequest task_request;
  task_request.set_agent_id("acked-agent");
  auto tasks = broker.stub().SubscribeToTasks(&task_context, task_request);
  tasks->WaitForInitialMetadata();
  EXPECT_EQ(broker.stats().task_subscriptions, 1u);
  context.TryCancel();
  task_context.TryCancel();
}

}  // namespace
}  // namespace agenthub::broker::testing
