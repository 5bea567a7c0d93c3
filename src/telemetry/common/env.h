// Reading OTEL_* style environment variables the way the OpenTelemetry
// configuration specification asks: an empty value means unset, booleans are
// "true"/"false" case-insensitively, and an invalid value is reported through
// diagnostics and replaced by the default instead of failing the process.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agenthub::telemetry {

// The variable's value, or nullopt when it is unset or empty.
std::optional<std::string> GetEnv(std::string_view name);

bool GetEnvBool(std::string_view name, bool default_value);

// Non-negative integer; invalid or negative values warn and give the default.
int64_t GetEnvNonNegativeInt(std::string_view name, int64_t default_value);

// A duration in milliseconds (the unit every OTEL_*_TIMEOUT/DELAY uses).
std::chrono::milliseconds GetEnvMillis(std::string_view name, std::chrono::milliseconds default_value);

// Comma-separated list, each entry trimmed of spaces and lowercased;
// empty entries are skipped.
std::vector<std::string> GetEnvList(std::string_view name);

// Helpers shared by the parsers above and by configuration code elsewhere.
std::string_view TrimSpaces(std::string_view s);
std::string ToLowerAscii(std::string_view s);

}  // namespace agenthub::telemetry
