#include "broker/validation.h"

#include <string_view>

#include "broker/id_text.h"
#include "broker/proto_time.h"
#include "broker/struct_budget.h"

namespace agenthub::broker {
namespace {

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
  if (auto problem = IdTextProblem(value)) return std::string(field) + " " + *problem;
  return std::nullopt;
}

std::optional<std::string> CheckTimestamp(std::string_view field, bool present,
                                          const google::protobuf::Timestamp& value) {
  if (!present) return std::nullopt;
  if (auto problem = TimestampProblem(value)) return std::string(field) + " " + *problem;
  return std::nullopt;
}

std::optional<std::string> CheckStruct(StructBudget& budget, std::string_view field, bool present,
                                       const google::protobuf::Struct& value) {
  if (!present) return std::nullopt;
  return budget.Charge(field, value);
}

StructBudget BudgetFor(const ValidationLimits& limits) {
  return StructBudget(limits.max_struct_depth, limits.max_struct_members);
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
  if (auto e = CheckTimestamp("task.deadline", task.has_deadline(), task.deadline())) return e;
  if (auto e = CheckTimestamp("task.created_at", task.has_created_at(), task.created_at())) {
    return e;
  }
  StructBudget budget = BudgetFor(limits);
  if (auto e = CheckStruct(budget, "task.parameters", task.has_parameters(), task.parameters())) {
    return e;
  }
  return CheckStruct(budget, "task.metadata", task.has_metadata(), task.metadata());
}

std::optional<std::string> ValidateResult(const eventbus::TaskResult& result,
                                          const ValidationLimits& limits) {
  if (auto e = CheckId("result.task_id", result.task_id(), true, limits.max_id_bytes)) return e;
  if (auto e = CheckStatus("result.status", result.status())) return e;
  if (auto e = CheckId("result.executor_agent_id", result.executor_agent_id(), false,
                       limits.max_id_bytes)) {
    return e;
  }
  if (auto e =
          CheckTimestamp("result.completed_at", result.has_completed_at(), result.completed_at())) {
    return e;
  }
  StructBudget budget = BudgetFor(limits);
  if (auto e = CheckStruct(budget, "result.result", result.has_result(), result.result())) {
    return e;
  }
  return CheckStruct(budget, "result.execution_metadata", result.has_execution_metadata(),
                     result.execution_metadata());
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
  if (auto e =
          CheckTimestamp("progress.updated_at", progress.has_updated_at(), progress.updated_at())) {
    return e;
  }
  StructBudget budget = BudgetFor(limits);
  return CheckStruct(budget, "progress.progress_data", progress.has_progress_data(),
                     progress.progress_data());
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
