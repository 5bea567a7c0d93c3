// The demo publisher's work: the four tasks of the original demo.
#pragma once

#include <string>
#include <vector>

#include "client/client.h"

namespace agenthub::agents {

// greeting {name: Claude}, math_calculation {add, 42, 58},
// random_number {seed: 12345}, and a type no agent knows.
std::vector<client::TaskRequest> DemoTasks(const std::string& responder);

}  // namespace agenthub::agents
