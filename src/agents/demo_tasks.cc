#include "agents/demo_tasks.h"

namespace agenthub::agents {

using client::MakeStruct;
using client::TaskRequest;

std::vector<TaskRequest> DemoTasks(const std::string& responder) {
  std::vector<TaskRequest> tasks(4);
  tasks[0].task_type = "greeting";
  tasks[0].parameters = MakeStruct({{"name", "Claude"}});
  tasks[1].task_type = "math_calculation";
  tasks[1].parameters = MakeStruct({{"operation", "add"}, {"a", 42}, {"b", 58}});
  tasks[2].task_type = "random_number";
  tasks[2].parameters = MakeStruct({{"seed", 12345}});
  // Shows what a failure looks like end to end: FAILED result, error spans.
  tasks[3].task_type = "unknown_task_type_demo";
  for (auto& t : tasks) t.responder_agent_id = responder;
  return tasks;
}

}  // namespace agenthub::agents
