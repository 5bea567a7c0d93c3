// Request validation for the EventBus service. Every rule names the field
// it rejects, so a client sees INVALID_ARGUMENT with e.g.
// "task.task_id is required". Ids must be printable text (see id_text.h),
// timestamps within timestamp.proto's range, Structs within their budget
// (struct_budget.h). Callable per message, independent of the RPC
// shape, so a batch (client-streaming) publish can reuse it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "eventbus.pb.h"

namespace agenthub::broker {

// Every limit a request is checked against, with its default.
struct ValidationLimits {
  size_t max_id_bytes = 256;  // task, agent and requester ids
  size_t max_task_type_bytes = 256;
  size_t max_filter_entries = 1024;  // task_types / task_ids in a subscription
  // The Structs of one message (parameters, metadata, result, ...) together:
  // levels of nesting (a Struct field of the message is level 1; 32 is what
  // protobuf's own default recursion limit of 100 allows) and members (every
  // field and list element, nested ones included; ~20 MB decoded at most).
  size_t max_struct_depth = 32;
  size_t max_struct_members = 100'000;
};

// Each returns the problem, or nullopt when the message is acceptable.
std::optional<std::string> ValidateTask(const eventbus::TaskMessage& task,
                                        const ValidationLimits& limits);
std::optional<std::string> ValidateResult(const eventbus::TaskResult& result,
                                          const ValidationLimits& limits);
std::optional<std::string> ValidateProgress(const eventbus::TaskProgress& progress,
                                            const ValidationLimits& limits);
std::optional<std::string> ValidateTaskSubscription(const eventbus::SubscribeToTasksRequest& req,
                                                    const ValidationLimits& limits);
std::optional<std::string> ValidateUpdateSubscription(
    const eventbus::SubscribeToTaskResultsRequest& req, const ValidationLimits& limits);

}  // namespace agenthub::broker
