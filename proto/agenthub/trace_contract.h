// The trace contract: every span name, attribute key, attribute value and
// event name that AgentHub's hops put on a task's trace, written once. The
// wire contract (eventbus.proto) says what agents send each other; this
// says what the trace of it looks like, so the publisher and subscriber
// (src/client), the broker (src/broker) and the demo's completeness check
// (src/cli/demo) cannot drift apart. docs/reference/spans.md is the
// reader's version; tests/unit/contract/trace_contract_test.cc fails when
// the two disagree.
//
// One task, one trace, each hop the child of the one before:
//
//   publish_event   publisher   PRODUCER
//   route_task      broker      INTERNAL
//   consume_event   subscriber  CONSUMER
//   process_task    subscriber  INTERNAL   (route_progress under it, per update)
//   publish_result  subscriber  PRODUCER
//   route_result    broker      INTERNAL
//   consume_result  publisher   CONSUMER   (+ a link to publish_event)
//
// Roles. Three agents take part in a task, named as the wire contract names
// them: the REQUESTER publishes it (requester_agent_id), the RESPONDER is
// the agent it is addressed to (responder_agent_id; empty for a
// broadcast), the EXECUTOR ran it (executor_agent_id). The keys that carry
// a role differ by hop because the seed document fixed the route span's
// `source.agent` / `target.agent`, and dashboards and the demo's trees read
// the others as they are; each constant below says which role it carries,
// and new code names roles only by these three words.
#pragma once

#include <string_view>

namespace agenthub::contract {

// --- Span names, in causal order.
inline constexpr char kPublishEvent[] = "publish_event";
inline constexpr char kRouteTask[] = "route_task";
inline constexpr char kConsumeEvent[] = "consume_event";
inline constexpr char kProcessTask[] = "process_task";
inline constexpr char kRouteProgress[] = "route_progress";
inline constexpr char kPublishResult[] = "publish_result";
inline constexpr char kRouteResult[] = "route_result";
inline constexpr char kConsumeResult[] = "consume_result";

// The service (resource service.name) of each process the demo runs.
inline constexpr char kPublisherService[] = "agenthub-publisher";
inline constexpr char kBrokerService[] = "agenthub-broker";
inline constexpr char kSubscriberService[] = "agenthub-subscriber";

// The seven hops of every task and the process that makes each: the spine
// `agenthub demo` checks (route_progress is one per update, not a hop).
struct Hop {
  const char* span;
  const char* service;
};
inline constexpr Hop kTaskHops[] = {
    {kPublishEvent, kPublisherService},   {kRouteTask, kBrokerService},
    {kConsumeEvent, kSubscriberService},  {kProcessTask, kSubscriberService},
    {kPublishResult, kSubscriberService}, {kRouteResult, kBrokerService},
    {kConsumeResult, kPublisherService}};

// --- AgentHub's own attribute keys.
inline constexpr char kEventType[] = "event.type";  // the task type, on publish/consume_event
inline constexpr char kEventId[] = "event.id";      // the task id, on publish/consume_event
inline constexpr char kTaskId[] = "task.id";
inline constexpr char kTaskType[] = "task.type";
inline constexpr char kTaskPriority[] = "task.priority";  // PRIORITY_MEDIUM, ...
inline constexpr char kTaskStatus[] = "task.status";      // TASK_STATUS_COMPLETED, ...
// process_task: one attribute per task parameter, "task.parameter.<name>".
inline constexpr char kTaskParameterPrefix[] = "task.parameter.";
inline constexpr char kProcessingStatus[] = "processing.status";  // kCompleted / kFailed
inline constexpr char kResultStatus[] = "result.status";          // kSuccess / kFailure

// Roles (see the top of this file).
inline constexpr char kRequesterAgent[] =
    "requester.agent";  // requester: publish_event, publish_result
inline constexpr char kResponderAgent[] = "responder.agent";  // responder: publish_event
inline constexpr char kExecutorAgent[] = "executor.agent";    // executor: consume_result
// route_task: the requester (source) and the agent this copy goes to
// (target: the responder, or each matching agent of a broadcast).
inline constexpr char kSourceAgent[] = "source.agent";
inline constexpr char kTargetAgent[] = "target.agent";
// consume_event: the requester is kSourceAgent, the executor this one.
inline constexpr char kConsumerAgent[] = "consumer.agent";
// route_result and route_progress carry the executor as kSourceAgent.

// Values.
inline constexpr char kCompleted[] = "completed";
inline constexpr char kFailed[] = "failed";
inline constexpr char kSuccess[] = "success";
inline constexpr char kFailure[] = "failure";
inline constexpr char kTaskFailedErrorType[] = "task_failed";  // consume_result of a FAILED task

// --- OpenTelemetry semantic conventions (messaging, RPC, errors).
inline constexpr char kMessagingSystem[] = "messaging.system";
inline constexpr char kMessagingSystemValue[] = "agenthub";
inline constexpr char kMessagingOperationType[] =
    "messaging.operation.type";  // send, process, receive
inline constexpr char kMessagingOperationName[] = "messaging.operation.name";  // publish, route
// consume_event and consume_result also carry the older
// messaging.operation=receive the seed document shows.
inline constexpr char kMessagingOperation[] = "messaging.operation";
inline constexpr char kMessagingDestinationName[] = "messaging.destination.name";
inline constexpr char kMessagingMessageId[] = "messaging.message.id";
inline constexpr char kMessagingSubscriberCount[] = "messaging.destination.subscriber_count";
inline constexpr char kOperationSend[] = "send";
inline constexpr char kOperationProcess[] = "process";
inline constexpr char kOperationReceive[] = "receive";
inline constexpr char kOperationPublish[] = "publish";
inline constexpr char kOperationRoute[] = "route";
inline constexpr char kRpcSystem[] = "rpc.system";
inline constexpr char kRpcSystemGrpc[] = "grpc";
inline constexpr char kRpcService[] = "rpc.service";
inline constexpr char kRpcServiceEventBus[] = "eventbus.EventBus";
inline constexpr char kRpcMethod[] = "rpc.method";
inline constexpr char kErrorType[] = "error.type";

// --- Events.
// On route_task: the copy waits in its agent's queue / no agent matches the
// broadcast yet / a matching agent claimed it / it was written to a stream
// / it went back to the queue / its deadline passed.
inline constexpr char kEventQueued[] = "queued";
inline constexpr char kEventWaitingForSubscriber[] = "waiting_for_subscriber";
inline constexpr char kEventClaimed[] = "claimed";
inline constexpr char kEventDelivered[] = "delivered";
inline constexpr char kEventRequeued[] = "requeued";
inline constexpr char kEventExpired[] = "expired";
// On route_result / route_progress: nobody listens for this update.
inline constexpr char kEventNoSubscriber[] = "no_subscriber";
// On process_task, one per progress report, with these attributes.
inline constexpr char kEventProgress[] = "progress";
inline constexpr char kProgressPercentage[] = "progress.percentage";
inline constexpr char kProgressMessage[] = "progress.message";

// --- Delivery (docs/explanation/delivery.md): at-least-once, by leases.
// TaskMessage.metadata key: which delivery attempt the message is (a
// number; 1 for the first, 2 and up for redeliveries). The broker's own
// FAILED results carry it in execution_metadata.
inline constexpr char kDeliveryAttemptKey[] = "agenthub.delivery_attempt";
// executor_agent_id of the FAILED results the broker itself publishes.
inline constexpr char kBrokerExecutorId[] = "agenthub-broker";
// The broker's span for each delivery attempt after the first (route_task
// carries the first), a child of route_task; the consumer of that attempt
// hangs under it.
inline constexpr char kRedeliverTask[] = "redeliver_task";
// On redeliver_task (and consume_event: the attempt it received).
inline constexpr char kAttrDeliveryAttempt[] = "agenthub.delivery.attempt";
// On redeliver_task: why the attempt before ended (stream_ended,
// lease_expired, nak, redriven); on an attempt span that ended without a
// result: how it ended.
inline constexpr char kAttrPreviousOutcome[] = "agenthub.delivery.previous_outcome";
inline constexpr char kAttrDeliveryOutcome[] = "agenthub.delivery.outcome";
// Events: the attempt was settled by a result / the task was given up; on
// route_result: kept for a requester that is not connected / a second final
// result refused (with error.type kAlreadySettled); on publish_result: the
// broker already had a result.
inline constexpr char kEventSettled[] = "settled";
inline constexpr char kEventDeadLettered[] = "dead_lettered";
inline constexpr char kEventWaitingForRequester[] = "waiting_for_requester";
inline constexpr char kEventDuplicateResult[] = "duplicate_result";
inline constexpr char kAlreadySettled[] = "already_settled";

// Everything above that a reader finds in docs/reference/spans.md, for the
// test that keeps the two in step.
inline constexpr std::string_view kSpanNames[] = {kPublishEvent, kRouteTask,     kConsumeEvent,
                                                  kProcessTask,  kRouteProgress, kPublishResult,
                                                  kRouteResult,  kConsumeResult, kRedeliverTask};
inline constexpr std::string_view kAttributeKeys[] = {kEventType,
                                                      kEventId,
                                                      kTaskId,
                                                      kTaskType,
                                                      kTaskPriority,
                                                      kTaskStatus,
                                                      kProcessingStatus,
                                                      kResultStatus,
                                                      kRequesterAgent,
                                                      kResponderAgent,
                                                      kExecutorAgent,
                                                      kSourceAgent,
                                                      kTargetAgent,
                                                      kConsumerAgent,
                                                      kMessagingSystem,
                                                      kMessagingOperationType,
                                                      kMessagingOperationName,
                                                      kMessagingOperation,
                                                      kMessagingDestinationName,
                                                      kMessagingMessageId,
                                                      kMessagingSubscriberCount,
                                                      kRpcSystem,
                                                      kRpcService,
                                                      kRpcMethod,
                                                      kErrorType,
                                                      kProgressPercentage,
                                                      kProgressMessage,
                                                      kAttrDeliveryAttempt,
                                                      kAttrPreviousOutcome,
                                                      kAttrDeliveryOutcome};
inline constexpr std::string_view kEventNames[] = {kEventQueued,
                                                   kEventWaitingForSubscriber,
                                                   kEventClaimed,
                                                   kEventDelivered,
                                                   kEventRequeued,
                                                   kEventExpired,
                                                   kEventNoSubscriber,
                                                   kEventProgress,
                                                   kEventSettled,
                                                   kEventDeadLettered,
                                                   kEventWaitingForRequester,
                                                   kEventDuplicateResult};

}  // namespace agenthub::contract
