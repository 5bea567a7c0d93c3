// Where the SDK reports its own problems (a bad OTEL_* value, an exporter
// failing). By default one JSON line on stderr; tests and the structured
// logger replace the handler. Never throws, never blocks on the hot path:
// diagnostics are emitted only on configuration and failure paths.
#pragma once

#include <functional>
#include <string_view>

namespace agenthub::telemetry {

enum class DiagnosticLevel { kDebug, kInfo, kWarn, kError };

using DiagnosticHandler = std::function<void(DiagnosticLevel, std::string_view message)>;

// Replaces the handler; an empty function restores the stderr default.
void SetDiagnosticHandler(DiagnosticHandler handler);

void ReportDiagnostic(DiagnosticLevel level, std::string_view message);
inline void ReportWarning(std::string_view message) {
  ReportDiagnostic(DiagnosticLevel::kWarn, message);
}

}  // namespace agenthub::telemetry
