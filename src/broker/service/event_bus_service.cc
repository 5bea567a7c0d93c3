#include "broker/service/event_bus_service.h"

#include <google/protobuf/util/time_util.h>

#include "agenthub/trace_contract.h"
#include "broker/service/request_decoding.h"
#include "telemetry/grpc/grpc.h"

namespace agenthub::broker {
namespace {

using telemetry::Context;
using telemetry::SteadyClock;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

Context FromGrpcMetadata(const grpc::CallbackServerContext* context,
                         const telemetry::TextMapPropagator& propagator) {
  telemetry::ServerMetadataCarrier carrier(context->client_metadata());
  return propagator.Extract(carrier, Context());
}

// The route span's hop into the message the next agent receives.
template <typename Message>
google::protobuf::Struct* TraceCarrierOf(Message& m);
template <>
google::protobuf::Struct* TraceCarrierOf(eventbus::TaskResult& m) {
  return m.mutable_execution_metadata();
}
template <>
google::protobuf::Struct* TraceCarrierOf(eventbus::TaskProgress& m) {
  return m.mutable_progress_data();
}
const google::protobuf::Struct* IncomingCarrierOf(const eventbus::TaskResult& m) {
  return m.has_execution_metadata() ? &m.execution_metadata() : nullptr;
}
const google::protobuf::Struct* IncomingCarrierOf(const eventbus::TaskProgress& m) {
  return m.has_progress_data() ? &m.progress_data() : nullptr;
}

// A hook that opens route_task under the incoming context. A directed task
// has exactly one target, so its message is injected in place rather than
// copied; broadcast targets each get a copy.
class TracingRouteHook : public RouteHook {
 public:
  TracingRouteHook(Instrumentation& instrumentation, const Context& parent,
                   std::shared_ptr<eventbus::TaskMessage> single_target_message)
      : instrumentation_(instrumentation),
        parent_(parent),
        in_place_(std::move(single_target_message)) {}
  RoutedTaskPtr BeginRoute(const TaskPtr& task, std::string_view target_agent) override {
    return instrumentation_.BeginRoute(parent_, task, target_agent, std::move(in_place_));
  }

 private:
  Instrumentation& instrumentation_;
  const Context& parent_;
  std::shared_ptr<eventbus::TaskMessage> in_place_;
};

// A stream refused before it starts: it finishes at once with `status`.
template <typename Message>
class RefusedStream : public grpc::ServerWriteReactor<Message> {
 public:
  explicit RefusedStream(grpc::Status status) { this->Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* context,
                                  eventbus::PublishResponse* response, grpc::Status status) {
  response->set_success(status.ok());
  if (!status.ok()) response->set_error(status.error_message());
  auto* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace

EventBusService::EventBusService(std::shared_ptr<Router> router, Instrumentation& instrumentation,
                                 ServiceOptions options)
    : router_(std::move(router)), instrumentation_(instrumentation), options_(options) {
  RegisterDecodingHandlers();
}

namespace {

// Method indices: the order of the rpcs in eventbus.proto's service, which
// the generated CallbackService registers them in.
enum MethodIndex : int {
  kPublishTask = 0,
  kSubscribeToTasks = 1,
  kPublishTaskResult = 2,
  kSubscribeToTaskResults = 3,
  kPublishTaskProgress = 4,
  kSubscribeToTaskProgress = 5,
};

// The generated code's handler types with the request as raw bytes (the
// same handlers its WithRawCallbackMethod_* variants use, but with typed
// responses, so the streams keep writing messages).
template <typename Response>
using UnaryHandler = grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, Response>;
template <typename Response>
using StreamHandler = grpc::internal::CallbackServerStreamingHandler<grpc::ByteBuffer, Response>;

}  // namespace

grpc::Status EventBusService::Decode(const grpc::ByteBuffer& bytes, google::protobuf::Message* out,
                                     std::string_view event_type) {
  grpc::Status status = DecodeRequest(bytes, options_.validation.max_struct_depth, out);
  if (!status.ok()) {
    instrumentation_.CountError(event_type, "", "invalid_argument");
    instrumentation_.CountRejected("invalid");
    instrumentation_.log().Warn(
        "request refused: undecodable",
        {{"request", out->GetDescriptor()->name()}, {"reason", status.error_message()}});
  }
  return status;
}

void EventBusService::RegisterDecodingHandlers() {
  using eventbus::PublishResponse;
  MarkMethodCallback(kPublishTask,
                     new UnaryHandler<PublishResponse>([this](grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* bytes,
                                                              PublishResponse* response) {
                       eventbus::PublishTaskRequest request;
                       grpc::Status s = Decode(*bytes, &request, "task");
                       if (!s.ok()) return Respond(context, response, s);
                       return PublishTask(context, &request, response);
                     }));
  MarkMethodCallback(kPublishTaskResult,
                     new UnaryHandler<PublishResponse>([this](grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* bytes,
                                                              PublishResponse* response) {
                       eventbus::PublishTaskResultRequest request;
                       grpc::Status s = Decode(*bytes, &request, "task_result");
                       if (!s.ok()) return Respond(context, response, s);
                       return PublishTaskResult(context, &request, response);
                     }));
  MarkMethodCallback(kPublishTaskProgress,
                     new UnaryHandler<PublishResponse>([this](grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* bytes,
                                                              PublishResponse* response) {
                       eventbus::PublishTaskProgressRequest request;
                       grpc::Status s = Decode(*bytes, &request, "task_progress");
                       if (!s.ok()) return Respond(context, response, s);
                       return PublishTaskProgress(context, &request, response);
                     }));
  MarkMethodCallback(kSubscribeToTasks,
                     new StreamHandler<eventbus::TaskMessage>(
                         [this](grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes)
                             -> grpc::ServerWriteReactor<eventbus::TaskMessage>* {
                           eventbus::SubscribeToTasksRequest request;
                           grpc::Status s = Decode(*bytes, &request, "subscribe_tasks");
                           if (!s.ok())
                             return new RefusedStream<eventbus::TaskMessage>(std::move(s));
                           return SubscribeToTasks(context, &request);
                         }));
  MarkMethodCallback(
      kSubscribeToTaskResults,
      new StreamHandler<eventbus::TaskResult>(
          [this](grpc::CallbackServerContext* context,
                 const grpc::ByteBuffer* bytes) -> grpc::ServerWriteReactor<eventbus::TaskResult>* {
            eventbus::SubscribeToTaskResultsRequest request;
            grpc::Status s = Decode(*bytes, &request, "subscribe_results");
            if (!s.ok()) return new RefusedStream<eventbus::TaskResult>(std::move(s));
            return SubscribeToTaskResults(context, &request);
          }));
  MarkMethodCallback(kSubscribeToTaskProgress,
                     new StreamHandler<eventbus::TaskProgress>(
                         [this](grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes)
                             -> grpc::ServerWriteReactor<eventbus::TaskProgress>* {
                           eventbus::SubscribeToTaskResultsRequest request;
                           grpc::Status s = Decode(*bytes, &request, "subscribe_progress");
                           if (!s.ok())
                             return new RefusedStream<eventbus::TaskProgress>(std::move(s));
                           return SubscribeToTaskProgress(context, &request);
                         }));
}

template <typename T>
void EventBusService::Remember(std::vector<std::weak_ptr<T>>& list, std::shared_ptr<T> state) {
  std::lock_guard lock(streams_mu_);
  if (list.size() > 64 && list.size() % 64 == 0) {
    std::erase_if(list, [](const std::weak_ptr<T>& w) { return w.expired(); });
  }
  list.push_back(std::move(state));
}

grpc::ServerUnaryReactor* EventBusService::PublishTask(grpc::CallbackServerContext* context,
                                                       const eventbus::PublishTaskRequest* request,
                                                       eventbus::PublishResponse* response) {
  const auto start = SteadyClock::now();
  const eventbus::TaskMessage& task = request->task();
  // A copy: the task is moved out of the request below.
  const std::string source = task.requester_agent_id();
  if (!request->has_task()) {
    instrumentation_.CountError("task", "", "invalid_argument");
    return Respond(context, response,
                   grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "task is required"));
  }
  if (auto problem = ValidateTask(task, options_.validation)) {
    instrumentation_.CountError("task", source, "invalid_argument");
    instrumentation_.CountRejected("invalid");
    instrumentation_.log().Warn("task refused: invalid",
                                {{"task_id", task.task_id()}, {"reason", *problem}});
    return Respond(context, response, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, *problem));
  }
  const Context parent =
      instrumentation_.Incoming(task.has_metadata() ? &task.metadata() : nullptr,
                                FromGrpcMetadata(context, instrumentation_.propagator()));
  // The request is ours until the reactor finishes: taking its task saves a
  // deep copy of the message (and the destruction of a second one).
  auto owned = std::make_shared<eventbus::TaskMessage>();
  owned->Swap(const_cast<eventbus::PublishTaskRequest*>(request)->mutable_task());
  const eventbus::TaskMessage& published = *owned;
  TracingRouteHook hook(instrumentation_, parent,
                        published.responder_agent_id().empty() ? nullptr : owned);
  const auto route_start = SteadyClock::now();
  PublishOutcome outcome = router_->PublishTask(owned, hook);
  instrumentation_.RecordRouting(SecondsSince(route_start));

  grpc::Status status;
  switch (outcome.status) {
    case PublishStatus::kAccepted:
      instrumentation_.log().Debug(parent, "task routed",
                                   {{"task_id", published.task_id()},
                                    {"task_type", published.task_type()},
                                    {contract::kSourceAgent, source},
                                    {"targets", static_cast<int64_t>(outcome.targets.size())},
                                    {"waiting_for_subscriber", outcome.waiting_for_subscriber}});
      break;
    case PublishStatus::kQueueFull:
      instrumentation_.CountRejected("queue_full");
      instrumentation_.CountError("task", source, "resource_exhausted");
      instrumentation_.log().Warn(parent, "task refused: queue full",
                                  {{"task_id", published.task_id()}, {"reason", outcome.error}});
      status = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, outcome.error);
      break;
    case PublishStatus::kShuttingDown:
      instrumentation_.CountRejected("shutting_down");
      instrumentation_.CountError("task", source, "unavailable");
      status = grpc::Status(grpc::StatusCode::UNAVAILABLE, outcome.error);
      break;
  }
  instrumentation_.CountProcessed("task", source, status.ok(), SecondsSince(start));
  return Respond(context, response, status);
}

template <typename Update>
grpc::Status EventBusService::RouteUpdate(const Context& grpc_context, Update update,
                                          std::string_view span_name, std::string_view event_type,
                                          ResultOrigin origin) {
  const auto start = SteadyClock::now();
  const Context parent = instrumentation_.Incoming(IncomingCarrierOf(update), grpc_context);
  telemetry::Span span = instrumentation_.StartUpdateRoute(span_name, parent, update.task_id(),
                                                           update.executor_agent_id());
  span.SetAttribute(contract::kTaskStatus, eventbus::TaskStatus_Name(update.status()));
  telemetry::InjectTraceHeaders(parent.WithSpan(span), TraceCarrierOf(update),
                                instrumentation_.propagator());
  auto shared = std::make_shared<const Update>(std::move(update));
  size_t reached;
  bool waiting = false;
  if constexpr (std::is_same_v<Update, eventbus::TaskResult>) {
    const ResultOutcome outcome = router_->PublishResult(shared, origin);
    if (outcome.ack == AckStatus::kAlreadySettled) {
      // At-least-once delivery makes a second final result normal (a slow
      // executor answering after its lease ran out): refused, never
      // forwarded. ALREADY_EXISTS is not retried by clients.
      const std::string error =
          "task " + shared->task_id() + " is already settled: an earlier final result was accepted";
      span.AddEvent(contract::kEventDuplicateResult);
      span.SetAttribute(contract::kErrorType, contract::kAlreadySettled);
      span.SetStatus(telemetry::StatusCode::kError, error);
      span.End();
      instrumentation_.CountError(event_type, shared->executor_agent_id(), "already_exists");
      instrumentation_.CountProcessed(event_type, shared->executor_agent_id(), false,
                                      SecondsSince(start));
      instrumentation_.log().Info(
          parent.WithSpan(span), "duplicate result refused",
          {{"task_id", shared->task_id()}, {"executor", shared->executor_agent_id()}});
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, error);
    }
    reached = outcome.reached;
    waiting = outcome.waiting;
  } else {
    reached = router_->PublishProgress(shared);
  }
  instrumentation_.RecordRouting(SecondsSince(start));
  span.SetAttribute(contract::kMessagingSubscriberCount, static_cast<int64_t>(reached));
  if (waiting) span.AddEvent(contract::kEventWaitingForRequester);
  if (reached == 0 && !waiting) {
    span.AddEvent(contract::kEventNoSubscriber);
    instrumentation_.log().Warn(parent.WithSpan(span),
                                std::string(event_type) + " reached no subscriber",
                                {{"task_id", shared->task_id()}});
  } else {
    instrumentation_.CountPublished(event_type, "requester");
  }
  span.End();
  instrumentation_.CountProcessed(event_type, shared->executor_agent_id(), true,
                                  SecondsSince(start));
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* EventBusService::PublishTaskResult(
    grpc::CallbackServerContext* context, const eventbus::PublishTaskResultRequest* request,
    eventbus::PublishResponse* response) {
  if (!request->has_result()) {
    instrumentation_.CountError("task_result", "", "invalid_argument");
    return Respond(context, response,
                   grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "result is required"));
  }
  if (auto problem = ValidateResult(request->result(), options_.validation)) {
    instrumentation_.CountError("task_result", request->result().executor_agent_id(),
                                "invalid_argument");
    return Respond(context, response, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, *problem));
  }
  return Respond(context, response,
                 RouteUpdate(FromGrpcMetadata(context, instrumentation_.propagator()),
                             request->result(), contract::kRouteResult, "task_result"));
}

grpc::ServerUnaryReactor* EventBusService::PublishTaskProgress(
    grpc::CallbackServerContext* context, const eventbus::PublishTaskProgressRequest* request,
    eventbus::PublishResponse* response) {
  if (!request->has_progress()) {
    instrumentation_.CountError("task_progress", "", "invalid_argument");
    return Respond(context, response,
                   grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "progress is required"));
  }
  if (auto problem = ValidateProgress(request->progress(), options_.validation)) {
    instrumentation_.CountError("task_progress", request->progress().executor_agent_id(),
                                "invalid_argument");
    return Respond(context, response, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, *problem));
  }
  return Respond(context, response,
                 RouteUpdate(FromGrpcMetadata(context, instrumentation_.propagator()),
                             request->progress(), contract::kRouteProgress, "task_progress"));
}

grpc::ServerWriteReactor<eventbus::TaskMessage>* EventBusService::SubscribeToTasks(
    grpc::CallbackServerContext*, const eventbus::SubscribeToTasksRequest* request) {
  if (auto problem = ValidateTaskSubscription(*request, options_.validation)) {
    instrumentation_.CountRejected("invalid");
    return new RefusedStream<eventbus::TaskMessage>(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, *problem));
  }
  auto* stream = new TaskStream(router_, instrumentation_, *request, options_.task_window);
  Remember(task_streams_, stream->state());
  return stream;
}

grpc::ServerWriteReactor<eventbus::TaskResult>* EventBusService::SubscribeToTaskResults(
    grpc::CallbackServerContext*, const eventbus::SubscribeToTaskResultsRequest* request) {
  if (auto problem = ValidateUpdateSubscription(*request, options_.validation)) {
    instrumentation_.CountRejected("invalid");
    return new RefusedStream<eventbus::TaskResult>(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, *problem));
  }
  auto* stream = new ResultStream(router_, instrumentation_, *request, UpdateKind::kResults,
                                  options_.update_backlog);
  Remember(result_streams_, stream->state());
  return stream;
}

grpc::ServerWriteReactor<eventbus::TaskProgress>* EventBusService::SubscribeToTaskProgress(
    grpc::CallbackServerContext*, const eventbus::SubscribeToTaskResultsRequest* request) {
  if (auto problem = ValidateUpdateSubscription(*request, options_.validation)) {
    instrumentation_.CountRejected("invalid");
    return new RefusedStream<eventbus::TaskProgress>(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, *problem));
  }
  auto* stream = new ProgressStream(router_, instrumentation_, *request, UpdateKind::kProgress,
                                    options_.update_backlog);
  Remember(progress_streams_, stream->state());
  return stream;
}

void EventBusService::ReportExpired(const RoutedTask& task) {
  ReportFailed(task,
               "deadline passed before delivery" +
                   (task.agent_id.empty() ? std::string(" (no agent accepted the type)")
                                          : " to agent " + task.agent_id),
               "task expired before delivery");
}

void EventBusService::ReportFailed(const RoutedTask& task, const std::string& error,
                                   std::string_view log_message) {
  eventbus::TaskResult result;
  result.set_task_id(task.message->task_id());
  result.set_status(eventbus::TASK_STATUS_FAILED);
  result.set_error_message(error);
  result.set_executor_agent_id(contract::kBrokerExecutorId);
  *result.mutable_completed_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  (*result.mutable_execution_metadata()->mutable_fields())[kDeliveryAttemptKey].set_number_value(
      task.attempt);
  // The verdict hangs under the span of the attempt it ended.
  const Context route_context =
      Context().WithSpan(task.attempt == 1 ? task.route_span : task.attempt_span);
  instrumentation_.log().Warn(route_context, std::string(log_message),
                              {{"task_id", task.message->task_id()},
                               {contract::kTargetAgent, task.agent_id},
                               {"attempts", static_cast<int64_t>(task.attempt)},
                               {"error", error}});
  telemetry::InjectTraceHeaders(route_context, result.mutable_execution_metadata(),
                                instrumentation_.propagator());
  RouteUpdate(Context(), std::move(result), contract::kRouteResult, "task_result",
              ResultOrigin::kBroker);
}

namespace {
class ServiceDeliveryHooks : public DeliveryHooks {
 public:
  ServiceDeliveryHooks(EventBusService& service, Instrumentation& instrumentation)
      : service_(service), instrumentation_(instrumentation) {}
  void BeginAttempt(RoutedTask& task, eventbus::TaskMessage& message,
                    AttemptEnd previous) override {
    instrumentation_.BeginAttempt(task, message, previous);
  }
  void OnDeadLettered(const RoutedTaskPtr& task, const std::string& reason) override {
    service_.ReportFailed(*task, reason, "task dead-lettered");
  }

 private:
  EventBusService& service_;
  Instrumentation& instrumentation_;
};
}  // namespace

std::shared_ptr<DeliveryHooks> EventBusService::MakeDeliveryHooks() {
  return std::make_shared<ServiceDeliveryHooks>(*this, instrumentation_);
}

void EventBusService::CloseAllStreams() {
  std::lock_guard lock(streams_mu_);
  for (auto& w : task_streams_) {
    if (auto s = w.lock()) s->Close(grpc::Status::OK);
  }
  for (auto& w : result_streams_) {
    if (auto s = w.lock()) s->Close(grpc::Status::OK);
  }
  for (auto& w : progress_streams_) {
    if (auto s = w.lock()) s->Close(grpc::Status::OK);
  }
}

}  // namespace agenthub::broker
