#include "telemetry/metrics/instrument_descriptor.h"

namespace agenthub::telemetry {

const char* InstrumentKindName(InstrumentKind kind) {
  switch (kind) {
    case InstrumentKind::kCounter:
      return "Counter";
    case InstrumentKind::kUpDownCounter:
      return "UpDownCounter";
    case InstrumentKind::kGauge:
      return "Gauge";
    case InstrumentKind::kHistogram:
      return "Histogram";
    case InstrumentKind::kObservableCounter:
      return "ObservableCounter";
    case InstrumentKind::kObservableUpDownCounter:
      return "ObservableUpDownCounter";
    case InstrumentKind::kObservableGauge:
      return "ObservableGauge";
  }
  return "Instrument";
}

}  // namespace agenthub::telemetry
