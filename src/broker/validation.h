// Request validation for the EventBus service. Every rule names the field
// it rejects, so a client sees INVALID_ARGUMENT with e.g.
// "task.task_id is required". Callable per message, independent of the RPC
// shape, so a batch (client-streaming) publish can reuse it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "eventbus.pb.h"

namespace agenthub::broker {

struct ValidationLimits {
  size_t max_id_bytes = 256;  // task, agent and requester ids
  size_t max_task_type_bytes = 256;
  size_t max_filter_entries = 1024;  // task_types / task_ids in a subscription
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
