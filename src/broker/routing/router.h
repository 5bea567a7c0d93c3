// The routing core: who is subscribed where, the per-agent queues, and which
// agent asked for which task. The rules it keeps are in README.md ("The
// broker"); where it sits in the broker, docs/explanation/architecture.md.
//
// The gRPC service calls only this interface. LocalRouter is the
// single-process implementation (the default, kept lean); a cluster
// implementation over NATS JetStream plugs in behind the same interface.
//
// Threading: every method is thread-safe. Sinks are called without any
// router lock held and must not call back into the router from inside
// Deliver*; they report completion later (OnTaskWritten) from their own
// threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/routing/routed_task.h"

namespace agenthub::broker {

using SubscriptionId = uint64_t;

// A task stream of one agent. Deliver hands over one task; the stream calls
// Router::OnTaskWritten when the write finished (ok) or failed.
class TaskSink {
 public:
  virtual ~TaskSink() = default;
  virtual void Deliver(RoutedTaskPtr task) = 0;
};

// A result or progress stream. Deliveries are fire-and-forget: the sink
// buffers (bounded) and drops with a count when its client is too slow.
class UpdateSink {
 public:
  virtual ~UpdateSink() = default;
  virtual void DeliverResult(const ResultPtr& result) = 0;
  virtual void DeliverProgress(const ProgressPtr& progress) = 0;
};

struct TaskSubscription {
  std::string agent_id;
  std::vector<std::string> task_types;  // empty: every type
  std::shared_ptr<TaskSink> sink;
  size_t window = 8;  // tasks handed to the stream and not yet written
};

enum class UpdateKind { kResults, kProgress };

struct UpdateSubscription {
  UpdateKind kind = UpdateKind::kResults;
  std::string requester_id;           // empty: every requester (monitoring)
  std::vector<std::string> task_ids;  // empty: every task of the requester
  std::shared_ptr<UpdateSink> sink;
};

// Makes the per-target copy of a published task: opens the route span and
// injects it into the message, so the next hop is the span's child.
class RouteHook {
 public:
  virtual ~RouteHook() = default;
  virtual RoutedTaskPtr BeginRoute(const TaskPtr& task, std::string_view target_agent) = 0;
};

enum class PublishStatus { kAccepted, kQueueFull, kShuttingDown };

struct PublishOutcome {
  PublishStatus status = PublishStatus::kAccepted;
  std::string error;                    // why, when not accepted
  std::vector<std::string> targets;     // agents the task is routed to
  bool waiting_for_subscriber = false;  // broadcast with no matching agent yet
};

enum class SubscribeStatus { kOk, kTooManySubscriptions, kShuttingDown };

struct SubscribeOutcome {
  SubscribeStatus status = SubscribeStatus::kOk;
  SubscriptionId id = 0;
  std::string error;
};

struct RouterLimits {
  size_t max_queue_per_agent = 10'000;  // queued + in flight, per agent
  size_t max_queued_total = 1'000'000;  // across all agents
  size_t max_unclaimed = 10'000;        // broadcasts waiting for any matching agent
  size_t max_subscriptions = 20'000;    // streams of all kinds
  size_t max_requesters = 1'000'000;    // task -> requester entries
  std::chrono::seconds requester_ttl{3600};
};

struct RouterStats {
  size_t task_subscriptions = 0;
  size_t result_subscriptions = 0;
  size_t progress_subscriptions = 0;
  size_t queued = 0;            // waiting in agent queues and unclaimed
  size_t in_flight = 0;         // handed to streams, write not finished
  size_t max_agent_queue = 0;   // the deepest agent queue now
  size_t connected_agents = 0;  // agents with at least one task stream
  size_t deliverable = 0;       // queued for agents that are connected
  uint64_t expired = 0;
  uint64_t requeued = 0;
  uint64_t updates_without_requester = 0;
};

class Router {
 public:
  virtual ~Router() = default;

  virtual PublishOutcome PublishTask(const TaskPtr& task, RouteHook& hook) = 0;
  // Returns how many sinks the update reached.
  virtual size_t PublishResult(const ResultPtr& result) = 0;
  virtual size_t PublishProgress(const ProgressPtr& progress) = 0;

  virtual SubscribeOutcome SubscribeTasks(TaskSubscription subscription) = 0;
  virtual SubscribeOutcome SubscribeUpdates(UpdateSubscription subscription) = 0;
  // A stream ended: tasks it had not finished writing go back to the front
  // of their agent's queue. Idempotent.
  virtual void Unsubscribe(SubscriptionId id) = 0;
  // The stream finished writing `task` (ok) or could not (the task is
  // queued again).
  virtual void OnTaskWritten(SubscriptionId id, const RoutedTaskPtr& task, bool ok) = 0;

  // Removes queued tasks whose deadline passed and returns them; the caller
  // reports each as a FAILED result to its requester.
  virtual std::vector<RoutedTaskPtr> ExpireDeadlines(telemetry::Timestamp now) = 0;
  // Graceful shutdown, step 1: new publishes and subscriptions are refused
  // (kShuttingDown) while queued tasks keep flowing to connected streams.
  virtual void BeginShutdown() = 0;
  // Step 2: returns every task still queued (not in flight) so it can be
  // counted and logged by task id; the router holds nothing afterwards.
  virtual std::vector<RoutedTaskPtr> Close() = 0;

  virtual RouterStats stats() const = 0;
};

}  // namespace agenthub::broker
