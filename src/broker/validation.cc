#include "broker/validation.h"

#include <string_view>

namespace agenthub::broker {
namespace {

// Ids are opaque to us, but they end up in logs, metrics and span
// attributes: refuse control characters so none can forge a log line.
bool HasControlCharacter(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::optional<std::string> CheckId(std::string_view field, const std::string& value, bool required,
                                   size_t max_bytes) {
  if (value.empty()) {
    if (required) return std::string(field) + " is required";
    return std::nullopt;
  }
  if (value.size() > max_bytes) {
    return std::string(field) + " is " + std::to_string(value.size()) + " bytes; the limit is " +
           std::to_string(max_bytes);
  }
  if (HasControlCharacter(value)) return std::string(field) + " contains control characters";
  return std::nullopt;
}

std::optional<std::string> CheckStatus(std::string_view field, eventbus::TaskStatus status) {
  if (!eventbus::TaskStatus_IsValid(status)) {
    return std::string(field) + " has unknown value " + std::to_string(static_cast<int>(status));
  }
  return std::nullopt;
}

template <typename Repeated>
std::optional<std::string> CheckList(std::string_view field, const Repeated& values,
                                     size_t max_entries, size_t max_bytes) {
  if (static_cast<size_t>(values.size()) > max_entries) {
    return std::string(field) + " has " + std::to_string(values.size()) +
           " entries; the limit is " + std::to_string(max_entries);
  }
  for (int i = 0; i < values.size(); ++i) {
    const std::string name = std::string(field) + "[" + std::to_string(i) + "]";
    if (auto e = CheckId(name, values[i], /*required=*/true, max_bytes)) return e;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ValidateTask(const eventbus::TaskMessage& task,
                                        const ValidationLimits& limits) {
  if (auto e = CheckId("task.task_id", task.task_id(), true, limits.max_id_bytes)) return e;
  if (auto e = CheckId("task.task_type", task.task_type(), true, limits.max_task_type_bytes)) {
    return e;
  }
  if (auto e = CheckId("task.requester_agent_id", task.requester_agent_id(), true,
                       limits.max_id_bytes)) {
    return e;
  }
  if (auto e = CheckId("task.responder_agent_id", task.responder_agent_id(), false,
                       limits.max_id_bytes)) {
    return e;
  }
  if (!eventbus::Priority_IsValid(task.priority())) {
    return "task.priority has unknown value " + std::to_string(static_cast<int>(task.priority()));
  }
  if (task.has_deadline() && (task.deadline().nanos() < 0 || task.deadline().nanos() > 999999999 ||
                              task.deadline().seconds() < 0)) {
    return std::string("task.deadline is not a valid timestamp");
  }
  return std::nullopt;
}

std::optional<std::string> ValidateResult(const eventbus::TaskResult& result,
                                          const ValidationLimits& limits) {
  if (auto e = CheckId("result.task_id", result.task_id(), true, limits.max_id_bytes)) return e;
  if (auto e = CheckStatus("result.status", result.status())) return e;
  if (auto e = CheckId("result.executor_agent_id", result.executor_agent_id(), false,
                       limits.max_id_bytes)) {
    return e;
  }
  return std::nullopt;
}

std::optional<std::string> ValidateProgress(const eventbus::TaskProgress& progress,
                                            const ValidationLimits& limits) {
  if (auto e = CheckId("progress.task_id", progress.task_id(), true, limits.max_id_bytes)) {
    return e;
  }
  if (auto e = CheckStatus("progress.status", progress.status())) return e;
  if (progress.progress_percentage() < 0 || progress.progress_percentage() > 100) {
    return "progress.progress_percentage is " + std::to_string(progress.progress_percentage()) +
           "; it must be within 0..100";
  }
  if (auto e = CheckId("progress.executor_agent_id", progress.executor_agent_id(), false,
                       limits.max_id_bytes)) {
    return e;
  }
  return std::nullopt;
}

std::optional<std::string> ValidateTaskSubscription(const eventbus::SubscribeToTasksRequest& req,
                                                    const ValidationLimits& limits) {
  if (auto e = CheckId("agent_id", req.agent_id(), true, limits.max_id_bytes)) return e;
  return CheckList("task_types", req.task_types(), limits.max_filter_entries,
                   limits.max_task_type_bytes);
}

std::optional<std::string> ValidateUpdateSubscription(
    const eventbus::SubscribeToTaskResultsRequest& req, const ValidationLimits& limits) {
  // An empty requester is allowed: it subscribes to everything (monitoring).
  if (auto e =
          CheckId("requester_agent_id", req.requester_agent_id(), false, limits.max_id_bytes)) {
    return e;
  }
  return CheckList("task_ids", req.task_ids(), limits.max_filter_entries, limits.max_id_bytes);
}

}  // namespace agenthub::broker
