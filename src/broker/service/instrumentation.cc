#include "broker/service/instrumentation.h"

#include "agenthub/trace_contract.h"
#include "telemetry/grpc/grpc.h"

namespace agenthub::broker {

using telemetry::Attributes;
using telemetry::Context;
using telemetry::Span;
using telemetry::SpanKind;

Instrumentation::Instrumentation(telemetry::Tracer tracer, telemetry::Meter meter,
                                 telemetry::Logger& logger, bool per_agent_metrics)
    : tracer_(std::move(tracer)),
      meter_(std::move(meter)),
      logger_(logger),
      per_agent_metrics_(per_agent_metrics),
      propagator_(telemetry::GlobalPropagator()) {
  events_processed_ = meter_.CreateInt64Counter(
      "events_processed", "Messages the broker handled, by type, source agent and outcome.");
  processing_duration_ = meter_.CreateHistogram("event_processing_duration",
                                                "Time to handle one publish request.", "s");
  event_errors_ = meter_.CreateInt64Counter(
      "event_errors", "Requests the broker refused or failed, by type, source and error.");
  events_published_ = meter_.CreateInt64Counter(
      "events_published", "Messages routed onward, by type and destination agent.");
  routing_duration_ = meter_.CreateHistogram("broker_message_routing_duration",
                                             "Time the routing core took per message.", "s");
  rejected_ = meter_.CreateInt64Counter("broker_tasks_rejected",
                                        "Publishes and subscriptions refused, by reason.");
  redelivered_ = meter_.CreateInt64Counter(
      "broker_tasks_redelivered",
      "Delivery attempts after the first, by why the previous one ended (stream_ended, "
      "lease_expired, nak, redriven).");
}

void Instrumentation::ObserveRouter(std::shared_ptr<Router> router, size_t queue_limit) {
  std::weak_ptr<Router> weak = router;
  auto observe = [weak](auto fn) {
    return [weak, fn](telemetry::ObserverResult& result) {
      if (auto r = weak.lock()) fn(r->stats(), result);
    };
  };
  observables_.push_back(meter_.CreateObservableGauge(
      "broker_connections", "Open subscription streams of every kind.", "",
      observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.task_subscriptions + s.result_subscriptions +
                                      s.progress_subscriptions));
      })));
  observables_.push_back(meter_.CreateObservableGauge(
      "broker_subscriptions", "Open subscription streams, by kind.", "",
      observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.task_subscriptions), {{"kind", "tasks"}});
        r.Observe(static_cast<double>(s.result_subscriptions), {{"kind", "results"}});
        r.Observe(static_cast<double>(s.progress_subscriptions), {{"kind", "progress"}});
      })));
  observables_.push_back(
      meter_.CreateObservableGauge("broker_queue_depth", "Tasks waiting in agent queues.", "",
                                   observe([](const RouterStats& s, telemetry::ObserverResult& r) {
                                     r.Observe(static_cast<double>(s.queued));
                                   })));
  observables_.push_back(meter_.CreateObservableGauge(
      "broker_queue_depth_max", "Tasks waiting in the deepest agent queue.", "",
      observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.max_agent_queue));
      })));
  observables_.push_back(meter_.CreateObservableGauge(
      "broker_queue_depth_limit", "Tasks one agent's queue may hold before publishes are refused.",
      "", [queue_limit](telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(queue_limit));
      }));
  observables_.push_back(meter_.CreateObservableGauge(
      "broker_tasks_leased", "Tasks leased to agent streams and not yet settled.", "",
      observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.in_flight));
      })));
  observables_.push_back(meter_.CreateObservableCounter(
      "broker_tasks_dead_lettered",
      "Tasks given up after their delivery attempts ran out (or termed).", "",
      observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.dead_lettered));
      })));
  observables_.push_back(
      meter_.CreateObservableGauge("broker_dead_letters", "Tasks in the dead-letter list now.", "",
                                   observe([](const RouterStats& s, telemetry::ObserverResult& r) {
                                     r.Observe(static_cast<double>(s.dead_letters));
                                   })));
  observables_.push_back(meter_.CreateObservableCounter(
      "broker_tasks_redriven", "Dead-lettered tasks put back in their agent's queue.", "",
      observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.redriven));
      })));
  observables_.push_back(meter_.CreateObservableCounter(
      "broker_duplicate_results",
      "Final results refused because an earlier one had settled the task.", "",
      observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.duplicate_results));
      })));
  observables_.push_back(meter_.CreateObservableGauge(
      "broker_results_waiting", "Results kept for requesters that are not connected.", "",
      observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.waiting_results));
      })));
  observables_.push_back(meter_.CreateObservableCounter(
      "broker_results_expired",
      "Waiting results forgotten, by reason (ttl: their requester did not come back in "
      "--result-ttl; overflow: beyond the bound).",
      "", observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.waiting_results_expired), {{"reason", "ttl"}});
        r.Observe(static_cast<double>(s.waiting_results_dropped), {{"reason", "overflow"}});
      })));
  observables_.push_back(meter_.CreateObservableCounter(
      "broker_tasks_expired", "Queued tasks whose deadline passed before delivery.", "",
      observe([](const RouterStats& s, telemetry::ObserverResult& r) {
        r.Observe(static_cast<double>(s.expired));
      })));
}

Context Instrumentation::Incoming(const google::protobuf::Struct* message_metadata,
                                  const Context& from_grpc_metadata) const {
  if (message_metadata) {
    Context from_message =
        telemetry::ExtractTraceHeaders(*message_metadata, *propagator_, Context());
    if (from_message.span().context().IsValid()) return from_message;
  }
  return from_grpc_metadata;
}

RoutedTaskPtr Instrumentation::BeginRoute(const Context& parent, const TaskPtr& task,
                                          std::string_view target_agent,
                                          std::shared_ptr<eventbus::TaskMessage> in_place) {
  telemetry::StartSpanOptions options;
  options.kind = SpanKind::kInternal;
  options.parent = &parent;
  auto routed = std::make_shared<RoutedTask>();
  routed->route_span = tracer_.StartSpan(contract::kRouteTask, options);
  telemetry::Span& span = routed->route_span;
  if (span.IsRecording()) {
    // Set one by one: string_view values land in the pooled span's
    // recycled buffers instead of a temporary attribute list.
    span.SetAttribute(contract::kSourceAgent, task->requester_agent_id());
    span.SetAttribute(contract::kTargetAgent, target_agent);
    span.SetAttribute(contract::kTaskType, task->task_type());
    span.SetAttribute(contract::kTaskPriority, eventbus::Priority_Name(task->priority()));
    span.SetAttribute(contract::kMessagingSystem, contract::kMessagingSystemValue);
    span.SetAttribute(contract::kMessagingOperationType, contract::kOperationProcess);
    span.SetAttribute(contract::kMessagingOperationName, contract::kOperationRoute);
    span.SetAttribute(contract::kMessagingDestinationName, task->task_type());
    span.SetAttribute(contract::kMessagingMessageId, task->task_id());
    span.AddEvent(target_agent.empty() ? contract::kEventWaitingForSubscriber
                                       : contract::kEventQueued);
  }
  // The delivered message carries the route span, so the subscriber's
  // consume_event becomes its child.
  std::shared_ptr<eventbus::TaskMessage> message =
      in_place ? std::move(in_place) : std::make_shared<eventbus::TaskMessage>(*task);
  google::protobuf::Struct* metadata = message->mutable_metadata();
  telemetry::InjectTraceHeaders(parent.WithSpan(span), metadata, *propagator_);
  (*metadata->mutable_fields())[kDeliveryAttemptKey].set_number_value(1);
  routed->message = std::move(message);
  return routed;
}

void Instrumentation::BeginAttempt(RoutedTask& task, eventbus::TaskMessage& message,
                                   AttemptEnd previous) {
  // Under the route span, like the first attempt, with the baggage the task
  // came with.
  const Context carried = message.has_metadata() ? telemetry::ExtractTraceHeaders(
                                                       message.metadata(), *propagator_, Context())
                                                 : Context();
  const Context parent = carried.WithSpan(task.route_span);
  telemetry::StartSpanOptions options;
  options.kind = SpanKind::kInternal;
  options.parent = &parent;
  task.attempt_span = tracer_.StartSpan(contract::kRedeliverTask, options);
  telemetry::Span& span = task.attempt_span;
  if (span.IsRecording()) {
    span.SetAttribute(contract::kAttrDeliveryAttempt, static_cast<int64_t>(task.attempt));
    span.SetAttribute(contract::kAttrPreviousOutcome, AttemptEndName(previous));
    span.SetAttribute(contract::kTargetAgent, task.agent_id);
    span.SetAttribute(contract::kTaskType, message.task_type());
    span.SetAttribute(contract::kMessagingSystem, contract::kMessagingSystemValue);
    span.SetAttribute(contract::kMessagingOperationType, contract::kOperationProcess);
    span.SetAttribute(contract::kMessagingOperationName, contract::kOperationRoute);
    span.SetAttribute(contract::kMessagingDestinationName, message.task_type());
    span.SetAttribute(contract::kMessagingMessageId, message.task_id());
    span.AddEvent(contract::kEventQueued);
  }
  telemetry::InjectTraceHeaders(parent.WithSpan(span), message.mutable_metadata(), *propagator_);
  redelivered_.Add(1, {{"reason", AttemptEndName(previous)}});
}

Span Instrumentation::StartUpdateRoute(std::string_view name, const Context& parent,
                                       std::string_view task_id, std::string_view executor) {
  telemetry::StartSpanOptions options;
  options.kind = SpanKind::kInternal;
  options.parent = &parent;
  options.attributes = {
      {contract::kSourceAgent, std::string(executor)},
      {contract::kMessagingSystem, contract::kMessagingSystemValue},
      {contract::kMessagingOperationType, contract::kOperationProcess},
      {contract::kMessagingOperationName, contract::kOperationRoute},
      {contract::kMessagingMessageId, std::string(task_id)},
      {contract::kRpcSystem, contract::kRpcSystemGrpc},
      {contract::kRpcService, contract::kRpcServiceEventBus},
  };
  return tracer_.StartSpan(name, options);
}

void Instrumentation::CountProcessed(std::string_view event_type, std::string_view source,
                                     bool success, double seconds) {
  events_processed_.Add(1, {{"event_type", std::string(event_type)},
                            {"source", AgentLabel(source)},
                            {"success", success ? "true" : "false"}});
  processing_duration_.Record(seconds);
}

void Instrumentation::CountError(std::string_view event_type, std::string_view source,
                                 std::string_view error) {
  event_errors_.Add(1, {{"event_type", std::string(event_type)},
                        {"source", AgentLabel(source)},
                        {"error", std::string(error)}});
}

void Instrumentation::CountPublished(std::string_view event_type, std::string_view destination) {
  events_published_.Add(
      1, {{"event_type", std::string(event_type)}, {"destination", AgentLabel(destination)}});
}

void Instrumentation::CountRejected(std::string_view reason) {
  rejected_.Add(1, {{"reason", std::string(reason)}});
}

}  // namespace agenthub::broker
