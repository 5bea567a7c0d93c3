// Everything the broker reports about itself: the route spans of the trace
// contract (agenthub/trace_contract.h, docs/reference/spans.md), the broker
// metrics (README.md, "The broker"), and routing logs.
//
// Label cardinality stays bounded: agent ids appear as metric labels only
// with --per-agent-metrics; otherwise their label value is "all".
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "broker/routing/router.h"
#include "telemetry/telemetry.h"

namespace agenthub::broker {

class Instrumentation {
 public:
  Instrumentation(telemetry::Tracer tracer, telemetry::Meter meter, telemetry::Logger& logger,
                  bool per_agent_metrics);

  // Observable gauges over the router (queue depth, subscriptions, ...).
  // `queue_limit` is the per-agent queue bound, exported so alerts can
  // compare the deepest queue against it.
  void ObserveRouter(std::shared_ptr<Router> router, size_t queue_limit);

  // The context a message arrived with: its trace_headers when they hold a
  // valid parent, else the gRPC request metadata.
  telemetry::Context Incoming(const google::protobuf::Struct* message_metadata,
                              const telemetry::Context& from_grpc_metadata) const;

  // Opens route_task for one target and injects it into the message that
  // target receives: `in_place` when the task has only this target (no
  // copy), else a copy of the task.
  RoutedTaskPtr BeginRoute(const telemetry::Context& parent, const TaskPtr& task,
                           std::string_view target_agent,
                           std::shared_ptr<eventbus::TaskMessage> in_place = nullptr);

  // Opens redeliver_task for the next attempt of `task` under its route
  // span and injects it into `message` (a DeliveryHooks step).
  void BeginAttempt(RoutedTask& task, eventbus::TaskMessage& message, AttemptEnd previous);

  // Starts route_result / route_progress; the caller ends it.
  telemetry::Span StartUpdateRoute(std::string_view name, const telemetry::Context& parent,
                                   std::string_view task_id, std::string_view executor);

  std::string AgentLabel(std::string_view agent) const {
    return per_agent_metrics_ ? std::string(agent) : std::string("all");
  }

  void CountProcessed(std::string_view event_type, std::string_view source, bool success,
                      double seconds);
  void CountError(std::string_view event_type, std::string_view source, std::string_view error);
  void CountPublished(std::string_view event_type, std::string_view destination);
  void CountRejected(std::string_view reason);
  void RecordRouting(double seconds) { routing_duration_.Record(seconds); }

  telemetry::Logger& log() { return logger_; }
  const telemetry::TextMapPropagator& propagator() const { return *propagator_; }

 private:
  telemetry::Tracer tracer_;
  telemetry::Meter meter_;
  telemetry::Logger& logger_;
  const bool per_agent_metrics_;
  std::shared_ptr<const telemetry::TextMapPropagator> propagator_;
  telemetry::Int64Counter events_processed_;
  telemetry::Histogram processing_duration_;
  telemetry::Int64Counter event_errors_;
  telemetry::Int64Counter events_published_;
  telemetry::Histogram routing_duration_;
  telemetry::Int64Counter rejected_;
  telemetry::Int64Counter redelivered_;
  std::vector<telemetry::ObservableInstrument> observables_;
};

}  // namespace agenthub::broker
