#include "client/task_context.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "agenthub/trace_contract.h"
#include "client/struct_values.h"
#include "telemetry/grpc/grpc.h"

namespace agenthub::client {

TaskContext::TaskContext(const eventbus::TaskMessage& task, telemetry::Context context,
                         const telemetry::Tracer& tracer, Connection& connection,
                         std::string_view agent_id, telemetry::Logger& log,
                         const std::atomic<bool>& stopping)
    : task_(task),
      context_(std::move(context)),
      tracer_(tracer),
      connection_(connection),
      agent_id_(agent_id),
      log_(log),
      stopping_(stopping),
      attempt_(DeliveryAttemptOf(task)) {}

uint32_t DeliveryAttemptOf(const eventbus::TaskMessage& task) {
  if (!task.has_metadata()) return 1;
  const auto& fields = task.metadata().fields();
  auto it = fields.find(contract::kDeliveryAttemptKey);
  if (it == fields.end() || !it->second.has_number_value()) return 1;
  const double n = it->second.number_value();
  return n >= 1 && n < 1e9 ? static_cast<uint32_t>(n) : 1;
}

std::optional<std::string> TaskContext::GetString(std::string_view key) const {
  return client::GetString(task_.parameters(), key);
}

std::optional<double> TaskContext::GetNumber(std::string_view key) const {
  return client::GetNumber(task_.parameters(), key);
}

std::optional<std::string> TaskContext::Baggage(std::string_view key) const {
  auto value = context_.baggage().Get(key);
  if (!value) return std::nullopt;
  return std::string(*value);
}

void TaskContext::SetAttribute(std::string_view key, telemetry::AttributeValue value) const {
  telemetry::Span span = context_.span();
  span.SetAttribute(key, std::move(value));
}

void TaskContext::AddEvent(std::string_view name, telemetry::Attributes attributes) const {
  telemetry::Span span = context_.span();
  span.AddEvent(name, std::move(attributes));
}

telemetry::Span TaskContext::StartSpan(std::string_view name,
                                       telemetry::Attributes attributes) const {
  telemetry::StartSpanOptions options;
  options.parent = &context_;
  options.attributes = std::move(attributes);
  return tracer_.StartSpan(name, options);
}

bool TaskContext::ReportProgress(int percentage, std::string_view message,
                                 google::protobuf::Struct data) const {
  eventbus::PublishTaskProgressRequest request;
  eventbus::TaskProgress& progress = *request.mutable_progress();
  progress.set_task_id(task_.task_id());
  progress.set_status(eventbus::TASK_STATUS_IN_PROGRESS);
  progress.set_progress_message(std::string(message));
  progress.set_progress_percentage(std::clamp(percentage, 0, 100));
  *progress.mutable_progress_data() = std::move(data);
  progress.set_executor_agent_id(agent_id_);
  *progress.mutable_updated_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  telemetry::InjectTraceHeaders(context_, progress.mutable_progress_data(),
                                connection_.propagator());
  AddEvent(contract::kEventProgress,
           {{contract::kProgressPercentage, static_cast<int64_t>(percentage)},
            {contract::kProgressMessage, std::string(message)}});
  // One attempt: progress is informative, and a handler should not stall
  // on a broker that is away (the result, which matters, is retried).
  const grpc::Status status = connection_.Call(
      context_,
      [&](grpc::ClientContext& call) {
        eventbus::PublishResponse response;
        return connection_.stub().PublishTaskProgress(&call, request, &response);
      },
      1);
  if (!status.ok()) {
    log_.Warn(context_, "progress update not delivered",
              {{"task_id", task_.task_id()},
               {"grpc.status", GrpcStatusName(status.error_code())},
               {"error", status.error_message()}});
  }
  return status.ok();
}

}  // namespace agenthub::client
