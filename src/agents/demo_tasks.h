// The demo publisher's work: the four tasks of the original demo, tasks
// described on the command line (--type, --param k=v), and the one line it
// prints per outcome.
#pragma once

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "client/client.h"

namespace agenthub::agents {

// greeting {name: Claude}, math_calculation {add, 42, 58},
// random_number {seed: 12345}, and a type no agent knows.
std::vector<client::TaskRequest> DemoTasks(const std::string& responder);

// Parses "key=value"; the value becomes a number when it reads as one,
// true/false as a bool, anything else a string. False (with *error) when
// there is no '=' or the key is empty.
bool ParseKeyValue(const std::string& text, std::pair<std::string, std::string>* out,
                   std::string* error);
void SetParam(google::protobuf::Struct& params, const std::string& key, const std::string& value);

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

}  // namespace agenthub::agents
