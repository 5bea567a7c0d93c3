#include "cli/outcome_line.h"

#include <cstdio>

namespace agenthub::cli {

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

}  // namespace agenthub::cli
