#include "telemetry/logs/log_level.h"

#include <string>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"

namespace agenthub::telemetry {

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

std::optional<LogLevel> ParseLogLevel(std::string_view text) {
  const std::string lower = ToLowerAscii(TrimSpaces(text));
  if (lower == "debug") return LogLevel::kDebug;
  if (lower == "info") return LogLevel::kInfo;
  // "warning" is what Python, Kubernetes and many operators type.
  if (lower == "warn" || lower == "warning") return LogLevel::kWarn;
  if (lower == "error") return LogLevel::kError;
  return std::nullopt;
}

std::optional<LogFormat> ParseLogFormat(std::string_view text) {
  const std::string lower = ToLowerAscii(TrimSpaces(text));
  if (lower == "json") return LogFormat::kJson;
  if (lower == "text") return LogFormat::kText;
  return std::nullopt;
}

LogLevel LogLevelFromEnvironment() {
  const auto value = GetEnv("LOG_LEVEL");
  if (!value) return LogLevel::kInfo;
  if (auto level = ParseLogLevel(*value)) return *level;
  ReportWarning("LOG_LEVEL=" + *value + " is not one of debug, info, warn, error; using info");
  return LogLevel::kInfo;
}

LogFormat LogFormatFromEnvironment() {
  const auto value = GetEnv("LOG_FORMAT");
  if (!value) return LogFormat::kJson;
  if (auto format = ParseLogFormat(*value)) return *format;
  ReportWarning("LOG_FORMAT=" + *value + " is not json or text; using json");
  return LogFormat::kJson;
}

}  // namespace agenthub::telemetry
