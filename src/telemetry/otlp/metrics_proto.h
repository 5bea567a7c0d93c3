// A collection of the MeterProvider (prometheus::MetricFamily list) as an
// OTLP ExportMetricsServiceRequest (opentelemetry.proto.metrics.v1), so
// that the numbers pushed over OTLP are exactly the ones /metrics shows.
//
// Mapping (cumulative temporality throughout, like Prometheus):
//   counter family                  -> Sum, monotonic
//   gauge of an (observable)        -> Sum, not monotonic
//     UpDownCounter instrument
//   other gauge, untyped            -> Gauge
//   histogram                       -> Histogram: explicit_bounds are the
//                                      finite `le` bounds; Prometheus's
//                                      cumulative bucket counts become
//                                      per-bucket counts (+Inf last)
//   summary (registry users only)   -> Summary
//   target_info                     -> skipped: it is the Resource itself
// Families of instruments carry their OpenTelemetry name, description,
// unit, value type and scope (from the InstrumentDescriptor); others
// (process_*, agenthub_* self-metrics, families registered directly on the
// registry) keep their Prometheus name and HELP, a unit inferred from a
// _seconds/_bytes suffix, and the scope "agenthub.telemetry".
// Limitation: data point attributes are the Prometheus labels, so keys arrive
// sanitized (http_method, not http.method) and every value is a string.
#pragma once

#include <prometheus/metric_family.h>

#include <cstddef>
#include <vector>

#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "telemetry/common/clock.h"
#include "telemetry/metrics/instrument_descriptor.h"
#include "telemetry/resource/resource.h"

namespace agenthub::telemetry {

namespace otlp_pb {
using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
}  // namespace otlp_pb

// The scope of families that no Meter created.
inline constexpr const char* kSdkMetricsScope = "agenthub.telemetry";

struct MetricsBatch {
  std::vector<prometheus::MetricFamily> families;  // MeterProvider::Collect()
  std::vector<InstrumentDescriptor> descriptors;   // MeterProvider::descriptors()
  Resource resource;
  Timestamp start_time;    // start of every cumulative series
  Timestamp collect_time;  // time_unix_nano of every point
};

// Appends one ResourceMetrics for `batch` to `out`, scopes in order of first
// appearance. Returns the number of data points written.
size_t FillMetricsRequest(const MetricsBatch& batch, otlp_pb::ExportMetricsServiceRequest* out);

}  // namespace agenthub::telemetry
