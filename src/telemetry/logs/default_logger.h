// The process-wide logger, for code that has no Logger handed to it, and the
// bridge that turns the telemetry SDK's own diagnostics into log lines.
#pragma once

#include <memory>

#include "telemetry/logs/logger.h"

namespace agenthub::telemetry {

// The current default logger. Until SetDefaultLogger is called it is a JSON
// logger to stderr for service $OTEL_SERVICE_NAME (or "agenthub") at
// $LOG_LEVEL, made on first use.
//
// The reference stays valid for the life of the process: a replaced logger is
// kept alive (never destroyed), because another thread may still be logging
// through it. Replace the default a handful of times (at startup, in tests),
// not per request.
Logger& DefaultLogger();

// Makes `logger` the default; null restores the built-in one.
void SetDefaultLogger(std::shared_ptr<Logger> logger);

// Routes SDK diagnostics (SetDiagnosticHandler: bad OTEL_* values, exporter
// failures) into `logger` with the attribute component="telemetry", at the
// matching level. `logger` must stay alive until the bridge is removed by
// UninstallDiagnosticsBridge (or replaced by another handler). A diagnostic
// raised while that logger is writing (a failing sink) is dropped rather
// than recursing.
void InstallDiagnosticsBridge(Logger& logger);

// Restores the SDK's default diagnostics handler (a JSON line on stderr).
void UninstallDiagnosticsBridge();

}  // namespace agenthub::telemetry
