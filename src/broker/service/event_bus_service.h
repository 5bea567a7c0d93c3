// EventBusService: the gRPC callback (reactor) implementation of
// eventbus.EventBus. No thread per stream: streams are reactors driven by
// gRPC's completion threads. Unary publishes validate, open the route span
// and call the routing core; subscriptions become TaskStream/UpdateStream.
#pragma once

#include <memory>
#include <mutex>
#include <set>

#include "broker/routing/router.h"
#include "broker/service/instrumentation.h"
#include "broker/service/task_stream.h"
#include "broker/service/update_stream.h"
#include "broker/validation.h"
#include "eventbus.grpc.pb.h"

namespace agenthub::broker {

struct ServiceOptions {
  ValidationLimits validation;
  size_t task_window = 8;        // tasks handed to one stream before its writes finish
  size_t update_backlog = 1024;  // results/progress buffered per slow stream
};

// The typed methods below are what gRPC would call; the constructor
// registers raw-bytes handlers in their place that parse the request first
// (request_decoding.h), so a request that does not parse is answered with
// INVALID_ARGUMENT naming the field instead of gRPC's bare UNIMPLEMENTED.
class EventBusService final : public eventbus::EventBus::CallbackService {
 public:
  EventBusService(std::shared_ptr<Router> router, Instrumentation& instrumentation,
                  ServiceOptions options);

  grpc::ServerUnaryReactor* PublishTask(grpc::CallbackServerContext* context,
                                        const eventbus::PublishTaskRequest* request,
                                        eventbus::PublishResponse* response) override;
  grpc::ServerUnaryReactor* PublishTaskResult(grpc::CallbackServerContext* context,
                                              const eventbus::PublishTaskResultRequest* request,
                                              eventbus::PublishResponse* response) override;
  grpc::ServerUnaryReactor* PublishTaskProgress(grpc::CallbackServerContext* context,
                                                const eventbus::PublishTaskProgressRequest* request,
                                                eventbus::PublishResponse* response) override;
  grpc::ServerWriteReactor<eventbus::TaskMessage>* SubscribeToTasks(
      grpc::CallbackServerContext* context,
      const eventbus::SubscribeToTasksRequest* request) override;
  grpc::ServerWriteReactor<eventbus::TaskResult>* SubscribeToTaskResults(
      grpc::CallbackServerContext* context,
      const eventbus::SubscribeToTaskResultsRequest* request) override;
  grpc::ServerWriteReactor<eventbus::TaskProgress>* SubscribeToTaskProgress(
      grpc::CallbackServerContext* context,
      const eventbus::SubscribeToTaskResultsRequest* request) override;

  // Publishes a FAILED result for a task whose deadline passed in a queue.
  void ReportExpired(const RoutedTask& task);
  // Publishes a FAILED result from agenthub-broker for a task that will not
  // complete (dead-lettered, or still unsettled at shutdown).
  void ReportFailed(const RoutedTask& task, const std::string& error, std::string_view log_message);
  // The router's DeliveryHooks: redelivery spans, dead-letter results. The
  // router holds it; it holds this service, so the router must drop it
  // (SetDeliveryHooks(nullptr)) before the service goes.
  std::shared_ptr<DeliveryHooks> MakeDeliveryHooks();
  // Graceful shutdown: ends every open stream with OK.
  void CloseAllStreams();

 private:
  void RegisterDecodingHandlers();
  // Parses a request; on failure counts and logs it, and returns the status.
  grpc::Status Decode(const grpc::ByteBuffer& bytes, google::protobuf::Message* out,
                      std::string_view event_type);

  // Routes a result or progress update: route span, metrics, fan-out.
  template <typename Update>
  grpc::Status RouteUpdate(const telemetry::Context& grpc_context, Update update,
                           std::string_view span_name, std::string_view event_type,
                           ResultOrigin origin = ResultOrigin::kExecutor);

  std::shared_ptr<Router> router_;
  Instrumentation& instrumentation_;
  const ServiceOptions options_;
  template <typename T>
  void Remember(std::vector<std::weak_ptr<T>>& list, std::shared_ptr<T> state);

  std::mutex streams_mu_;  // guards the stream lists below (used at shutdown)
  std::vector<std::weak_ptr<TaskStream::State>> task_streams_;
  std::vector<std::weak_ptr<ResultStream::State>> result_streams_;
  std::vector<std::weak_ptr<ProgressStream::State>> progress_streams_;
};

}  // namespace agenthub::broker
