// The one line `agenthub publisher` prints per task outcome, and its
// reading back by `agenthub demo` (which runs the publisher as a child and
// reads its output).
#pragma once

#include <cctype>
#include <string>

#include "client/client.h"

namespace agenthub::cli {

// "<task id>  <type>  <STATUS>  <ms> ms  trace_id=<id>  <result or error>"
std::string OutcomeLine(const std::string& task_type, const client::TaskOutcome& outcome);

// One OutcomeLine read back (by `agenthub demo`, from the publisher's output).
struct PrintedOutcome {
  std::string task_id;
  std::string task_type;
  std::string status;   // COMPLETED, FAILED, ... or timed_out, publish_failed, abandoned
  std::string elapsed;  // "9.0 ms"
  std::string trace_id;
  std::string detail;  // the result's JSON, or "error: ..."
  // A result arrived (the status is a TaskStatus name, upper case).
  bool has_result() const {
    return !status.empty() && std::isupper(static_cast<unsigned char>(status[0]));
  }
};
// False for a line that is not an OutcomeLine.
bool ParseOutcomeLine(const std::string& line, PrintedOutcome* out);

}  // namespace agenthub::cli
