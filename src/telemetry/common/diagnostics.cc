#include "telemetry/common/diagnostics.h"

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "telemetry/common/time_format.h"

namespace agenthub::telemetry {
namespace {

std::mutex& HandlerMutex() {
  static std::mutex m;
  return m;
}

DiagnosticHandler& Handler() {
  static DiagnosticHandler h;
  return h;
}

const char* LevelName(DiagnosticLevel level) {
  switch (level) {
    case DiagnosticLevel::kDebug:
      return "DEBUG";
    case DiagnosticLevel::kInfo:
      return "INFO";
    case DiagnosticLevel::kWarn:
      return "WARN";
    case DiagnosticLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

void WriteToStderr(DiagnosticLevel level, std::string_view message) {
  nlohmann::json line = {{"time", FormatRfc3339Nanos(Now())},
                         {"level", LevelName(level)},
                         {"msg", std::string(message)},
                         {"service", "agenthub-telemetry"}};
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace

void SetDiagnosticHandler(DiagnosticHandler handler) {
  std::lock_guard lock(HandlerMutex());
  Handler() = std::move(handler);
}

void ReportDiagnostic(DiagnosticLevel level, std::string_view message) {
  DiagnosticHandler handler;
  {
    std::lock_guard lock(HandlerMutex());
    handler = Handler();
  }
  if (handler) {
    handler(level, message);
  } else {
    WriteToStderr(level, message);
  }
}

}  // namespace agenthub::telemetry
