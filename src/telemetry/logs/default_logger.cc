#include "telemetry/logs/default_logger.h"

#include <atomic>
#include <mutex>
#include <vector>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"

namespace agenthub::telemetry {
namespace {

struct DefaultLoggerState {
  std::mutex mu;                               // serializes SetDefaultLogger
  std::atomic<Logger*> current{nullptr};       // read on every DefaultLogger()
  std::vector<std::shared_ptr<Logger>> owned;  // every logger ever made default
  std::shared_ptr<Logger> builtin;             // made on first use
};

DefaultLoggerState& State() {
  // Leaked on purpose: threads may log during static destruction.
  static auto* state = new DefaultLoggerState();
  return *state;
}

std::shared_ptr<Logger> MakeBuiltin() {
  return std::make_shared<Logger>(
      LoggerOptions::FromEnvironment(GetEnv("OTEL_SERVICE_NAME").value_or("agenthub")));
}

LogLevel ToLogLevel(DiagnosticLevel level) {
  switch (level) {
    case DiagnosticLevel::kDebug:
      return LogLevel::kDebug;
    case DiagnosticLevel::kInfo:
      return LogLevel::kInfo;
    case DiagnosticLevel::kWarn:
      return LogLevel::kWarn;
    case DiagnosticLevel::kError:
      return LogLevel::kError;
  }
  return LogLevel::kWarn;
}

}  // namespace

Logger& DefaultLogger() {
  DefaultLoggerState& state = State();
  if (Logger* logger = state.current.load(std::memory_order_acquire)) return *logger;
  std::lock_guard lock(state.mu);
  if (Logger* logger = state.current.load(std::memory_order_acquire)) return *logger;
  if (!state.builtin) state.builtin = MakeBuiltin();
  state.current.store(state.builtin.get(), std::memory_order_release);
  return *state.builtin;
}

void SetDefaultLogger(std::shared_ptr<Logger> logger) {
  DefaultLoggerState& state = State();
  std::lock_guard lock(state.mu);
  if (!logger) {
    if (!state.builtin) state.builtin = MakeBuiltin();
    state.current.store(state.builtin.get(), std::memory_order_release);
    return;
  }
  state.current.store(logger.get(), std::memory_order_release);
  state.owned.push_back(std::move(logger));
}

void InstallDiagnosticsBridge(Logger& logger) {
  SetDiagnosticHandler([&logger](DiagnosticLevel level, std::string_view message) {
    thread_local bool inside = false;
    if (inside) return;
    inside = true;
    logger.Log(ToLogLevel(level), message, {{"component", "telemetry"}});
    inside = false;
  });
}

void UninstallDiagnosticsBridge() { SetDiagnosticHandler({}); }

}  // namespace agenthub::telemetry
