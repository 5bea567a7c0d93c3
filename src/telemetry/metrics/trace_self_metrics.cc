#include "telemetry/metrics/trace_self_metrics.h"

#include <utility>

namespace agenthub::telemetry {

std::vector<MetricSample> TraceStatsSamples(const TraceStats& stats) {
  auto count = [](uint64_t v) { return static_cast<double>(v); };
  return {
      CounterSample("agenthub_trace_spans_started_total", "Recording spans started.",
                    count(stats.spans_started)),
      CounterSample("agenthub_trace_spans_ended_total", "Recording spans ended.",
                    count(stats.spans_ended)),
      CounterSample("agenthub_trace_spans_not_sampled_total",
                    "Spans the sampler decided not to record.", count(stats.spans_not_sampled)),
      CounterSample("agenthub_trace_spans_dropped_total",
                    "Ended spans discarded because a processor queue was full.",
                    count(stats.spans_dropped)),
      CounterSample("agenthub_trace_spans_exported_total", "Spans accepted by exporters.",
                    count(stats.spans_exported)),
      CounterSample("agenthub_trace_export_failures_total", "Spans in export batches that failed.",
                    count(stats.export_failures)),
      GaugeSample("agenthub_trace_queue_depth", "Spans waiting in processor queues for export.",
                  count(stats.queue_depth)),
  };
}

TraceSelfMetrics::TraceSelfMetrics(std::function<std::shared_ptr<TracerProvider>()> source)
    : CallbackCollectable([source = std::move(source)]() -> std::vector<MetricSample> {
        const std::shared_ptr<TracerProvider> provider = source();
        if (!provider) return {};
        return TraceStatsSamples(provider->stats());
      }) {}

TraceSelfMetrics::TraceSelfMetrics(std::weak_ptr<TracerProvider> provider)
    : TraceSelfMetrics([provider = std::move(provider)] { return provider.lock(); }) {}

std::shared_ptr<TraceSelfMetrics> TraceSelfMetrics::ForGlobalProvider() {
  return std::shared_ptr<TraceSelfMetrics>(new TraceSelfMetrics(
      std::function<std::shared_ptr<TracerProvider>()>(&GlobalTracerProvider)));
}

}  // namespace agenthub::telemetry
