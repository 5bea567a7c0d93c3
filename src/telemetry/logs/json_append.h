// Appending JSON text by hand for the logger's hot path: a log line is built
// in a reused buffer without the allocations a JSON DOM would make.
//
// Strings always come out as valid JSON (RFC 8259): quotes, backslashes and
// every control character are escaped, and bytes that are not well-formed
// UTF-8 are replaced by U+FFFD (one per maximal ill-formed subpart, as the
// Unicode standard recommends), so a line never breaks a log pipeline's
// parser whatever bytes the caller logged.
#pragma once

#include <string>
#include <string_view>

#include "telemetry/common/attribute.h"

namespace agenthub::telemetry::internal {

// Appends `s` as a quoted JSON string.
void AppendJsonString(std::string_view s, std::string* out);

// Appends `s` unquoted for a one-line human format: control characters are
// escaped (\n, \t, \u001b, ...) so a record stays on one line, invalid UTF-8
// is replaced; quotes and backslashes are kept as they are.
void AppendLineSafeText(std::string_view s, std::string* out);

// Appends a typed attribute value: numbers as JSON numbers, booleans, strings,
// arrays. NaN and infinities (not representable as JSON numbers) become the
// strings "NaN", "Infinity" and "-Infinity", as OTLP/JSON writes them.
void AppendJsonValue(const AttributeValue& value, std::string* out);

void AppendInt(int64_t value, std::string* out);
void AppendDouble(double value, std::string* out);

}  // namespace agenthub::telemetry::internal
