// LocalRouter: the single-process routing core. One mutex guards all
// routing state; sinks are called after it is released. Per agent: a
// priority queue and the agent's live task streams, each holding at most
// `window` unsettled tasks (leased, or handed over and not yet written), so
// a consumer that stops reading or never answers is fed no more than its
// window and its backlog stays in (and counts against) its agent's queue.
// Competing streams of one agent get work by free window.
//
// The path without redelivery costs one lock per publish, write and result,
// and no allocation beyond the task's own record: the lease lives in the
// RoutedTask, the holder's entry in a vector of at most `window`.
#pragma once

#include <atomic>
#include <deque>
#include <mutex>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "broker/routing/agent_queue.h"
#include "broker/routing/dead_letters.h"
#include "broker/routing/router.h"
#include "broker/routing/task_table.h"
#include "broker/routing/waiting_results.h"

namespace agenthub::broker {

class LocalRouter final : public Router {
 public:
  explicit LocalRouter(RouterLimits limits = {});
  ~LocalRouter() override;

  void SetDeliveryHooks(std::shared_ptr<DeliveryHooks> hooks) override;
  PublishOutcome PublishTask(const TaskPtr& task, RouteHook& hook) override;
  ResultOutcome PublishResult(const ResultPtr& result,
                              ResultOrigin origin = ResultOrigin::kExecutor) override;
  size_t PublishProgress(const ProgressPtr& progress) override;
  AckStatus Acknowledge(std::string_view task_id, std::string_view agent_id, AckKind kind) override;
  SubscribeOutcome SubscribeTasks(TaskSubscription subscription) override;
  SubscribeOutcome SubscribeUpdates(UpdateSubscription subscription) override;
  void Unsubscribe(SubscriptionId id) override;
  void OnTaskWritten(SubscriptionId id, const RoutedTaskPtr& task, bool ok) override;
  std::vector<RoutedTaskPtr> ExpireDeadlines(telemetry::Timestamp now) override;
  void ExpireLeases(telemetry::SteadyClock::time_point now) override;
  std::vector<DeadLetter> DeadLetters() const override;
  RedriveStatus Redrive(std::string_view task_id) override;
  void BeginShutdown() override;
  std::vector<RoutedTaskPtr> Close() override;
  RouterStats stats() const override;

 private:
  struct TaskStream {
    SubscriptionId id;
    std::string agent_id;
    std::unordered_set<std::string> task_types;  // empty: all
    std::shared_ptr<TaskSink> sink;
    size_t window;
    // Tasks this stream holds against its window: leased to it, or handed
    // over for an attempt that ended meanwhile (a lease that ran out) while
    // the stream was not flowing: still in its pipe, they keep a stream that
    // stopped reading from being fed more.
    struct Held {
      RoutedTaskPtr task;
      uint32_t attempt;
      bool written;
    };
    std::vector<Held> held;
    size_t free() const { return held.size() < window ? window - held.size() : 0; }
    // No write is pending: the client reads what it is sent.
    bool Flowing() const {
      for (const Held& h : held) {
        if (!h.written) return false;
      }
      return true;
    }
    // Entries of attempts that ended, whose write finished: once the stream
    // flows again they no longer occupy its pipe.
    void DropWrittenGhosts() {
      std::erase_if(held, [this](const Held& h) { return h.written && !IsLive(h); });
    }
    bool IsLive(const Held& h) const {
      return h.task->state == RouteState::kInFlight && h.task->leased_to == id &&
             h.task->attempt == h.attempt;
    }
    bool Accepts(const std::string& type) const {
      return task_types.empty() || task_types.count(type) > 0;
    }
  };
  struct Agent {
    AgentQueue queue;
    std::vector<SubscriptionId> streams;
    size_t next_stream = 0;  // where the round-robin tie-break starts
    size_t in_flight = 0;    // copies leased to its streams
  };
  struct UpdateStream {
    UpdateSubscription subscription;
    std::unordered_set<std::string> task_ids;
  };
  using Delivery = std::pair<std::shared_ptr<TaskSink>, RoutedTaskPtr>;
  // What to do once the lock is released.
  struct After {
    std::vector<Delivery> deliveries;
    std::vector<std::pair<RoutedTaskPtr, std::string>> dead_lettered;
    std::vector<std::pair<std::shared_ptr<UpdateSink>, ResultPtr>> results;
  };
  struct DeadlineLater {
    bool operator()(const RoutedTaskPtr& a, const RoutedTaskPtr& b) const {
      return *a->deadline > *b->deadline;
    }
  };

  // All private helpers run with mutex_ held.
  void Enqueue(Agent& agent, RoutedTaskPtr task);
  void Pump(Agent& agent, std::vector<Delivery>& out);
  // The lease of `task` ends without a result: redelivered (attempt + 1)
  // or, after max_deliveries, dead-lettered. Its holder's entry is the
  // caller's business.
  void EndAttempt(const RoutedTaskPtr& task, AttemptEnd why, After& after);
  void BuryDeadLetter(const RoutedTaskPtr& task, std::string reason, After& after);
  // Settles a leased or queued copy (a final result).
  void Settle(const RoutedTaskPtr& task);
  // Drops the holder's entry for the current lease of `task` once written.
  void ReleaseHeld(const RoutedTaskPtr& task);
  void EndRouteSpan(RoutedTask& task);
  bool AgentAccepts(const Agent& agent, const std::string& type) const;
  // Moves waiting broadcasts this agent accepts into its queue.
  void ClaimUnclaimed(const std::string& agent_id);
  void Requeue(const RoutedTaskPtr& task);
  // The update streams an update of `task_id` for `requester` goes to;
  // *requester_streams tells whether the requester has any stream of `kind`.
  void CollectSinks(const std::string* requester, const std::string& task_id, UpdateKind kind,
                    std::vector<std::shared_ptr<UpdateSink>>& sinks, bool* requester_streams);
  void RunAfter(After& after);
  static void Deliver(std::vector<Delivery>& deliveries);

  const RouterLimits limits_;
  mutable std::mutex mutex_;
  // Raised under mutex_ with the settle, lowered once the sinks have the
  // result: stats() never sees a task neither in flight nor forwarding.
  std::atomic<size_t> results_forwarding_{0};
  bool shutting_down_ = false;
  SubscriptionId next_id_ = 1;
  uint64_t next_sequence_ = 0;
  size_t queued_total_ = 0;  // live entries in agent queues + unclaimed
  std::unordered_map<std::string, Agent> agents_;
  std::unordered_map<SubscriptionId, TaskStream> task_streams_;
  std::unordered_map<SubscriptionId, UpdateStream> update_streams_;
  std::deque<RoutedTaskPtr> unclaimed_;  // broadcasts waiting for a matching agent
  size_t unclaimed_live_ = 0;            // entries of unclaimed_ still kQueued
  // Update streams by requester ("" = monitoring), one index per kind.
  std::unordered_map<std::string, std::vector<SubscriptionId>> updates_by_requester_[2];
  std::priority_queue<RoutedTaskPtr, std::vector<RoutedTaskPtr>, DeadlineLater> deadlines_;
  TaskTable tasks_;
  WaitingResults waiting_results_;
  DeadLetterList dead_letters_;
  std::shared_ptr<DeliveryHooks> hooks_;
  uint64_t expired_ = 0;
  uint64_t requeued_ = 0;
  uint64_t redelivered_[4] = {};  // by AttemptEnd
  uint64_t dead_lettered_ = 0;
  uint64_t redriven_ = 0;
  uint64_t duplicate_results_ = 0;
  uint64_t updates_without_requester_ = 0;
};

}  // namespace agenthub::broker
