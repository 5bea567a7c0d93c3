// A task on its way to one agent: the message as it will be delivered (with
// the broker's route span injected into its trace_headers), the route span
// itself (open from publish until the first attempt's write finished or
// ended otherwise, so its duration is the time the task waited in the
// broker), and where it stands in its delivery lease.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "agenthub/trace_contract.h"
#include "eventbus.pb.h"
#include "telemetry/telemetry.h"

namespace agenthub::broker {

using TaskPtr = std::shared_ptr<const eventbus::TaskMessage>;
using ResultPtr = std::shared_ptr<const eventbus::TaskResult>;
using ProgressPtr = std::shared_ptr<const eventbus::TaskProgress>;

// kInFlight: leased to a stream (handed over, not yet settled).
// kDelivered: settled by its first final result.
enum class RouteState : uint8_t {
  kQueued,
  kInFlight,
  kDelivered,
  kExpired,
  kDropped,
  kDeadLettered
};

// Why a delivery attempt ended without a result; the next attempt's span
// names it (docs/reference/spans.md).
enum class AttemptEnd : uint8_t { kStreamEnded, kLeaseExpired, kNak, kRedriven };

const char* AttemptEndName(AttemptEnd end);

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

  // The lease. All fields below are guarded by the router's lock.
  uint32_t attempt = 1;      // the attempt the message carries (1 = first delivery)
  uint32_t budget_base = 0;  // attempts made before the last redrive
  uint64_t leased_to = 0;    // the stream holding the lease while kInFlight
  uint64_t last_stream = 0;  // the previous holder, avoided when another stream can take it
  telemetry::SteadyClock::time_point lease_until;
  telemetry::Span attempt_span;  // attempts after the first; route_span carries the first
};

using RoutedTaskPtr = std::shared_ptr<RoutedTask>;

using contract::kDeliveryAttemptKey;

}  // namespace agenthub::broker
