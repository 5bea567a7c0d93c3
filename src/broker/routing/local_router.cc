#include "broker/routing/local_router.h"

#include <algorithm>

#include "agenthub/trace_contract.h"
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

SubscribeOutcome Refused(SubscribeStatus status, std::string error) {
  SubscribeOutcome outcome;
  outcome.status = status;
  outcome.error = std::move(error);
  return outcome;
}

}  // namespace

const char* AttemptEndName(AttemptEnd end) {
  switch (end) {
    case AttemptEnd::kStreamEnded:
      return "stream_ended";
    case AttemptEnd::kLeaseExpired:
      return "lease_expired";
    case AttemptEnd::kNak:
      return "nak";
    case AttemptEnd::kRedriven:
      return "redriven";
  }
  return "unknown";
}

LocalRouter::LocalRouter(RouterLimits limits)
    : limits_(limits),
      tasks_(limits.max_requesters, limits.requester_ttl),
      waiting_results_(limits.max_waiting_results, limits.result_ttl),
      dead_letters_(limits.max_dead_letters) {}

LocalRouter::~LocalRouter() = default;

void LocalRouter::SetDeliveryHooks(std::shared_ptr<DeliveryHooks> hooks) {
  std::lock_guard lock(mutex_);
  hooks_ = std::move(hooks);
}

void LocalRouter::Deliver(std::vector<Delivery>& deliveries) {
  for (auto& [sink, task] : deliveries) sink->Deliver(std::move(task));
}

void LocalRouter::RunAfter(After& after) {
  Deliver(after.deliveries);
  for (auto& [sink, result] : after.results) sink->DeliverResult(result);
  if (!after.dead_lettered.empty()) {
    std::shared_ptr<DeliveryHooks> hooks;
    {
      std::lock_guard lock(mutex_);
      hooks = hooks_;
    }
    if (hooks) {
      for (auto& [task, reason] : after.dead_lettered) hooks->OnDeadLettered(task, reason);
    }
  }
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
  bool clock_read = false;
  telemetry::SteadyClock::time_point now;
  while (!agent.queue.empty()) {
    bool any_free = false;
    for (SubscriptionId id : agent.streams) {
      if (task_streams_.at(id).free() > 0) any_free = true;
    }
    if (!any_free) break;
    RoutedTaskPtr task = agent.queue.Pop();
    --queued_total_;
    // The stream with the most free window takes the next task, except that
    // a redelivery goes to another stream than the one that had it when
    // there is one. Ties go round-robin, so idle competing consumers share
    // the work instead of the first stream taking everything.
    TaskStream* best = nullptr;
    size_t best_index = 0;
    const size_t n = agent.streams.size();
    for (size_t k = 0; k < n; ++k) {
      const size_t index = (agent.next_stream + k) % n;
      TaskStream& s = task_streams_.at(agent.streams[index]);
      if (s.free() == 0) continue;
      if (task->needs_type_match && !s.Accepts(task->message->task_type())) continue;
      bool better = !best;
      if (best) {
        const bool s_was_holder = s.id == task->last_stream;
        const bool best_was_holder = best->id == task->last_stream;
        better = s_was_holder != best_was_holder ? !s_was_holder : s.free() > best->free();
      }
      if (better) {
        best = &s;
        best_index = index;
      }
    }
    if (!best) {
      deferred.push_back(std::move(task));
      continue;
    }
    agent.next_stream = best_index + 1;
    if (!clock_read) {
      now = telemetry::SteadyClock::now();
      clock_read = true;
    }
    task->state = RouteState::kInFlight;
    task->leased_to = best->id;
    task->lease_until = now + limits_.ack_wait;
    best->held.push_back({task, task->attempt, false});
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
    std::vector<RoutedTaskPtr> copies;
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
    RoutedTaskPtr single;
    if (!responder.empty()) {
      Agent& agent = agents_[responder];
      if (agent.queue.size() + agent.in_flight >= limits_.max_queue_per_agent) {
        outcome.status = PublishStatus::kQueueFull;
        outcome.error = "queue for agent " + responder + " is full (" +
                        std::to_string(agent.queue.size()) + " tasks waiting)";
        return outcome;
      }
      single = route(responder);
      Enqueue(agent, single);
      outcome.targets.push_back(responder);
      // Recorded before the pump, so a result that beats the delivery
      // report still finds its copy.
      tasks_.Remember(task->task_id(), task->requester_agent_id(), telemetry::SteadyClock::now())
          .AddCopy(single);
      Pump(agent, deliveries);
    } else {
      for (auto& [agent_id, agent] : agents_) {
        if (agent.streams.empty() || !AgentAccepts(agent, task->task_type())) continue;
        if (agent.queue.size() + agent.in_flight >= limits_.max_queue_per_agent) continue;
        RoutedTaskPtr routed = route(agent_id);
        routed->needs_type_match = true;
        copies.push_back(routed);
        Enqueue(agent, std::move(routed));
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
        copies.push_back(routed);
        unclaimed_.push_back(std::move(routed));
        ++unclaimed_live_;
        ++queued_total_;
        outcome.waiting_for_subscriber = true;
      }
      TaskRecord& record = tasks_.Remember(task->task_id(), task->requester_agent_id(),
                                           telemetry::SteadyClock::now());
      for (auto& c : copies) record.AddCopy(std::move(c));
      for (const std::string& agent_id : outcome.targets) Pump(agents_[agent_id], deliveries);
    }
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
    task->route_span.SetAttribute(contract::kTargetAgent, agent_id);
    task->route_span.AddEvent(contract::kEventClaimed, {{contract::kTargetAgent, agent_id}});
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
    if (shutting_down_) return Refused(SubscribeStatus::kShuttingDown, "broker is shutting down");
    if (task_streams_.size() + update_streams_.size() >= limits_.max_subscriptions) {
      return Refused(SubscribeStatus::kTooManySubscriptions,
                     "broker subscription limit reached (" +
                         std::to_string(limits_.max_subscriptions) + " streams)");
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
  std::vector<ResultPtr> waiting;
  std::shared_ptr<UpdateSink> sink = subscription.sink;
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_) return Refused(SubscribeStatus::kShuttingDown, "broker is shutting down");
    if (task_streams_.size() + update_streams_.size() >= limits_.max_subscriptions) {
      return Refused(SubscribeStatus::kTooManySubscriptions,
                     "broker subscription limit reached (" +
                         std::to_string(limits_.max_subscriptions) + " streams)");
    }
    outcome.id = next_id_++;
    const int kind = static_cast<int>(subscription.kind);
    updates_by_requester_[kind][subscription.requester_id].push_back(outcome.id);
    UpdateStream stream{std::move(subscription), {}};
    stream.task_ids.insert(stream.subscription.task_ids.begin(),
                           stream.subscription.task_ids.end());
    // Results that waited for this requester go out first, in order.
    if (stream.subscription.kind == UpdateKind::kResults &&
        !stream.subscription.requester_id.empty()) {
      const auto& ids = stream.task_ids;
      waiting = waiting_results_.Take(stream.subscription.requester_id,
                                      [&ids](const eventbus::TaskResult& r) {
                                        return ids.empty() || ids.count(r.task_id()) > 0;
                                      });
    }
    update_streams_.emplace(outcome.id, std::move(stream));
  }
  for (auto& result : waiting) sink->DeliverResult(result);
  return outcome;
}

void LocalRouter::EndRouteSpan(RoutedTask& task) {
  if (task.route_span.IsRecording()) task.route_span.End();
}

void LocalRouter::BuryDeadLetter(const RoutedTaskPtr& task, std::string reason, After& after) {
  task->state = RouteState::kDeadLettered;
  telemetry::Span& span = task->attempt == 1 ? task->route_span : task->attempt_span;
  span.AddEvent(contract::kEventDeadLettered, {{"reason", reason}});
  span.SetStatus(telemetry::StatusCode::kError, reason);
  span.End();
  ++dead_lettered_;
  std::string requester = task->message->requester_agent_id();
  // Out of the record: a late result is refused once the broker's FAILED
  // result settled the task.
  if (TaskRecord* record = tasks_.Find(task->message->task_id())) record->RemoveCopy(task);
  dead_letters_.Add(task, reason, std::move(requester));
  // A snapshot for the FAILED result built after the lock is released: a
  // redrive may change the task meanwhile.
  after.dead_lettered.emplace_back(std::make_shared<RoutedTask>(*task), std::move(reason));
}

void LocalRouter::EndAttempt(const RoutedTaskPtr& task, AttemptEnd why, After& after) {
  auto agent_it = agents_.find(task->agent_id);
  if (agent_it != agents_.end()) --agent_it->second.in_flight;
  task->last_stream = task->leased_to;
  task->leased_to = 0;
  telemetry::Span& span = task->attempt == 1 ? task->route_span : task->attempt_span;
  span.SetAttribute(contract::kAttrDeliveryOutcome, AttemptEndName(why));
  if (task->attempt - task->budget_base >= limits_.max_deliveries) {
    BuryDeadLetter(task,
                   "delivery attempts exhausted (" + std::to_string(task->attempt) +
                       " attempts to agent " + task->agent_id + ", the last " +
                       AttemptEndName(why) + ")",
                   after);
    return;
  }
  span.AddEvent(contract::kEventRequeued, {{contract::kAttrDeliveryOutcome, AttemptEndName(why)}});
  span.End();
  ++task->attempt;
  // The next attempt's message: a copy that says which attempt it is (and,
  // through the hook, carries that attempt's span).
  auto message = std::make_shared<eventbus::TaskMessage>(*task->message);
  (*message->mutable_metadata()->mutable_fields())[kDeliveryAttemptKey].set_number_value(
      task->attempt);
  if (hooks_) hooks_->BeginAttempt(*task, *message, why);
  task->message = std::move(message);
  // A passed deadline is noticed again by the sweep (its first heap entry
  // may be gone).
  if (task->deadline) deadlines_.push(task);
  agents_[task->agent_id].queue.Push(task);
  ++queued_total_;
  ++requeued_;
  ++redelivered_[static_cast<int>(why)];
}

void LocalRouter::ReleaseHeld(const RoutedTaskPtr& task) {
  auto it = task_streams_.find(task->leased_to);
  if (it == task_streams_.end()) return;
  auto& held = it->second.held;
  for (auto h = held.begin(); h != held.end(); ++h) {
    if (h->task == task && h->attempt == task->attempt) {
      // Not yet written: it stays counted until the write reports.
      if (h->written) held.erase(h);
      return;
    }
  }
}

void LocalRouter::Settle(const RoutedTaskPtr& task) {
  if (task->state == RouteState::kInFlight) {
    ReleaseHeld(task);
    auto agent_it = agents_.find(task->agent_id);
    if (agent_it != agents_.end()) --agent_it->second.in_flight;
    task->leased_to = 0;
  } else if (task->state == RouteState::kQueued) {
    // Answered before it was (re)delivered: it leaves the queue.
    if (task->agent_id.empty()) {
      --unclaimed_live_;
    } else {
      agents_[task->agent_id].queue.OnRemoved();
    }
    --queued_total_;
  }
  task->state = RouteState::kDelivered;
  telemetry::Span& span = task->attempt == 1 ? task->route_span : task->attempt_span;
  span.AddEvent(contract::kEventSettled);
  span.End();
}

void LocalRouter::Unsubscribe(SubscriptionId id) {
  After after;
  {
    std::lock_guard lock(mutex_);
    if (auto it = task_streams_.find(id); it != task_streams_.end()) {
      TaskStream stream = std::move(it->second);
      task_streams_.erase(it);
      auto agent_it = agents_.find(stream.agent_id);
      Agent& agent = agent_it->second;
      std::erase(agent.streams, id);
      for (auto& h : stream.held) {
        if (stream.IsLive(h)) EndAttempt(h.task, AttemptEnd::kStreamEnded, after);
      }
      agent_it = agents_.find(stream.agent_id);
      Pump(agent_it->second, after.deliveries);
      Agent& a = agent_it->second;
      if (a.streams.empty() && a.queue.empty() && a.in_flight == 0) agents_.erase(agent_it);
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
  RunAfter(after);
}

void LocalRouter::OnTaskWritten(SubscriptionId id, const RoutedTaskPtr& task, bool ok) {
  After after;
  {
    std::lock_guard lock(mutex_);
    auto it = task_streams_.find(id);
    // The stream ended first: its leases were redelivered already.
    if (it == task_streams_.end()) return;
    TaskStream& stream = it->second;
    auto pos = std::find_if(stream.held.begin(), stream.held.end(),
                            [&](const TaskStream::Held& h) { return h.task == task; });
    if (pos == stream.held.end()) return;
    const bool live = stream.IsLive(*pos);
    if (!ok) {
      stream.held.erase(pos);  // frees the window
    } else {
      pos->written = true;
      if (stream.Flowing()) stream.DropWrittenGhosts();
    }
    if (live && ok && task->attempt == 1) {
      task->route_span.AddEvent(contract::kEventDelivered);
      EndRouteSpan(*task);
    } else if (live && ok) {
      task->attempt_span.AddEvent(contract::kEventDelivered);
    }
    if (live && !ok) EndAttempt(task, AttemptEnd::kStreamEnded, after);
    Pump(agents_[stream.agent_id], after.deliveries);
  }
  RunAfter(after);
}

AckStatus LocalRouter::Acknowledge(std::string_view task_id, std::string_view agent_id,
                                   AckKind kind) {
  After after;
  AckStatus status = AckStatus::kOk;
  {
    std::lock_guard lock(mutex_);
    TaskRecord* record = tasks_.Find(task_id);
    if (!record) return AckStatus::kUnknownTask;
    RoutedTaskPtr task = record->CopyFor(agent_id);
    if (!task) return record->settled ? AckStatus::kAlreadySettled : AckStatus::kNotHolder;
    const bool leased = task->state == RouteState::kInFlight;
    switch (kind) {
      case AckKind::kAck:
        Settle(task);
        record->RemoveCopy(task);
        record->settled = true;
        if (!task->agent_id.empty()) Pump(agents_[task->agent_id], after.deliveries);
        break;
      case AckKind::kInProgress:
        if (!leased || task->agent_id != agent_id) return AckStatus::kNotHolder;
        task->lease_until = telemetry::SteadyClock::now() + limits_.ack_wait;
        break;
      case AckKind::kNak:
      case AckKind::kTerm: {
        if (!leased) return AckStatus::kNotHolder;
        ReleaseHeld(task);
        if (kind == AckKind::kNak) {
          EndAttempt(task, AttemptEnd::kNak, after);
        } else {
          auto agent_it = agents_.find(task->agent_id);
          if (agent_it != agents_.end()) --agent_it->second.in_flight;
          task->leased_to = 0;
          BuryDeadLetter(task, "terminated by agent " + std::string(agent_id), after);
        }
        Pump(agents_[task->agent_id], after.deliveries);
        break;
      }
    }
  }
  RunAfter(after);
  return status;
}

void LocalRouter::CollectSinks(const std::string* requester, const std::string& task_id,
                               UpdateKind kind, std::vector<std::shared_ptr<UpdateSink>>& sinks,
                               bool* requester_streams) {
  auto& index = updates_by_requester_[static_cast<int>(kind)];
  auto collect = [&](const std::string& who) {
    auto it = index.find(who);
    if (it == index.end()) return false;
    for (SubscriptionId id : it->second) {
      const UpdateStream& s = update_streams_.at(id);
      if (!s.task_ids.empty() && !s.task_ids.count(task_id)) continue;
      sinks.push_back(s.subscription.sink);
    }
    return true;
  };
  *requester_streams = requester && !requester->empty() && collect(*requester);
  collect("");  // monitoring
}

ResultOutcome LocalRouter::PublishResult(const ResultPtr& result, ResultOrigin origin) {
  ResultOutcome outcome;
  After after;
  std::vector<std::shared_ptr<UpdateSink>> sinks;
  {
    std::lock_guard lock(mutex_);
    const std::string& task_id = result->task_id();
    TaskRecord* record = tasks_.Find(task_id);
    if (!record) ++updates_without_requester_;
    if (record && IsFinal(result->status())) {
      if (origin == ResultOrigin::kBroker) {
        // The broker's own verdict (expired, dead-lettered, shut down): the
        // copy already left the broker's hands.
        record->settled = true;
      } else if (RoutedTaskPtr task = record->CopyFor(result->executor_agent_id())) {
        Settle(task);
        record->RemoveCopy(task);
        record->settled = true;
        if (!task->agent_id.empty()) Pump(agents_[task->agent_id], after.deliveries);
      } else if (record->settled || !record->HasUnsettled()) {
        ++duplicate_results_;
        outcome.ack = AckStatus::kAlreadySettled;
        return outcome;
      }
    }
    bool requester_streams = false;
    CollectSinks(record ? &record->requester : nullptr, task_id, UpdateKind::kResults, sinks,
                 &requester_streams);
    if (record && !record->requester.empty() && !requester_streams) {
      waiting_results_.Add(record->requester, result, telemetry::SteadyClock::now());
      outcome.waiting = true;
    }
    results_forwarding_.fetch_add(1, std::memory_order_relaxed);
  }
  Deliver(after.deliveries);
  for (auto& sink : sinks) sink->DeliverResult(result);
  results_forwarding_.fetch_sub(1, std::memory_order_release);
  outcome.reached = sinks.size();
  return outcome;
}

size_t LocalRouter::PublishProgress(const ProgressPtr& progress) {
  std::vector<std::shared_ptr<UpdateSink>> sinks;
  {
    std::lock_guard lock(mutex_);
    TaskRecord* record = tasks_.Find(progress->task_id());
    if (!record) ++updates_without_requester_;
    if (record) {
      // From the agent holding the lease: an in-progress ack.
      RoutedTaskPtr task = record->CopyFor(progress->executor_agent_id());
      if (task && task->state == RouteState::kInFlight &&
          task->agent_id == progress->executor_agent_id()) {
        task->lease_until = telemetry::SteadyClock::now() + limits_.ack_wait;
      }
    }
    bool requester_streams = false;
    CollectSinks(record ? &record->requester : nullptr, progress->task_id(), UpdateKind::kProgress,
                 sinks, &requester_streams);
  }
  for (auto& sink : sinks) sink->DeliverProgress(progress);
  return sinks.size();
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
    telemetry::Span& span = task->attempt == 1 ? task->route_span : task->attempt_span;
    span.AddEvent(contract::kEventExpired);
    span.SetStatus(telemetry::StatusCode::kError, "deadline passed before delivery");
    span.End();
    if (TaskRecord* record = tasks_.Find(task->message->task_id())) record->RemoveCopy(task);
    expired.push_back(std::move(task));
  }
  tasks_.EvictExpired(telemetry::SteadyClock::now());
  return expired;
}

void LocalRouter::ExpireLeases(telemetry::SteadyClock::time_point now) {
  After after;
  {
    std::lock_guard lock(mutex_);
    waiting_results_.Expire(now);
    // Each stream holds at most its window, so this walks streams x window.
    std::vector<RoutedTaskPtr> ran_out;
    for (auto& [id, stream] : task_streams_) {
      for (auto h = stream.held.begin(); h != stream.held.end();) {
        if (stream.IsLive(*h) && h->task->lease_until <= now) {
          ran_out.push_back(h->task);
          // Written to a stream that reads: gone from it. Otherwise it may
          // still be in the stream's pipe, so it keeps counting against the
          // window of a stream that stopped reading (a write that completed
          // into the socket is not a delivery).
          if (h->written && stream.Flowing()) {
            h = stream.held.erase(h);
            continue;
          }
        }
        ++h;
      }
    }
    for (const auto& task : ran_out) EndAttempt(task, AttemptEnd::kLeaseExpired, after);
    for (const auto& task : ran_out) {
      auto agent = agents_.find(task->agent_id);
      if (agent != agents_.end()) Pump(agent->second, after.deliveries);
    }
  }
  RunAfter(after);
}

std::vector<DeadLetter> LocalRouter::DeadLetters() const {
  std::lock_guard lock(mutex_);
  return dead_letters_.List();
}

RedriveStatus LocalRouter::Redrive(std::string_view task_id) {
  After after;
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_) return RedriveStatus::kShuttingDown;
    RoutedTaskPtr task = dead_letters_.Take(task_id);
    if (!task) return RedriveStatus::kNotFound;
    TaskRecord* record = tasks_.Find(task_id);
    if (!record) {
      record = &tasks_.Remember(task_id, task->message->requester_agent_id(),
                                telemetry::SteadyClock::now());
    }
    record->settled = false;
    record->AddCopy(task);
    task->budget_base = task->attempt;
    ++task->attempt;
    auto message = std::make_shared<eventbus::TaskMessage>(*task->message);
    (*message->mutable_metadata()->mutable_fields())[kDeliveryAttemptKey].set_number_value(
        task->attempt);
    if (hooks_) hooks_->BeginAttempt(*task, *message, AttemptEnd::kRedriven);
    task->message = std::move(message);
    task->last_stream = 0;
    Agent& agent = agents_[task->agent_id];
    if (task->deadline) deadlines_.push(task);
    agent.queue.Push(task);
    ++queued_total_;
    ++redriven_;
    Pump(agent, after.deliveries);
  }
  RunAfter(after);
  return RedriveStatus::kOk;
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
  for (auto& [id, stream] : task_streams_) {
    for (auto& h : stream.held) {
      if (stream.IsLive(h)) left.push_back(h.task);
    }
    stream.held.clear();
  }
  for (auto& [id, agent] : agents_) agent.in_flight = 0;
  unclaimed_.clear();
  unclaimed_live_ = 0;
  queued_total_ = 0;
  for (auto& task : left) {
    task->state = RouteState::kDropped;
    task->leased_to = 0;
    telemetry::Span& span = task->attempt == 1 ? task->route_span : task->attempt_span;
    span.SetStatus(telemetry::StatusCode::kError, "broker shut down before the task completed");
    span.End();
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
  s.results_forwarding = results_forwarding_.load(std::memory_order_acquire);
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
  s.redelivered_stream_ended = redelivered_[static_cast<int>(AttemptEnd::kStreamEnded)];
  s.redelivered_lease_expired = redelivered_[static_cast<int>(AttemptEnd::kLeaseExpired)];
  s.redelivered_nak = redelivered_[static_cast<int>(AttemptEnd::kNak)];
  s.dead_lettered = dead_lettered_;
  s.redriven = redriven_;
  s.dead_letters = dead_letters_.size();
  s.duplicate_results = duplicate_results_;
  s.waiting_results = waiting_results_.size();
  s.waiting_results_expired = waiting_results_.expired();
  s.waiting_results_dropped = waiting_results_.dropped();
  s.updates_without_requester = updates_without_requester_;
  return s;
}

}  // namespace agenthub::broker
