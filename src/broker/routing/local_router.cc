#include "broker/routing/local_router.h"

#include <algorithm>

#include "broker/proto_time.h"

namespace agenthub::broker {
namespace {

std::optional<telemetry::Timestamp> DeadlineOf(const eventbus::TaskMessage& task) {
  if (!task.has_deadline()) return std::nullopt;
  const auto& d = task.deadline();
  if (d.seconds() == 0 && d.nanos() == 0) return std::nullopt;
  return SaturatedTime(d);  // a deadline past 2262 must not overflow into the past
}

bool IsFinal(eventbus::TaskStatus status) {
  return status == eventbus::TASK_STATUS_COMPLETED || status == eventbus::TASK_STATUS_FAILED ||
         status == eventbus::TASK_STATUS_CANCELLED;
}

}  // namespace

LocalRouter::LocalRouter(RouterLimits limits)
    : limits_(limits), requesters_(limits.max_requesters, limits.requester_ttl) {}

LocalRouter::~LocalRouter() = default;

void LocalRouter::Deliver(std::vector<Delivery>& deliveries) {
  for (auto& [sink, task] : deliveries) sink->Deliver(std::move(task));
}

void LocalRouter::Enqueue(Agent& agent, RoutedTaskPtr task) {
  if (task->deadline) deadlines_.push(task);
  agent.queue.Push(std::move(task));
  ++queued_total_;
}

bool LocalRouter::AgentAccepts(const Agent& agent, const std::string& type) const {
  for (SubscriptionId id : agent.streams) {
    if (task_streams_.at(id).Accepts(type)) return true;
  }
  return false;
}

void LocalRouter::Pump(Agent& agent, std::vector<Delivery>& out) {
  std::vector<RoutedTaskPtr> deferred;
  while (!agent.queue.empty()) {
    // The stream with the most free window takes the next task.
    bool any_free = false;
    for (SubscriptionId id : agent.streams) {
      const TaskStream& s = task_streams_.at(id);
      if (s.in_flight.size() < s.window) any_free = true;
    }
    if (!any_free) break;
    RoutedTaskPtr task = agent.queue.Pop();
    --queued_total_;
    // Ties go round-robin, so idle competing consumers share the work
    // instead of the first stream taking everything.
    TaskStream* best = nullptr;
    size_t best_index = 0;
    const size_t n = agent.streams.size();
    for (size_t k = 0; k < n; ++k) {
      const size_t index = (agent.next_stream + k) % n;
      TaskStream& s = task_streams_.at(agent.streams[index]);
      if (s.in_flight.size() >= s.window) continue;
      if (task->needs_type_match && !s.Accepts(task->message->task_type())) continue;
      if (!best || s.window - s.in_flight.size() > best->window - best->in_flight.size()) {
        best = &s;
        best_index = index;
      }
    }
    if (best) agent.next_stream = best_index + 1;
    if (!best) {
      deferred.push_back(std::move(task));
      continue;
    }
    task->state = RouteState::kInFlight;
    best->in_flight.push_back(task);
    ++agent.in_flight;
    out.emplace_back(best->sink, std::move(task));
  }
  for (auto& task : deferred) {
    agent.queue.Push(std::move(task));
    ++queued_total_;
  }
}

PublishOutcome LocalRouter::PublishTask(const TaskPtr& task, RouteHook& hook) {
  PublishOutcome outcome;
  std::vector<Delivery> deliveries;
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_) {
      outcome.status = PublishStatus::kShuttingDown;
      outcome.error = "broker is shutting down";
      return outcome;
    }
    if (queued_total_ >= limits_.max_queued_total) {
      outcome.status = PublishStatus::kQueueFull;
      outcome.error = "broker queues are full (" + std::to_string(queued_total_) + " tasks)";
      return outcome;
    }
    const auto deadline = DeadlineOf(*task);
    const auto now = telemetry::Now();
    auto route = [&](std::string_view target) {
      RoutedTaskPtr routed = hook.BeginRoute(task, target);
      routed->agent_id.assign(target);
      routed->sequence = next_sequence_++;
      routed->priority = static_cast<int>(task->priority());
      routed->deadline = deadline;
      routed->enqueued_at = now;
      return routed;
    };
    const std::string& responder = task->responder_agent_id();
    if (!responder.empty()) {
      Agent& agent = agents_[responder];
      if (agent.queue.size() + agent.in_flight >= limits_.max_queue_per_agent) {
        outcome.status = PublishStatus::kQueueFull;
        outcome.error = "queue for agent " + responder + " is full (" +
                        std::to_string(agent.queue.size()) + " tasks waiting)";
        return outcome;
      }
      Enqueue(agent, route(responder));
      Pump(agent, deliveries);
      outcome.targets.push_back(responder);
    } else {
      for (auto& [agent_id, agent] : agents_) {
        if (agent.streams.empty() || !AgentAccepts(agent, task->task_type())) continue;
        if (agent.queue.size() + agent.in_flight >= limits_.max_queue_per_agent) continue;
        RoutedTaskPtr routed = route(agent_id);
        routed->needs_type_match = true;
        Enqueue(agent, std::move(routed));
        Pump(agent, deliveries);
        outcome.targets.push_back(agent_id);
      }
      if (outcome.targets.empty()) {
        if (unclaimed_live_ >= limits_.max_unclaimed) {
          outcome.status = PublishStatus::kQueueFull;
          outcome.error = "no agent accepts task type " + task->task_type() +
                          " and the waiting queue is full (" + std::to_string(unclaimed_live_) +
                          " tasks)";
          return outcome;
        }
        RoutedTaskPtr routed = route("");
        routed->needs_type_match = true;
        if (routed->deadline) deadlines_.push(routed);
        unclaimed_.push_back(std::move(routed));
        ++unclaimed_live_;
        ++queued_total_;
        outcome.waiting_for_subscriber = true;
      }
    }
    requesters_.Remember(task->task_id(), task->requester_agent_id(),
                         telemetry::SteadyClock::now());
  }
  Deliver(deliveries);
  return outcome;
}

void LocalRouter::ClaimUnclaimed(const std::string& agent_id) {
  if (unclaimed_live_ == 0) {
    unclaimed_.clear();
    return;
  }
  Agent& agent = agents_[agent_id];
  std::deque<RoutedTaskPtr> remaining;
  for (auto& task : unclaimed_) {
    if (task->state != RouteState::kQueued) continue;  // expired meanwhile
    if (!AgentAccepts(agent, task->message->task_type())) {
      remaining.push_back(std::move(task));
      continue;
    }
    task->agent_id = agent_id;
    task->route_span.SetAttribute("target.agent", agent_id);
    task->route_span.AddEvent("claimed", {{"target.agent", agent_id}});
    --unclaimed_live_;
    agent.queue.Push(std::move(task));  // queued_total_ unchanged: it moves
  }
  unclaimed_.swap(remaining);
}

SubscribeOutcome LocalRouter::SubscribeTasks(TaskSubscription subscription) {
  SubscribeOutcome outcome;
  std::vector<Delivery> deliveries;
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_) {
      outcome.status = SubscribeStatus::kShuttingDown;
      outcome.error = "broker is shutting down";
      return outcome;
    }
    if (task_streams_.size() + update_streams_.size() >= limits_.max_subscriptions) {
      outcome.status = SubscribeStatus::kTooManySubscriptions;
      outcome.error = "broker subscription limit reached (" +
                      std::to_string(limits_.max_subscriptions) + " streams)";
      return outcome;
    }
    outcome.id = next_id_++;
    TaskStream stream{outcome.id,
                      subscription.agent_id,
                      {subscription.task_types.begin(), subscription.task_types.end()},
                      std::move(subscription.sink),
                      std::max<size_t>(1, subscription.window),
                      {}};
    const std::string agent_id = stream.agent_id;
    task_streams_.emplace(outcome.id, std::move(stream));
    agents_[agent_id].streams.push_back(outcome.id);
    ClaimUnclaimed(agent_id);
    Pump(agents_[agent_id], deliveries);
  }
  Deliver(deliveries);
  return outcome;
}

SubscribeOutcome LocalRouter::SubscribeUpdates(UpdateSubscription subscription) {
  SubscribeOutcome outcome;
  std::lock_guard lock(mutex_);
  if (shutting_down_) {
    outcome.status = SubscribeStatus::kShuttingDown;
    outcome.error = "broker is shutting down";
    return outcome;
  }
  if (task_streams_.size() + update_streams_.size() >= limits_.max_subscriptions) {
    outcome.status = SubscribeStatus::kTooManySubscriptions;
    outcome.error = "broker subscription limit reached (" +
                    std::to_string(limits_.max_subscriptions) + " streams)";
    return outcome;
  }
  outcome.id = next_id_++;
  const int kind = static_cast<int>(subscription.kind);
  updates_by_requester_[kind][subscription.requester_id].push_back(outcome.id);
  UpdateStream stream{std::move(subscription), {}};
  stream.task_ids.insert(stream.subscription.task_ids.begin(), stream.subscription.task_ids.end());
  update_streams_.emplace(outcome.id, std::move(stream));
  return outcome;
}

void LocalRouter::Requeue(const RoutedTaskPtr& task) {
  task->route_span.AddEvent("requeued");
  // Not through Enqueue: the deadline is already tracked.
  agents_[task->agent_id].queue.Push(task);
  ++queued_total_;
  ++requeued_;
}

void LocalRouter::Unsubscribe(SubscriptionId id) {
  std::vector<Delivery> deliveries;
  {
    std::lock_guard lock(mutex_);
    if (auto it = task_streams_.find(id); it != task_streams_.end()) {
      TaskStream stream = std::move(it->second);
      task_streams_.erase(it);
      auto agent_it = agents_.find(stream.agent_id);
      Agent& agent = agent_it->second;
      std::erase(agent.streams, id);
      agent.in_flight -= stream.in_flight.size();
      // Writes that never finished: the task goes back to the agent's queue.
      for (auto& task : stream.in_flight) Requeue(task);
      Pump(agent, deliveries);
      if (agent.streams.empty() && agent.queue.empty() && agent.in_flight == 0) {
        agents_.erase(agent_it);
      }
    } else if (auto u = update_streams_.find(id); u != update_streams_.end()) {
      const UpdateSubscription& sub = u->second.subscription;
      auto& index = updates_by_requester_[static_cast<int>(sub.kind)];
      auto list = index.find(sub.requester_id);
      if (list != index.end()) {
        std::erase(list->second, id);
        if (list->second.empty()) index.erase(list);
      }
      update_streams_.erase(u);
    }
  }
  Deliver(deliveries);
}

void LocalRouter::OnTaskWritten(SubscriptionId id, const RoutedTaskPtr& task, bool ok) {
  std::vector<Delivery> deliveries;
  {
    std::lock_guard lock(mutex_);
    auto it = task_streams_.find(id);
    if (it == task_streams_.end()) {
      // The stream ended first and its tasks were queued again. A write that
      // did complete counts as delivered: take the copy out of the queue.
      if (ok && task->state == RouteState::kQueued) {
        task->state = RouteState::kDelivered;
        auto agent = agents_.find(task->agent_id);
        if (agent != agents_.end()) agent->second.queue.OnRemoved();
        --queued_total_;
        task->route_span.AddEvent("delivered");
        task->route_span.End();
      }
      return;
    }
    TaskStream& stream = it->second;
    auto pos = std::find(stream.in_flight.begin(), stream.in_flight.end(), task);
    if (pos == stream.in_flight.end()) return;
    stream.in_flight.erase(pos);
    Agent& agent = agents_[stream.agent_id];
    --agent.in_flight;
    if (ok) {
      task->state = RouteState::kDelivered;
      task->route_span.AddEvent("delivered");
      task->route_span.End();
    } else {
      Requeue(task);
    }
    Pump(agent, deliveries);
  }
  Deliver(deliveries);
}

template <typename Update>
size_t LocalRouter::FanOut(const Update& update, const std::string& task_id, UpdateKind kind,
                           bool final_result) {
  (void)final_result;
  std::vector<std::shared_ptr<UpdateSink>> sinks;
  {
    std::lock_guard lock(mutex_);
    const auto requester = requesters_.Find(task_id);
    if (!requester) ++updates_without_requester_;
    auto& index = updates_by_requester_[static_cast<int>(kind)];
    auto collect = [&](const std::string& who) {
      auto it = index.find(who);
      if (it == index.end()) return;
      for (SubscriptionId id : it->second) {
        const UpdateStream& s = update_streams_.at(id);
        if (!s.task_ids.empty() && !s.task_ids.count(task_id)) continue;
        sinks.push_back(s.subscription.sink);
      }
    };
    if (requester && !requester->empty()) collect(*requester);
    collect("");  // monitoring
  }
  for (auto& sink : sinks) {
    if constexpr (std::is_same_v<Update, ResultPtr>) {
      sink->DeliverResult(update);
    } else {
      sink->DeliverProgress(update);
    }
  }
  return sinks.size();
}

size_t LocalRouter::PublishResult(const ResultPtr& result) {
  return FanOut(result, result->task_id(), UpdateKind::kResults, IsFinal(result->status()));
}

size_t LocalRouter::PublishProgress(const ProgressPtr& progress) {
  return FanOut(progress, progress->task_id(), UpdateKind::kProgress, false);
}

std::vector<RoutedTaskPtr> LocalRouter::ExpireDeadlines(telemetry::Timestamp now) {
  std::vector<RoutedTaskPtr> expired;
  std::lock_guard lock(mutex_);
  while (!deadlines_.empty() && *deadlines_.top()->deadline <= now) {
    RoutedTaskPtr task = deadlines_.top();
    deadlines_.pop();
    if (task->state != RouteState::kQueued) continue;
    task->state = RouteState::kExpired;
    if (task->agent_id.empty()) {
      --unclaimed_live_;
    } else {
      agents_[task->agent_id].queue.OnRemoved();
    }
    --queued_total_;
    ++expired_;
    task->route_span.AddEvent("expired");
    task->route_span.SetStatus(telemetry::StatusCode::kError, "deadline passed before delivery");
    task->route_span.End();
    expired.push_back(std::move(task));
  }
  requesters_.EvictExpired(telemetry::SteadyClock::now());
  return expired;
}

void LocalRouter::BeginShutdown() {
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
}

std::vector<RoutedTaskPtr> LocalRouter::Close() {
  std::vector<RoutedTaskPtr> left;
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
  for (auto& [id, agent] : agents_) {
    for (auto& task : agent.queue.TakeAll()) left.push_back(std::move(task));
  }
  for (auto& task : unclaimed_) {
    if (task->state == RouteState::kQueued) left.push_back(std::move(task));
  }
  unclaimed_.clear();
  unclaimed_live_ = 0;
  queued_total_ = 0;
  for (auto& task : left) {
    task->state = RouteState::kDropped;
    task->route_span.SetStatus(telemetry::StatusCode::kError, "broker shut down before delivery");
    task->route_span.End();
  }
  return left;
}

RouterStats LocalRouter::stats() const {
  RouterStats s;
  std::lock_guard lock(mutex_);
  s.task_subscriptions = task_streams_.size();
  for (const auto& [id, u] : update_streams_) {
    if (u.subscription.kind == UpdateKind::kResults) {
      ++s.result_subscriptions;
    } else {
      ++s.progress_subscriptions;
    }
  }
  s.queued = queued_total_;
  for (const auto& [id, agent] : agents_) {
    s.in_flight += agent.in_flight;
    s.max_agent_queue = std::max(s.max_agent_queue, agent.queue.size());
    if (!agent.streams.empty()) {
      ++s.connected_agents;
      s.deliverable += agent.queue.size();
    }
  }
  s.expired = expired_;
  s.requeued = requeued_;
  s.updates_without_requester = updates_without_requester_;
  return s;
}

}  // namespace agenthub::broker
