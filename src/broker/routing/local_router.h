// LocalRouter: the single-process routing core. One mutex guards all
// routing state; sinks are called after it is released. Per agent: a
// priority queue and the agent's live task streams, each with a window of
// tasks handed over but not yet written, so a slow stream holds at most
// `window` tasks and its backlog stays in (and counts against) its agent's
// queue. Competing streams of one agent get work by free window.
#pragma once

#include <deque>
#include <mutex>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "broker/routing/agent_queue.h"
#include "broker/routing/requester_index.h"
#include "broker/routing/router.h"

namespace agenthub::broker {

class LocalRouter final : public Router {
 public:
  explicit LocalRouter(RouterLimits limits = {});
  ~LocalRouter() override;

  PublishOutcome PublishTask(const TaskPtr& task, RouteHook& hook) override;
  size_t PublishResult(const ResultPtr& result) override;
  size_t PublishProgress(const ProgressPtr& progress) override;
  SubscribeOutcome SubscribeTasks(TaskSubscription subscription) override;
  SubscribeOutcome SubscribeUpdates(UpdateSubscription subscription) override;
  void Unsubscribe(SubscriptionId id) override;
  void OnTaskWritten(SubscriptionId id, const RoutedTaskPtr& task, bool ok) override;
  std::vector<RoutedTaskPtr> ExpireDeadlines(telemetry::Timestamp now) override;
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
    std::vector<RoutedTaskPtr> in_flight;
    bool Accepts(const std::string& type) const {
      return task_types.empty() || task_types.count(type) > 0;
    }
  };
  struct Agent {
    AgentQueue queue;
    std::vector<SubscriptionId> streams;
    size_t next_stream = 0;  // where the round-robin tie-break starts
    size_t in_flight = 0;
  };
  struct UpdateStream {
    UpdateSubscription subscription;
    std::unordered_set<std::string> task_ids;
  };
  using Delivery = std::pair<std::shared_ptr<TaskSink>, RoutedTaskPtr>;
  struct DeadlineLater {
    bool operator()(const RoutedTaskPtr& a, const RoutedTaskPtr& b) const {
      return *a->deadline > *b->deadline;
    }
  };

  // All private helpers run with mutex_ held.
  void Enqueue(Agent& agent, RoutedTaskPtr task);
  void Pump(Agent& agent, std::vector<Delivery>& out);
  bool AgentAccepts(const Agent& agent, const std::string& type) const;
  // Moves waiting broadcasts this agent accepts into its queue.
  void ClaimUnclaimed(const std::string& agent_id);
  void Requeue(const RoutedTaskPtr& task);
  template <typename Update>
  size_t FanOut(const Update& update, const std::string& task_id, UpdateKind kind,
                bool final_result);
  static void Deliver(std::vector<Delivery>& deliveries);

  const RouterLimits limits_;
  mutable std::mutex mutex_;
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
  RequesterIndex requesters_;
  uint64_t expired_ = 0;
  uint64_t requeued_ = 0;
  uint64_t updates_without_requester_ = 0;
};

}  // namespace agenthub::broker
