// A task on its way to one agent: the message as it will be delivered (with
// the broker's route span injected into its trace_headers), the route span
// itself (open from publish until delivery or expiry, so its duration is the
// time the task spent in the broker), and where it stands.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "eventbus.pb.h"
#include "telemetry/telemetry.h"

namespace agenthub::broker {

using TaskPtr = std::shared_ptr<const eventbus::TaskMessage>;
using ResultPtr = std::shared_ptr<const eventbus::TaskResult>;
using ProgressPtr = std::shared_ptr<const eventbus::TaskProgress>;

enum class RouteState : uint8_t { kQueued, kInFlight, kDelivered, kExpired, kDropped };

struct RoutedTask {
  TaskPtr message;
  telemetry::Span route_span;  // may be non-recording
  std::string agent_id;        // the target; empty while waiting for any matching agent
  uint64_t sequence = 0;       // publish order, for FIFO within a priority
  int priority = 0;
  std::optional<telemetry::Timestamp> deadline;
  telemetry::Timestamp enqueued_at;
  RouteState state = RouteState::kQueued;
  // Broadcast copies go only to streams whose task_types filter matches;
  // directed tasks go to any stream of their agent.
  bool needs_type_match = false;
};

using RoutedTaskPtr = std::shared_ptr<RoutedTask>;

}  // namespace agenthub::broker
