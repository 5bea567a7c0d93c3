// agenthub::telemetry: an OpenTelemetry-compatible SDK for C++.
//
// This header is the front door; other folders include only it.
//
//   Resource::Create("svc")                  who produces the telemetry
//   TracerProvider(options)                  sampler + limits + processors
//     └ Tracer = provider.GetTracer("lib")   one per instrumentation scope
//         └ Span = tracer.StartSpan("op")    attributes, events, links, status, End()
//   Context / ContextScope                   the active span and baggage, per thread
//   BatchSpanProcessor(exporter)             background export, never blocks
//   GlobalPropagator()->Inject/Extract       W3C traceparent, tracestate, baggage
//   MeterProvider / Meter                    counters, gauges, histograms; /metrics text
//   Logger                                   JSON lines with trace_id/span_id
//
// OTLP export lives in telemetry/otlp/otlp.h; a process wires everything from
// OTEL_* variables with runtime::ProcessTelemetry (src/runtime).
//
// Everything follows the OpenTelemetry specification and reads the standard
// OTEL_* environment variables (see each FromEnvironment()).
#pragma once

#include "telemetry/common/attribute.h"
#include "telemetry/common/clock.h"
#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"
#include "telemetry/common/go_duration.h"
#include "telemetry/common/time_format.h"
#include "telemetry/context/baggage.h"
#include "telemetry/context/context.h"
#include "telemetry/export/exporters.h"
#include "telemetry/logs/logs.h"
#include "telemetry/metrics/metrics.h"
#include "telemetry/propagation/b3.h"
#include "telemetry/propagation/composite.h"
#include "telemetry/propagation/map_carrier.h"
#include "telemetry/propagation/propagators.h"
#include "telemetry/propagation/text_map.h"
#include "telemetry/propagation/w3c_baggage.h"
#include "telemetry/propagation/w3c_trace_context.h"
#include "telemetry/resource/resource.h"
#include "telemetry/trace/batch_span_processor.h"
#include "telemetry/trace/sampler.h"
#include "telemetry/trace/simple_span_processor.h"
#include "telemetry/trace/span.h"
#include "telemetry/trace/span_context.h"
#include "telemetry/trace/span_limits.h"
#include "telemetry/trace/tracer.h"
#include "telemetry/trace/tracer_provider.h"
