// What the SDK remembers about every instrument it created: the
// OpenTelemetry view (name, unit, kind, scope) beside the Prometheus family
// name it maps to. The Prometheus exposition only needs the family; OTLP
// export needs the rest (a monotonic Sum and an up-down Sum are both a
// Prometheus gauge or counter, and the scope is not in Prometheus at all).
#pragma once

#include <string>
#include <vector>

#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

enum class InstrumentKind {
  kCounter,                  // monotonic, synchronous Add
  kUpDownCounter,            // non-monotonic sum, synchronous Add
  kGauge,                    // last value, synchronous Set
  kHistogram,                // explicit-bucket distribution, synchronous Record
  kObservableCounter,        // monotonic sum read by a callback at collection
  kObservableUpDownCounter,  // non-monotonic sum read by a callback
  kObservableGauge,          // last value read by a callback
};

enum class InstrumentValueType { kInt64, kDouble };

// "Counter", "UpDownCounter", ... as the OpenTelemetry API names them.
const char* InstrumentKindName(InstrumentKind kind);

// True for kinds whose Prometheus form is a counter (the name gets _total).
inline bool IsMonotonic(InstrumentKind kind) {
  return kind == InstrumentKind::kCounter || kind == InstrumentKind::kObservableCounter;
}

// True for the kinds the OTLP data model calls a Sum.
inline bool IsSum(InstrumentKind kind) {
  return kind == InstrumentKind::kCounter || kind == InstrumentKind::kUpDownCounter ||
         kind == InstrumentKind::kObservableCounter ||
         kind == InstrumentKind::kObservableUpDownCounter;
}

struct InstrumentDescriptor {
  std::string name;             // as the caller wrote it (the OTLP metric name)
  std::string prometheus_name;  // the family name in /metrics
  std::string description;      // verbatim (HELP gets an escaped copy)
  std::string unit;             // UCUM, as given
  InstrumentKind kind = InstrumentKind::kCounter;
  InstrumentValueType value_type = InstrumentValueType::kDouble;
  InstrumentationScope scope;   // the Meter that created it first
  std::vector<double> buckets;  // histograms only: explicit upper bounds
};

}  // namespace agenthub::telemetry
