// Choosing propagators: by name (the OTEL_PROPAGATORS vocabulary), from the
// environment, and the process-wide propagator instrumentation uses.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "telemetry/propagation/text_map.h"

namespace agenthub::telemetry {

// W3C Trace Context followed by W3C Baggage: the OpenTelemetry default.
std::shared_ptr<const TextMapPropagator> DefaultPropagator();

// Builds a propagator from OTEL_PROPAGATORS names: tracecontext, baggage,
// b3 (single header), b3multi, none. Names are deduplicated (first position
// kept). "none" disables propagation and overrides the other names. Unknown
// or unsupported names (jaeger, xray, ottrace, ...) are reported with
// ReportWarning and skipped; when no name is usable, or `names` is empty,
// the result is DefaultPropagator(). Several names give a
// CompositePropagator in the listed order.
std::shared_ptr<const TextMapPropagator> PropagatorFromNames(const std::vector<std::string>& names);

// PropagatorFromNames(OTEL_PROPAGATORS), default "tracecontext,baggage".
std::shared_ptr<const TextMapPropagator> PropagatorFromEnvironment();

// The process-wide propagator; DefaultPropagator() until set. Safe to call
// from any thread; hold on to the result rather than calling per header.
std::shared_ptr<const TextMapPropagator> GlobalPropagator();
// Replaces the process-wide propagator; null restores DefaultPropagator().
void SetGlobalPropagator(std::shared_ptr<const TextMapPropagator> propagator);

}  // namespace agenthub::telemetry
