// Hot paths of the structured logger: a JSON line with trace context (the
// figure every log line with a span pays), a call below the level (must cost
// almost nothing, so debug logging can stay in hot code), the text format,
// and the OTLP record hand-off, which reports the share of records its
// processor dropped beside its time.
#include <benchmark/benchmark.h>

#include <memory>

#include "telemetry/context/context.h"
#include "telemetry/logs/logs.h"

namespace agenthub::telemetry {
namespace {

class NoopLogExporter : public LogRecordExporter {
 public:
  ExportResult Export(std::span<const LogRecordData* const> batch, Deadline) override {
    benchmark::DoNotOptimize(batch.data());
    return ExportResult::kSuccess;
  }
  bool Shutdown(std::chrono::milliseconds) override { return true; }
};

// The line benchmarks repeat one message: without `lines_per_second` they
// would measure the rate limit's drop path after the first 20 lines.
std::unique_ptr<Logger> NullLogger(LogFormat format, LogLevel level = LogLevel::kInfo,
                                   std::shared_ptr<LogRecordProcessor> processor = nullptr,
                                   uint32_t lines_per_second = 0) {
  LoggerOptions options;
  options.lines_per_second_per_message = lines_per_second;
  options.service_name = "agenthub-broker";
  options.level = level;
  options.format = format;
  options.sinks = {MakeNullSink()};
  options.processor = std::move(processor);
  return std::make_unique<Logger>(std::move(options));
}

// A valid, sampled span context made current, as inside a traced handler.
Context TracedContext() {
  const SpanContext span(NewTraceId(), NewSpanId(), TraceFlags{TraceFlags::kSampled}, false);
  return Context().WithSpan(Span(span));
}

// Target: <= 400 ns. Two attributes, as a typical broker line carries.
void BM_JsonLogLineWithTraceContextNullSink(benchmark::State& state) {
  static Logger* logger = NullLogger(LogFormat::kJson).release();
  ContextScope scope(TracedContext());
  for (auto _ : state) {
    logger->Info("task routed", {{"task_id", "task-7f3a9c"}, {"attempt", 2}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JsonLogLineWithTraceContextNullSink);
BENCHMARK(BM_JsonLogLineWithTraceContextNullSink)->Threads(2);

// The same line through the per-message rate limit, set so high that every
// line passes: what the limit adds to a written line (a hash and a lock).
void BM_JsonLogLineThroughTheRateLimit(benchmark::State& state) {
  static Logger* logger =
      NullLogger(LogFormat::kJson, LogLevel::kInfo, nullptr, UINT32_MAX).release();
  ContextScope scope(TracedContext());
  for (auto _ : state) {
    logger->Info("task routed", {{"task_id", "task-7f3a9c"}, {"attempt", 2}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JsonLogLineThroughTheRateLimit);
BENCHMARK(BM_JsonLogLineThroughTheRateLimit)->Threads(2);

// A flood past the limit: what a suppressed line costs.
void BM_SuppressedLogLine(benchmark::State& state) {
  static Logger* logger =
      NullLogger(LogFormat::kJson, LogLevel::kInfo, nullptr, kDefaultLogLinesPerSecond).release();
  for (auto _ : state) {
    logger->Warn("task_progress reached no subscriber", {{"task_id", "task-7f3a9c"}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SuppressedLogLine);

// Target: ~1-2 ns: one relaxed load and a branch.
void BM_LogBelowLevel(benchmark::State& state) {
  static Logger* logger = NullLogger(LogFormat::kJson, LogLevel::kWarn).release();
  for (auto _ : state) {
    logger->Debug("cache probe");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LogBelowLevel);

void BM_TextLogLine(benchmark::State& state) {
  static Logger* logger = NullLogger(LogFormat::kText).release();
  ContextScope scope(TracedContext());
  for (auto _ : state) {
    logger->Info("task routed", {{"task_id", "task-7f3a9c"}, {"attempt", 2}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TextLogLine);

// The line plus a LogRecordData handed to a batch processor whose exporter
// keeps up, as one batching to a collector would.
void BM_JsonLogLineWithOtlpRecordHandoff(benchmark::State& state) {
  static auto* processor =
      new std::shared_ptr<BatchLogRecordProcessor>(std::make_shared<BatchLogRecordProcessor>(
          std::make_unique<NoopLogExporter>(), BatchLogRecordProcessorOptions{}));
  static Logger* logger = NullLogger(LogFormat::kJson, LogLevel::kInfo, *processor).release();
  ContextScope scope(TracedContext());
  (*processor)->ForceFlush(std::chrono::seconds(5));
  const LogProcessorStats before = (*processor)->stats();
  for (auto _ : state) {
    logger->Info("task routed", {{"task_id", "task-7f3a9c"}, {"attempt", 2}});
  }
  (*processor)->ForceFlush(std::chrono::seconds(5));
  const LogProcessorStats after = (*processor)->stats();
  const double emitted = static_cast<double>(state.iterations());
  const double dropped = static_cast<double>(after.records_dropped - before.records_dropped);
  state.counters["dropped_pct"] = emitted > 0 ? 100.0 * dropped / emitted : 0.0;
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JsonLogLineWithOtlpRecordHandoff);

}  // namespace
}  // namespace agenthub::telemetry

BENCHMARK_MAIN();
