// agenthub::agents, the front door of src/agents: the demo agents' own
// logic, written on the agent SDK (client/client.h) as any agent would be.
// The processes that run them (`agenthub subscriber`, `agenthub publisher`,
// `agenthub demo`) live in src/cli.
//
//   RegisterDemoHandlers  demo_handlers.h: greeting, math_calculation,
//                         random_number, each showing one observability
//                         pattern of the seed document
//   DemoTasks             demo_tasks.h: the four tasks the demo publisher sends
#pragma once

#include "agents/demo_handlers.h"
#include "agents/demo_tasks.h"
