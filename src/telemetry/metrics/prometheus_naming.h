// How OpenTelemetry instrument names, units and attribute keys become
// Prometheus family and label names.
//
// Instrument names are checked strictly, once, when the instrument is created
// (std::invalid_argument names the problem), so every name the SDK accepts
// is valid Prometheus and passes `promtool check metrics` lint:
//
//   1. 1-255 characters; an ASCII lowercase letter first; then lowercase
//      letters, digits, '_' and '.'. A '.' becomes '_' so semantic-convention
//      names (http.server.request.duration) work unchanged. Uppercase
//      (Prometheus names are snake_case) and ':' (reserved for recording
//      rules) are rejected.
//   2. The unit (UCUM, as OpenTelemetry uses) becomes a suffix unless the
//      name already ends with it: "s" -> _seconds, "By" -> _bytes,
//      "%" -> _percent, "1" on a gauge -> _ratio, "X/Y" -> _X_per_Y
//      ("By/s" -> _bytes_per_second). "", "1" elsewhere and annotations
//      like "{task}" add nothing. Scaled units ("ms", "KiBy") are rejected:
//      Prometheus names carry base units, so record seconds and bytes.
//   3. Counters (monotonic) end in _total, added after the unit suffix when
//      missing (tasks + "By" -> tasks_bytes_total). Other kinds must not end
//      in _total; histograms must not end in _bucket, _sum or _count, which
//      the exposition generates.
//   4. Abbreviated units as a word (_ms, _sec, _s ...), scaled unit words
//      (_milliseconds) and the family's own type word (_gauge) are rejected,
//      as promtool lint would flag them.
//
// Attribute keys are converted at record time and never fail: characters
// outside [a-zA-Z0-9_] become '_'; a key starting with a digit or "__"
// (reserved), or "le" on a histogram, gets a "key_" prefix; empty keys are
// dropped by the caller.
#pragma once

#include <string>
#include <string_view>

#include "telemetry/metrics/instrument_descriptor.h"

namespace agenthub::telemetry {

// The Prometheus family name for an instrument (rules 1-4 above); throws
// std::invalid_argument naming the instrument and the rule it breaks.
std::string PrometheusMetricName(std::string_view name, std::string_view unit, InstrumentKind kind);

// The Prometheus label name for an attribute key (never throws).
std::string PrometheusLabelName(std::string_view key, bool histogram = false);

// HELP text: the description, or the instrument name when it is empty (so
// every family has HELP), with '\' and newlines escaped as the text format
// requires (prometheus-cpp writes HELP verbatim).
std::string PrometheusHelpText(std::string_view description, std::string_view fallback);

}  // namespace agenthub::telemetry
