#include "agents/demo_tasks.h"

#include <charconv>
#include <cstdio>

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

bool ParseKeyValue(const std::string& text, std::pair<std::string, std::string>* out,
                   std::string* error) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    *error = "expected key=value, got '" + text + "'";
    return false;
  }
  *out = {text.substr(0, eq), text.substr(eq + 1)};
  return true;
}

void SetParam(google::protobuf::Struct& params, const std::string& key, const std::string& value) {
  google::protobuf::Value& v = (*params.mutable_fields())[key];
  double number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (!value.empty() && ec == std::errc() && end == value.data() + value.size()) {
    v.set_number_value(number);
  } else if (value == "true" || value == "false") {
    v.set_bool_value(value == "true");
  } else {
    v.set_string_value(value);
  }
}

std::string OutcomeLine(const std::string& task_type, const client::TaskOutcome& outcome) {
  std::string status;
  std::string detail;
  if (outcome.kind == client::TaskOutcome::Kind::kResult) {
    status = eventbus::TaskStatus_Name(outcome.result.status());
    if (status.rfind("TASK_STATUS_", 0) == 0) status = status.substr(12);
    detail = outcome.completed() ? client::StructToJson(outcome.result.result())
                                 : "error: " + outcome.error;
  } else {
    status = client::OutcomeKindName(outcome.kind);
    detail = "error: " + outcome.error;
  }
  char timing[32];
  std::snprintf(timing, sizeof timing, "%.1f ms",
                std::chrono::duration<double, std::milli>(outcome.elapsed).count());
  return outcome.task_id + "  " + task_type + "  " + status + "  " + timing +
         "  trace_id=" + outcome.trace_id + "  " + detail;
}

bool ParseOutcomeLine(const std::string& line, PrintedOutcome* out) {
  // Fields are separated by two spaces; the detail (last) may hold anything.
  std::vector<std::string> fields;
  size_t start = 0;
  while (fields.size() < 5) {
    const size_t sep = line.find("  ", start);
    if (sep == std::string::npos) return false;
    fields.push_back(line.substr(start, sep - start));
    start = sep + 2;
  }
  const std::string prefix = "trace_id=";
  if (fields[0].empty() || fields[4].rfind(prefix, 0) != 0) return false;
  *out = {fields[0],         fields[1], fields[2], fields[3], fields[4].substr(prefix.size()),
          line.substr(start)};
  return true;
}

}  // namespace agenthub::agents
