// The demo subscriber's task handlers (issue 5), each showing one of the
// seed's observability patterns:
//
//   greeting          {name}                  baggage: user.tier=premium adapts the reply
//   math_calculation  {operation, a, b}       performance attribution: validate_input
//                                             and compute_result child spans; division
//                                             by zero -> FAILED with error.type
//   random_number     {seed}                  a number in 0..999 fixed by the seed
//
// Every handler reports progress 25, 50 and 100 on the way. Types without a
// handler get the SDK's FAILED "unknown task type: X".
#pragma once

#include "client/client.h"

namespace agenthub::agents {

void RegisterDemoHandlers(client::Subscriber& subscriber);
// Whether RegisterDemoHandlers handles `task_type` (others fail by design).
bool HasDemoHandler(const std::string& task_type);

client::HandlerResult HandleGreeting(client::TaskContext& ctx);
client::HandlerResult HandleMathCalculation(client::TaskContext& ctx);
client::HandlerResult HandleRandomNumber(client::TaskContext& ctx);

// The demo's deterministic random number for `seed`, in [0, 999].
int RandomNumberForSeed(uint64_t seed);

}  // namespace agenthub::agents
