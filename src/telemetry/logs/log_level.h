// Log levels and output formats of the structured logger, and how operators
// choose them: the LOG_LEVEL / LOG_FORMAT environment variables and the
// --log-level / --log-format command-line flags share these parsers, so both
// accept exactly the same spellings.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace agenthub::telemetry {

// Ordered: a logger at level L emits records of level >= L.
enum class LogLevel : uint8_t { kDebug, kInfo, kWarn, kError };

enum class LogFormat : uint8_t {
  kJson,  // one JSON object per line: what log pipelines ingest
  kText,  // "2026-11-25T12:00:00.123Z INFO  msg key=value": for humans at a terminal
};

// "DEBUG", "INFO", "WARN", "ERROR" (the slog spellings the seed's handler uses).
std::string_view LogLevelName(LogLevel level);

// debug | info | warn | warning | error, case-insensitive, surrounding spaces
// ignored; nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(std::string_view text);

// json | text, case-insensitive; nullopt for anything else.
std::optional<LogFormat> ParseLogFormat(std::string_view text);

// LOG_LEVEL when set and valid. An invalid value is reported as a telemetry
// warning and gives kInfo, so a typo never silences or floods the process.
LogLevel LogLevelFromEnvironment();

// LOG_FORMAT when set and valid; an invalid value warns and gives kJson.
LogFormat LogFormatFromEnvironment();

}  // namespace agenthub::telemetry
