// The delivery contract between the broker and agents, beside the wire
// contract (eventbus.proto): names both sides must spell the same way.
// docs/reference/spans.md and docs/explanation/delivery.md describe them.
#pragma once

namespace agenthub::contract {

// TaskMessage.metadata key: which delivery attempt the message is (a
// number; 1 for the first, 2 and up for redeliveries).
inline constexpr char kDeliveryAttemptKey[] = "agenthub.delivery_attempt";

// executor_agent_id of the FAILED results the broker itself publishes.
inline constexpr char kBrokerExecutorId[] = "agenthub-broker";

// The broker's span for a delivery attempt after the first (the first is
// route_task) and its attributes.
inline constexpr char kRedeliverSpan[] = "redeliver_task";
inline constexpr char kAttrDeliveryAttempt[] = "agenthub.delivery.attempt";
inline constexpr char kAttrPreviousOutcome[] = "agenthub.delivery.previous_outcome";
inline constexpr char kAttrDeliveryOutcome[] = "agenthub.delivery.outcome";

}  // namespace agenthub::contract
