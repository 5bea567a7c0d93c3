// RFC 3339 UTC timestamps appended to a buffer without gmtime_r or printf:
// the logger stamps every line, and the C library route costs ~200 ns.
#pragma once

#include <string>

#include "telemetry/common/clock.h"

namespace agenthub::telemetry::internal {

// Appends "2026-11-25T12:00:00.123456789Z" with `fraction_digits` digits
// after the seconds (9 for JSON lines, 3 for the text format; truncated, not
// rounded, so a line never shows a time later than the event). Years are
// clamped to 0000-9999, the range RFC 3339 can express.
void AppendRfc3339(Timestamp time, int fraction_digits, std::string* out);

}  // namespace agenthub::telemetry::internal
