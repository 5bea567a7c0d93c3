// The three OTLP signals. Apart from the exporter configuration because the
// collector's receivers name signals too, and should not depend on how an
// exporter is configured to do so.
#pragma once

namespace agenthub::telemetry {

enum class OtlpSignal { kTraces, kMetrics, kLogs };

const char* OtlpSignalName(OtlpSignal signal);  // "traces", "metrics", "logs"

}  // namespace agenthub::telemetry
