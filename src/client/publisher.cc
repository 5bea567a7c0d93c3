#include "client/publisher.h"

#include <google/protobuf/util/time_util.h>

#include "agenthub/trace_contract.h"
#include "client/struct_values.h"
#include "telemetry/grpc/grpc.h"

namespace agenthub::client {
namespace {

using google::protobuf::util::TimeUtil;
using telemetry::Context;
using telemetry::Span;
using telemetry::SpanKind;
using telemetry::StatusCode;

// How long progress updates that trail their result are still delivered.
constexpr auto kProgressLinger = std::chrono::seconds(10);

google::protobuf::Timestamp ToTimestamp(std::chrono::system_clock::time_point t) {
  return TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

}  // namespace

std::string NewTaskId() { return "task_" + telemetry::NewTraceId().ToHex(); }

Publisher::Publisher(std::shared_ptr<Connection> connection, PublisherOptions options,
                     ClientTelemetry telemetry)
    : connection_(std::move(connection)),
      options_(std::move(options)),
      telemetry_(std::move(telemetry)),
      pending_([this](PendingTask& task) {
        TaskOutcome outcome;
        outcome.kind = TaskOutcome::Kind::kTimedOut;
        outcome.error = "no result within " +
                        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           task.give_up_at - task.started)
                                           .count()) +
                        " ms";
        telemetry_.log().Warn(task.publish_context, "task result timed out",
                              {{"task_id", task.task_id}, {"error", outcome.error}});
        Finish(task, std::move(outcome));
      }),
      results_(
          connection_, "results",
          [this](grpc::ClientContext& c, const std::function<void()>& opened) {
            return RunResults(c, opened);
          },
          telemetry_.log()) {
  telemetry::Meter meter = telemetry_.meter();
  // Labelled by outcome only: task types are the application's, unbounded.
  published_ = meter.CreateInt64Counter(
      "agent_tasks_published",
      "Tasks this agent published, by outcome: completed, failed, publish_failed, "
      "timed_out or abandoned.");
  round_trip_ = meter.CreateHistogram("agent_task_round_trip_duration",
                                      "From publishing a task to receiving its result.", "s");
  if (options_.receive_progress) {
    progress_ = std::make_unique<ReconnectingStream>(
        connection_, "progress",
        [this](grpc::ClientContext& c, const std::function<void()>& opened) {
          return RunProgress(c, opened);
        },
        telemetry_.log());
  }
}

Publisher::~Publisher() { Stop(); }

bool Publisher::Start(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  results_.Start();
  if (progress_) progress_->Start();
  auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::max(
        deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration{}));
  };
  bool open = results_.WaitUntilOpen(left());
  if (progress_) open = progress_->WaitUntilOpen(left()) && open;
  return open;
}

void Publisher::Stop() {
  results_.Stop();
  if (progress_) progress_->Stop();
  for (auto& task : pending_.Stop()) {
    TaskOutcome outcome;
    outcome.kind = TaskOutcome::Kind::kAbandoned;
    outcome.error = "publisher stopped before the result arrived";
    Finish(*task, std::move(outcome));
  }
}

bool Publisher::IsReady() const { return connection_->IsConnected() && results_.IsOpen(); }

std::future<TaskOutcome> Publisher::Publish(TaskRequest request, ProgressCallback on_progress,
                                            const Context& parent) {
  auto promise = std::make_shared<std::promise<TaskOutcome>>();
  std::future<TaskOutcome> future = promise->get_future();
  PublishAsync(
      std::move(request), [promise](const TaskOutcome& outcome) { promise->set_value(outcome); },
      std::move(on_progress), parent);
  return future;
}

eventbus::PublishTaskRequest Publisher::BuildRequest(TaskRequest& request) const {
  eventbus::PublishTaskRequest rpc_request;
  eventbus::TaskMessage& task = *rpc_request.mutable_task();
  task.set_task_id(request.task_id.empty() ? NewTaskId() : std::move(request.task_id));
  task.set_task_type(std::move(request.task_type));
  *task.mutable_parameters() = std::move(request.parameters);
  task.set_requester_agent_id(options_.agent_id);
  task.set_responder_agent_id(std::move(request.responder_agent_id));
  task.set_priority(request.priority);
  if (request.deadline) *task.mutable_deadline() = ToTimestamp(*request.deadline);
  *task.mutable_metadata() = std::move(request.metadata);
  *task.mutable_created_at() = TimeUtil::GetCurrentTime();
  return rpc_request;
}

Context Publisher::StartPublishSpan(const eventbus::TaskMessage& task, const Context& base) {
  telemetry::StartSpanOptions span_options;
  span_options.kind = SpanKind::kProducer;
  span_options.parent = &base;
  span_options.attributes = {
      {contract::kEventType, task.task_type()},
      {contract::kEventId, task.task_id()},
      {contract::kResponderAgent, task.responder_agent_id()},
      {contract::kRequesterAgent, options_.agent_id},
      {contract::kTaskPriority, eventbus::Priority_Name(task.priority())},
      {contract::kMessagingSystem, contract::kMessagingSystemValue},
      {contract::kMessagingOperationType, contract::kOperationSend},
      {contract::kMessagingOperationName, contract::kOperationPublish},
      {contract::kMessagingDestinationName, task.task_type()},
      {contract::kMessagingMessageId, task.task_id()},
      {contract::kRpcSystem, contract::kRpcSystemGrpc},
      {contract::kRpcService, contract::kRpcServiceEventBus},
      {contract::kRpcMethod, "PublishTask"},
  };
  return base.WithSpan(telemetry_.tracer.StartSpan(contract::kPublishEvent, span_options));
}

std::shared_ptr<PendingTask> Publisher::Await(const std::string& task_id, ResultCallback on_result,
                                              ProgressCallback on_progress,
                                              std::chrono::milliseconds timeout,
                                              const Context& context) const {
  auto pending = std::make_shared<PendingTask>();
  pending->task_id = task_id;
  pending->on_result = std::move(on_result);
  pending->on_progress = std::move(on_progress);
  pending->started = std::chrono::steady_clock::now();
  pending->give_up_at =
      pending->started + (timeout.count() > 0 ? timeout : options_.result_timeout);
  pending->publish_context = context;
  return pending;
}

grpc::Status Publisher::Send(const eventbus::PublishTaskRequest& request, bool added,
                             const Context& context) {
  if (!added) {
    return pending_.stopped()
               ? grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the publisher is stopped")
               : grpc::Status(
                     grpc::StatusCode::ALREADY_EXISTS,
                     "task id " + request.task().task_id() + " is already waiting for its result");
  }
  return connection_->Call(context, [&](grpc::ClientContext& call) {
    eventbus::PublishResponse response;
    return connection_->stub().PublishTask(&call, request, &response);
  });
}

void Publisher::FailPublish(const std::shared_ptr<PendingTask>& pending, bool added,
                            const grpc::Status& status, const Context& context) {
  Span span = context.span();
  const std::string code = GrpcStatusName(status.error_code());
  span.SetAttribute(contract::kErrorType, code);
  span.RecordError(code, status.error_message());
  span.SetStatus(StatusCode::kError, status.error_message());
  span.End();
  telemetry_.log().Error(
      context, "task publish failed",
      {{"task_id", pending->task_id}, {"grpc.status", code}, {"error", status.error_message()}});
  TaskOutcome outcome;
  outcome.kind = TaskOutcome::Kind::kPublishFailed;
  outcome.error = code + ": " + status.error_message();
  if (!added) {
    Finish(*pending, std::move(outcome));  // never entered the table
  } else if (auto taken = pending_.Take(pending->task_id)) {
    Finish(*taken, std::move(outcome));
  }
}

std::string Publisher::PublishAsync(TaskRequest request, ResultCallback on_result,
                                    ProgressCallback on_progress, const Context& parent) {
  eventbus::PublishTaskRequest rpc_request = BuildRequest(request);
  eventbus::TaskMessage& task = *rpc_request.mutable_task();
  telemetry::Baggage baggage = parent.baggage();
  for (const auto& [key, value] : request.baggage) baggage = baggage.Set(key, value);
  const Context context = StartPublishSpan(task, parent.WithBaggage(baggage));
  telemetry::InjectTraceHeaders(context, task.mutable_metadata(), connection_->propagator());
  const std::string task_id = task.task_id();
  auto pending =
      Await(task_id, std::move(on_result), std::move(on_progress), request.result_timeout, context);
  // Waiting starts before the RPC: a fast executor's result may arrive
  // before the publish call returns.
  const bool added = pending_.Add(pending);
  const grpc::Status status = Send(rpc_request, added, context);
  if (!status.ok()) {
    FailPublish(pending, added, status, context);
    return task_id;
  }
  Span span = context.span();
  span.End();
  telemetry_.log().Debug(context, "task published",
                         {{"task_id", task_id}, {"task_type", task.task_type()}});
  return task_id;
}

void Publisher::Finish(PendingTask& task, TaskOutcome outcome) {
  outcome.task_id = task.task_id;
  outcome.trace_id = task.publish_context.span().context().trace_id().ToHex();
  outcome.elapsed = std::chrono::steady_clock::now() - task.started;
  std::string label = OutcomeKindName(outcome.kind);
  if (outcome.kind == TaskOutcome::Kind::kResult) {
    label = outcome.completed() ? "completed" : "failed";
    round_trip_.Record(std::chrono::duration<double>(outcome.elapsed).count());
  }
  published_.Add(1, {{"outcome", label}});
  if (!task.on_result) return;
  try {
    task.on_result(outcome);
  } catch (const std::exception& e) {
    telemetry_.log().Error(task.publish_context, "result callback threw",
                           {{"task_id", task.task_id}, {"error", e.what()}});
  }
}

grpc::Status Publisher::RunResults(grpc::ClientContext& context,
                                   const std::function<void()>& opened) {
  eventbus::SubscribeToTaskResultsRequest request;
  request.set_requester_agent_id(options_.agent_id);
  auto reader = connection_->stub().SubscribeToTaskResults(&context, request);
  // The broker's initial metadata says the subscription is registered: a
  // result routed after this cannot pass us by. Start() bounds the wait.
  reader->WaitForInitialMetadata();
  opened();
  while (true) {
    eventbus::TaskResult result;
    if (!reader->Read(&result)) break;
    OnResult(result);
  }
  return reader->Finish();
}

grpc::Status Publisher::RunProgress(grpc::ClientContext& context,
                                    const std::function<void()>& opened) {
  eventbus::SubscribeToTaskResultsRequest request;
  request.set_requester_agent_id(options_.agent_id);
  auto reader = connection_->stub().SubscribeToTaskProgress(&context, request);
  reader->WaitForInitialMetadata();  // registered (see RunResults)
  opened();
  while (true) {
    eventbus::TaskProgress progress;
    if (!reader->Read(&progress)) break;
    OnProgress(progress);
  }
  return reader->Finish();
}

void Publisher::OnResult(const eventbus::TaskResult& result) {
  std::shared_ptr<PendingTask> task = pending_.Take(result.task_id());
  if (task && task->on_progress) {
    pending_.Linger(task->task_id, task->on_progress, kProgressLinger);
  }
  if (!task) {
    // De-duplication by task id: only the first result completes a task.
    duplicate_results_.fetch_add(1);
    telemetry_.log().Debug("result for a task no longer awaited", {{"task_id", result.task_id()}});
    return;
  }
  // The broker's route_result is the parent; without trace headers (an
  // agent that does not propagate) the trace still closes at publish_event.
  Context parent = telemetry::ExtractTraceHeaders(result.execution_metadata(),
                                                  connection_->propagator(), Context());
  if (!parent.span().context().IsValid()) parent = task->publish_context;
  if (parent.baggage().empty()) parent = parent.WithBaggage(task->publish_context.baggage());
  const bool completed = result.status() == eventbus::TASK_STATUS_COMPLETED;
  telemetry::StartSpanOptions span_options;
  span_options.kind = SpanKind::kConsumer;
  span_options.parent = &parent;
  span_options.attributes = {
      {contract::kTaskId, result.task_id()},
      {contract::kTaskStatus, eventbus::TaskStatus_Name(result.status())},
      {contract::kResultStatus, completed ? contract::kSuccess : contract::kFailure},
      {contract::kExecutorAgent, result.executor_agent_id()},
      {contract::kMessagingSystem, contract::kMessagingSystemValue},
      {contract::kMessagingOperationType, contract::kOperationReceive},
      {contract::kMessagingOperation, contract::kOperationReceive},
      {contract::kMessagingMessageId, result.task_id()},
  };
  span_options.links.push_back({task->publish_context.span().context(), {}, 0});
  Span span = telemetry_.tracer.StartSpan(contract::kConsumeResult, span_options);
  if (!completed) {
    span.SetAttribute(contract::kErrorType, contract::kTaskFailedErrorType);
    span.SetStatus(StatusCode::kError, result.error_message());
  }
  TaskOutcome outcome;
  outcome.kind = TaskOutcome::Kind::kResult;
  outcome.result = result;
  outcome.error = result.error_message();
  {
    telemetry::ContextScope scope(parent.WithSpan(span));
    telemetry_.log().Info("task result received",
                          {{"task_id", result.task_id()},
                           {"status", eventbus::TaskStatus_Name(result.status())},
                           {"executor", result.executor_agent_id()}});
    Finish(*task, std::move(outcome));
  }
  span.End();
}

void Publisher::OnProgress(const eventbus::TaskProgress& progress) {
  ProgressCallback on_progress = pending_.ProgressFor(progress.task_id());
  if (!on_progress) return;
  try {
    on_progress(progress);
  } catch (const std::exception& e) {
    telemetry_.log().Error("progress callback threw",
                           {{"task_id", progress.task_id()}, {"error", e.what()}});
  }
}

}  // namespace agenthub::client
