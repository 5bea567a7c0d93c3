// The tracing SDK's counters about itself (TracerProvider::stats()) as
// Prometheus families, read at each collection:
//   agenthub_trace_spans_started_total       recording spans started
//   agenthub_trace_spans_ended_total         recording spans ended
//   agenthub_trace_spans_not_sampled_total   spans the sampler dropped
//   agenthub_trace_spans_dropped_total       ended spans a full queue discarded
//   agenthub_trace_spans_exported_total      spans exporters accepted
//   agenthub_trace_export_failures_total     spans in failed export batches
//   agenthub_trace_queue_depth               spans waiting to be exported (gauge)
// Log and metric-export self-metrics (agenthub_logs_*,
// agenthub_metric_exports_*) follow the same pattern: a CallbackCollectable
// over the component's own counters, added with MeterProvider::AddCollectable.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "telemetry/metrics/callback_collectable.h"
#include "telemetry/trace/tracer_provider.h"

namespace agenthub::telemetry {

std::vector<MetricSample> TraceStatsSamples(const TraceStats& stats);

class TraceSelfMetrics : public CallbackCollectable {
 public:
  // Reports `provider` while it lives and nothing after; never keeps it
  // alive (the metrics must not delay its shutdown).
  explicit TraceSelfMetrics(std::weak_ptr<TracerProvider> provider);

  // Follows GlobalTracerProvider(), re-read at each collection, so it
  // reports whichever provider the program installs, even a later one.
  static std::shared_ptr<TraceSelfMetrics> ForGlobalProvider();

 private:
  explicit TraceSelfMetrics(std::function<std::shared_ptr<TracerProvider>()> source);
};

}  // namespace agenthub::telemetry
