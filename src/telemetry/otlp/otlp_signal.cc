#include "telemetry/otlp/otlp_signal.h"

namespace agenthub::telemetry {

const char* OtlpSignalName(OtlpSignal signal) {
  switch (signal) {
    case OtlpSignal::kTraces:
      return "traces";
    case OtlpSignal::kMetrics:
      return "metrics";
    case OtlpSignal::kLogs:
      return "logs";
  }
  return "traces";
}

}  // namespace agenthub::telemetry
