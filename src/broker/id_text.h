// Which characters an id (task id, agent id, task type) may hold.
//
// Ids are opaque to the broker, but they are printed in logs, metric labels,
// span attributes and the trace UI. A character that is invisible or that
// reorders or breaks the text around it lets one agent disguise an id as
// another's or forge a log line, so these are refused:
//   - bytes that are not UTF-8;
//   - controls (general category Cc: U+0000-U+001F, U+007F-U+009F);
//   - format characters (category Cf): the bidirectional controls
//     U+202A-U+202E and U+2066-U+2069, zero-width characters such as
//     U+200B-U+200F and U+2060-U+2064, U+FEFF, and the rest of Cf;
//   - the line and paragraph separators U+2028 and U+2029 (Zl, Zp), which
//     some viewers break lines at.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace agenthub::broker {

// Why `text` is not acceptable in an id, e.g. "contains bidirectional
// control U+202E at byte 3"; nullopt when it is. Meant to follow a field
// name: "task.task_id " + *problem.
std::optional<std::string> IdTextProblem(std::string_view text);

}  // namespace agenthub::broker
