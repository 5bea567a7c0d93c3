// The routing core: who is subscribed where, the per-agent queues, which
// agent asked for which task, and the delivery leases. The rules it keeps
// are in README.md ("The broker") and docs/explanation/delivery.md; where it
// sits in the broker, docs/explanation/architecture.md.
//
// The gRPC service calls only this interface. LocalRouter is the
// single-process implementation (the default, kept lean); a cluster
// implementation over NATS JetStream plugs in behind the same interface,
// which is why delivery is said in JetStream's terms: a task handed to a
// stream is leased for ack_wait; a final result acks it, progress from the
// holder is an in-progress ack (lease extended), a nak or the end of the
// stream or of the lease redelivers it (attempt + 1), a term or the last of
// max_deliveries attempts dead-letters it.
//
// Threading: every method is thread-safe. Sinks are called without any
// router lock held and must not call back into the router from inside
// Deliver*; they report completion later (OnTaskWritten) from their own
// threads. DeliveryHooks::BeginAttempt is the one callback made under the
// lock (redeliveries only).
#pragma once

#include <chrono>
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
// Router::OnTaskWritten when the write finished (ok) or failed. A finished
// write is not a delivery: the task stays leased until it is settled.
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
  // Tasks the stream may hold unsettled (leased, or handed over and not yet
  // written): JetStream's max_ack_pending.
  size_t window = 8;
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

// Long-lived observer of redeliveries (the service's tracing), set once
// before serving.
class DeliveryHooks {
 public:
  virtual ~DeliveryHooks() = default;
  // Called under the router lock when `task` goes out again as attempt
  // task.attempt: opens the attempt's span and injects it into `message`,
  // the copy that attempt delivers (its attempt key already set).
  virtual void BeginAttempt(RoutedTask& task, eventbus::TaskMessage& message,
                            AttemptEnd previous) = 0;
  // Called without the lock: the task will not be delivered again (attempts
  // exhausted, or termed); its requester must get a FAILED result. `task`
  // is a snapshot taken then (a redrive may change the original).
  virtual void OnDeadLettered(const RoutedTaskPtr& task, const std::string& reason) = 0;
};

// JetStream's acknowledgement kinds, for one delivery of a task.
enum class AckKind : uint8_t {
  kAck,         // settled (a final result)
  kInProgress,  // still working: the lease runs ack_wait from now
  kNak,         // give it back: redelivered now, attempt + 1
  kTerm,        // never redeliver: dead-lettered
};

enum class AckStatus : uint8_t {
  kOk,
  kUnknownTask,     // not (or no longer) known to the broker
  kNotHolder,       // the task is not leased to that agent
  kAlreadySettled,  // a final result was accepted before
};

// Where a result comes from: an executor (acks the task; the first final
// one settles it) or the broker itself (a FAILED result for a task that
// expired, was dead-lettered or outlived a shutdown: forwarded as is).
enum class ResultOrigin : uint8_t { kExecutor, kBroker };

struct ResultOutcome {
  AckStatus ack = AckStatus::kOk;  // kAlreadySettled: refused, not forwarded
  size_t reached = 0;              // sinks the result went to
  bool waiting = false;            // kept for a requester that is not connected
};

struct DeadLetter {
  std::string task_id;
  std::string task_type;
  std::string agent_id;
  std::string requester;
  uint32_t attempts = 0;
  std::string reason;
  telemetry::Timestamp at;
};

enum class RedriveStatus : uint8_t { kOk, kNotFound, kShuttingDown };

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
  // Delivery leases (JetStream's ack_wait and max_deliver).
  std::chrono::milliseconds ack_wait{30'000};
  uint32_t max_deliveries = 5;
  size_t max_dead_letters = 10'000;  // the oldest go first beyond it
  // Results for a requester that is not connected, kept until it subscribes.
  size_t max_waiting_results = 100'000;
  std::chrono::milliseconds result_ttl{3'600'000};
};

struct RouterStats {
  size_t task_subscriptions = 0;
  size_t result_subscriptions = 0;
  size_t progress_subscriptions = 0;
  size_t queued = 0;            // waiting in agent queues and unclaimed
  size_t in_flight = 0;         // leased to streams, not yet settled
  size_t max_agent_queue = 0;   // the deepest agent queue now
  size_t connected_agents = 0;  // agents with at least one task stream
  size_t deliverable = 0;       // queued for agents that are connected
  // Results accepted and not yet handed to their subscribers' streams: a
  // drain is not over while one is on its way to the requester.
  size_t results_forwarding = 0;
  uint64_t expired = 0;
  uint64_t requeued = 0;  // redeliveries of every reason
  uint64_t redelivered_stream_ended = 0;
  uint64_t redelivered_lease_expired = 0;
  uint64_t redelivered_nak = 0;
  uint64_t dead_lettered = 0;
  uint64_t redriven = 0;
  size_t dead_letters = 0;  // in the list now
  uint64_t duplicate_results = 0;
  size_t waiting_results = 0;
  uint64_t waiting_results_expired = 0;
  uint64_t waiting_results_dropped = 0;  // beyond max_waiting_results
  uint64_t updates_without_requester = 0;
};

class Router {
 public:
  virtual ~Router() = default;

  virtual void SetDeliveryHooks(std::shared_ptr<DeliveryHooks> hooks) = 0;

  virtual PublishOutcome PublishTask(const TaskPtr& task, RouteHook& hook) = 0;
  // A final result from an executor acks its task (the first settles it; a
  // later one is refused with kAlreadySettled and not forwarded). Results
  // go to the requester's streams and monitoring, or wait for a requester
  // that is not connected.
  virtual ResultOutcome PublishResult(const ResultPtr& result,
                                      ResultOrigin origin = ResultOrigin::kExecutor) = 0;
  // Progress from the agent holding the lease is an in-progress ack.
  // Returns how many sinks the update reached.
  virtual size_t PublishProgress(const ProgressPtr& progress) = 0;
  // An explicit acknowledgement of the delivery of `task_id` to `agent_id`.
  virtual AckStatus Acknowledge(std::string_view task_id, std::string_view agent_id,
                                AckKind kind) = 0;

  virtual SubscribeOutcome SubscribeTasks(TaskSubscription subscription) = 0;
  virtual SubscribeOutcome SubscribeUpdates(UpdateSubscription subscription) = 0;
  // A stream ended: every task leased to it is redelivered (stream_ended).
  // Idempotent.
  virtual void Unsubscribe(SubscriptionId id) = 0;
  // The stream finished writing `task` (ok: it stays leased) or could not
  // (redelivered).
  virtual void OnTaskWritten(SubscriptionId id, const RoutedTaskPtr& task, bool ok) = 0;

  // Removes queued tasks whose deadline passed and returns them; the caller
  // reports each as a FAILED result to its requester.
  virtual std::vector<RoutedTaskPtr> ExpireDeadlines(telemetry::Timestamp now) = 0;
  // Redelivers tasks whose lease ran out (lease_expired) and forgets waiting
  // results older than result_ttl.
  virtual void ExpireLeases(telemetry::SteadyClock::time_point now) = 0;

  // The dead-letter list, oldest first.
  virtual std::vector<DeadLetter> DeadLetters() const = 0;
  // Puts a dead-lettered task back in its agent's queue with a fresh budget
  // of max_deliveries attempts.
  virtual RedriveStatus Redrive(std::string_view task_id) = 0;

  // Graceful shutdown, step 1: new publishes and subscriptions are refused
  // (kShuttingDown) while queued tasks keep flowing to connected streams.
  virtual void BeginShutdown() = 0;
  // Step 2: returns every task still queued or leased (unsettled) so its
  // requester can be told; the router holds no task afterwards (update
  // streams stay registered so those results still reach them).
  virtual std::vector<RoutedTaskPtr> Close() = 0;

  virtual RouterStats stats() const = 0;
};

}  // namespace agenthub::broker
