// Hot paths of the tracing SDK. The batch benchmarks report, beside time,
// the share of spans the processor dropped: a fast figure bought by
// dropping spans is not a result. The no-op exporter
// keeps up the way a real one batching to a collector would.
#include <benchmark/benchmark.h>

#include <memory>

#include "telemetry/context/context.h"
#include "telemetry/trace/batch_span_processor.h"
#include "telemetry/trace/simple_span_processor.h"
#include "telemetry/trace/tracer_provider.h"

namespace agenthub::telemetry {
namespace {

class NoopExporter : public SpanExporter {
 public:
  ExportResult Export(std::span<const SpanData* const> batch, Deadline) override {
    benchmark::DoNotOptimize(batch.data());
    return ExportResult::kSuccess;
  }
  bool Shutdown(std::chrono::milliseconds) override { return true; }
};

struct BatchPipeline {
  explicit BatchPipeline(BatchSpanProcessorOptions batch_options) {
    TracerProviderOptions options;
    options.resource = Resource(Attributes{{"service.name", "bench"}});
    options.processors.push_back(
        std::make_unique<BatchSpanProcessor>(std::make_unique<NoopExporter>(), batch_options));
    provider = std::make_unique<TracerProvider>(std::move(options));
    tracer = provider->GetTracer("bench");
  }
  std::unique_ptr<TracerProvider> provider;
  Tracer tracer;
};

// The specification's defaults (2048 queued spans), or OTEL_BSP_* when set.
BatchPipeline& SharedBatchPipeline() {
  static BatchPipeline* pipeline = new BatchPipeline(BatchSpanProcessorOptions::FromEnvironment());
  return *pipeline;
}

// With two threads ending spans on a 2-core machine the export thread has
// no core of its own: the scheduler lets a producer finish its time slice
// (milliseconds) before the woken exporter runs, and 2048 queued spans fill
// in ~0.2 ms, so the default queue drops. A queue that absorbs a slice
// measures the SDK instead of the scheduler.
BatchPipeline& LargeQueueBatchPipeline() {
  static BatchPipeline* pipeline = [] {
    BatchSpanProcessorOptions options;
    options.max_queue_size = 16384;
    return new BatchPipeline(options);
  }();
  return *pipeline;
}

void ReportDrops(benchmark::State& state, const TraceStats& before, const TraceStats& after) {
  const double ended = static_cast<double>(after.spans_ended - before.spans_ended);
  const double dropped = static_cast<double>(after.spans_dropped - before.spans_dropped);
  state.counters["dropped_pct"] = ended > 0 ? 100.0 * dropped / ended : 0.0;
}

// The headline: span start + 4 attributes + end, sampled, batch
// processor. Target: <= 150 ns on one thread, <= 250 ns with 2 contending.
void SpanStart4AttributesEnd(benchmark::State& state, BatchPipeline& p) {
  TraceStats before;
  if (state.thread_index() == 0) {
    p.provider->ForceFlush();
    before = p.provider->stats();
  }
  for (auto _ : state) {
    Span span = p.tracer.StartSpan("process_task");
    span.SetAttribute("task.type", "greeting");
    span.SetAttribute("task.id", "task_123");
    span.SetAttribute("attempt", 1);
    span.SetAttribute("success", true);
    span.End();
  }
  if (state.thread_index() == 0) {
    p.provider->ForceFlush();
    ReportDrops(state, before, p.provider->stats());
  }
}

void BM_SpanStart4AttributesEnd(benchmark::State& state) {
  SpanStart4AttributesEnd(state, SharedBatchPipeline());
}
BENCHMARK(BM_SpanStart4AttributesEnd)->Threads(1)->Threads(2)->UseRealTime();

void BM_SpanStart4AttributesEndLargeQueue(benchmark::State& state) {
  SpanStart4AttributesEnd(state, LargeQueueBatchPipeline());
}
BENCHMARK(BM_SpanStart4AttributesEndLargeQueue)->Threads(1)->Threads(2)->UseRealTime();

// The same span into the Simple processor on the calling thread: no queue,
// no export thread. The gap to the batch figure is the cost of handing
// spans (and their memory) to another core.
void BM_SpanStart4AttributesEndSameThread(benchmark::State& state) {
  TracerProviderOptions options;
  options.resource = Resource(Attributes{{"service.name", "bench"}});
  options.processors.push_back(
      std::make_unique<SimpleSpanProcessor>(std::make_unique<NoopExporter>()));
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("bench");
  for (auto _ : state) {
    Span span = tracer.StartSpan("process_task");
    span.SetAttribute("task.type", "greeting");
    span.SetAttribute("task.id", "task_123");
    span.SetAttribute("attempt", 1);
    span.SetAttribute("success", true);
    span.End();
  }
}
BENCHMARK(BM_SpanStart4AttributesEndSameThread);

void BM_SpanStartEnd(benchmark::State& state) {
  BatchPipeline& p = SharedBatchPipeline();
  for (auto _ : state) {
    Span span = p.tracer.StartSpan("op");
    span.End();
  }
}
BENCHMARK(BM_SpanStartEnd);

void BM_ChildSpanUnderCurrentContext(benchmark::State& state) {
  BatchPipeline& p = SharedBatchPipeline();
  Span parent = p.tracer.StartSpan("parent");
  ContextScope scope(Context::Current().WithSpan(parent));
  for (auto _ : state) {
    Span span = p.tracer.StartSpan("child");
    span.End();
  }
  parent.End();
}
BENCHMARK(BM_ChildSpanUnderCurrentContext);

// Target: <= 15 ns. The sampler says no: no recording, no allocation.
void BM_SpanNotSampled(benchmark::State& state) {
  TracerProviderOptions options;
  options.sampler = MakeAlwaysOffSampler();
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("bench");
  for (auto _ : state) {
    Span span = tracer.StartSpan("op");
    span.SetAttribute("task.type", "greeting");
    span.End();
  }
}
BENCHMARK(BM_SpanNotSampled);

void BM_SdkDisabledSpan(benchmark::State& state) {
  TracerProviderOptions options;
  options.disabled = true;
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("bench");
  for (auto _ : state) {
    Span span = tracer.StartSpan("op");
    span.End();
  }
}
BENCHMARK(BM_SdkDisabledSpan);

void BM_SetAttributeString(benchmark::State& state) {
  BatchPipeline& p = SharedBatchPipeline();
  Span span = p.tracer.StartSpan("op");
  for (auto _ : state) span.SetAttribute("task.type", "greeting");
  span.End();
}
BENCHMARK(BM_SetAttributeString);

void BM_NewTraceId(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(NewTraceId());
}
BENCHMARK(BM_NewTraceId);

void BM_ContextScope(benchmark::State& state) {
  Span span(SpanContext(NewTraceId(), NewSpanId(), TraceFlags{1}, false));
  Context ctx = Context().WithSpan(span);
  for (auto _ : state) {
    ContextScope scope(ctx);
    benchmark::DoNotOptimize(&Context::CurrentRef());
  }
}
BENCHMARK(BM_ContextScope);

}  // namespace
}  // namespace agenthub::telemetry

BENCHMARK_MAIN();
