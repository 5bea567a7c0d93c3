#include "client/task_runner.h"

#include <cxxabi.h>
#include <google/protobuf/util/time_util.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include "agenthub/trace_contract.h"
#include "client/struct_values.h"
#include "telemetry/grpc/grpc.h"

namespace agenthub::client {
namespace {

using telemetry::Context;
using telemetry::Span;
using telemetry::SpanKind;
using telemetry::StatusCode;

// "std::runtime_error" rather than "St13runtime_error": error.type is read
// by people.
std::string TypeName(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

}  // namespace

TaskRunner::TaskRunner(Connection& connection, const ClientTelemetry& telemetry,
                       std::string agent_id, const std::atomic<bool>& stopping)
    : connection_(connection),
      telemetry_(telemetry),
      agent_id_(std::move(agent_id)),
      stopping_(stopping) {
  telemetry::Meter meter = telemetry_.meter();
  processed_ = meter.CreateInt64Counter("agent_tasks_processed",
                                        "Tasks this agent handled, by task type and status.");
  duration_ = meter.CreateHistogram("agent_task_processing_duration",
                                    "Time a handler took for one task.", "s");
}

void TaskRunner::Run(const eventbus::TaskMessage& task, const TaskHandler& handler) {
  const Context delivered =
      telemetry::ExtractTraceHeaders(task.metadata(), *connection_.propagator_ptr(), Context());

  telemetry::StartSpanOptions consume_options;
  consume_options.kind = SpanKind::kConsumer;
  consume_options.parent = &delivered;
  consume_options.attributes = {
      {contract::kEventType, task.task_type()},
      {contract::kEventId, task.task_id()},
      {contract::kSourceAgent, task.requester_agent_id()},
      {contract::kConsumerAgent, agent_id_},
      {contract::kMessagingSystem, contract::kMessagingSystemValue},
      {contract::kMessagingOperation, contract::kOperationReceive},
      {contract::kMessagingOperationType, contract::kOperationReceive},
      {contract::kMessagingDestinationName, task.task_type()},
      {contract::kMessagingMessageId, task.task_id()},
      {contract::kAttrDeliveryAttempt, static_cast<int64_t>(DeliveryAttemptOf(task))},
  };
  Span consume = telemetry_.tracer.StartSpan(contract::kConsumeEvent, consume_options);
  const Context consume_context = delivered.WithSpan(consume);

  telemetry::StartSpanOptions process_options;
  process_options.parent = &consume_context;
  process_options.attributes = {{contract::kTaskType, task.task_type()},
                                {contract::kTaskId, task.task_id()}};
  for (const auto& [key, value] : task.parameters().fields()) {
    process_options.attributes.emplace_back(contract::kTaskParameterPrefix + key,
                                            ValueToAttribute(value));
  }
  Span process = telemetry_.tracer.StartSpan(contract::kProcessTask, process_options);
  const Context process_context = consume_context.WithSpan(process);

  const auto started = std::chrono::steady_clock::now();
  HandlerResult outcome;
  {
    telemetry::ContextScope scope(process_context);
    bool exception_recorded = false;
    if (!handler) {
      outcome =
          HandlerResult::Failure("unknown task type: " + task.task_type(), "unknown_task_type");
    } else {
      TaskContext context(task, process_context, telemetry_.tracer, connection_, agent_id_,
                          telemetry_.log(), stopping_);
      outcome = Invoke(handler, context, process, &exception_recorded);
    }
    if (outcome.ok()) {
      process.SetAttribute(contract::kProcessingStatus, contract::kCompleted);
    } else {
      process.SetAttribute(contract::kProcessingStatus, contract::kFailed);
      process.SetAttribute(contract::kErrorType, outcome.error_type());
      if (!exception_recorded) process.RecordError(outcome.error_type(), outcome.error());
      process.SetStatus(StatusCode::kError, outcome.error());
      telemetry_.log().Warn("task failed", {{"task_id", task.task_id()},
                                            {"task_type", task.task_type()},
                                            {"error", outcome.error()}});
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  duration_.Record(seconds);
  processed_.Add(
      1, {{"task_type", task.task_type()}, {"status", outcome.ok() ? "completed" : "failed"}});

  PublishResult(task, outcome, process_context);
  process.End();
  consume.End();
}

HandlerResult TaskRunner::Invoke(const TaskHandler& handler, TaskContext& context, Span& span,
                                 bool* exception_recorded) {
  try {
    return handler(context);
  } catch (const std::exception& e) {
    span.RecordException(e);  // the `exception` event with type and message
    *exception_recorded = true;
    return HandlerResult::Failure(e.what(), TypeName(typeid(e)));
  } catch (...) {
    return HandlerResult::Failure("handler threw a non-standard exception", "unknown");
  }
}

void TaskRunner::PublishResult(const eventbus::TaskMessage& task, const HandlerResult& outcome,
                               const Context& parent) {
  eventbus::PublishTaskResultRequest request;
  eventbus::TaskResult& result = *request.mutable_result();
  result.set_task_id(task.task_id());
  result.set_status(outcome.ok() ? eventbus::TASK_STATUS_COMPLETED : eventbus::TASK_STATUS_FAILED);
  *result.mutable_result() = outcome.data();
  result.set_error_message(outcome.error());
  result.set_executor_agent_id(agent_id_);
  *result.mutable_completed_at() = google::protobuf::util::TimeUtil::GetCurrentTime();

  telemetry::StartSpanOptions options;
  options.kind = SpanKind::kProducer;
  options.parent = &parent;
  options.attributes = {
      {contract::kResultStatus, outcome.ok() ? contract::kSuccess : contract::kFailure},
      {contract::kTaskId, task.task_id()},
      {contract::kTaskStatus, eventbus::TaskStatus_Name(result.status())},
      {contract::kRequesterAgent, task.requester_agent_id()},
      {contract::kMessagingSystem, contract::kMessagingSystemValue},
      {contract::kMessagingOperationType, contract::kOperationSend},
      {contract::kMessagingOperationName, contract::kOperationPublish},
      {contract::kMessagingMessageId, task.task_id()},
      {contract::kRpcSystem, contract::kRpcSystemGrpc},
      {contract::kRpcService, contract::kRpcServiceEventBus},
      {contract::kRpcMethod, "PublishTaskResult"},
  };
  Span span = telemetry_.tracer.StartSpan(contract::kPublishResult, options);
  const Context context = parent.WithSpan(span);
  telemetry::InjectTraceHeaders(context, result.mutable_execution_metadata(),
                                connection_.propagator());
  const grpc::Status status = connection_.Call(context, [&](grpc::ClientContext& call) {
    eventbus::PublishResponse response;
    return connection_.stub().PublishTaskResult(&call, request, &response);
  });
  if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    // Delivered more than once and another attempt answered first: the
    // broker kept that result. Not an error of this agent.
    span.AddEvent(contract::kAlreadySettled);
    telemetry_.log().Info(context, "result not needed: the task was already settled",
                          {{"task_id", task.task_id()}});
  } else if (!status.ok()) {
    const std::string code = GrpcStatusName(status.error_code());
    span.SetAttribute(contract::kErrorType, code);
    span.RecordError(code, status.error_message());
    span.SetStatus(StatusCode::kError, status.error_message());
    telemetry_.log().Error(
        context, "result not delivered to the broker",
        {{"task_id", task.task_id()}, {"grpc.status", code}, {"error", status.error_message()}});
  }
  span.End();
}

}  // namespace agenthub::client
