// Hot paths of the metrics SDK: recording through a bound handle (the way
// instrumented code should record), the unbound lookup for comparison, and
// a /metrics scrape of 1,000 series. Targets: bound counter add <= 10 ns,
// bound histogram record <= 30 ns, 1,000-series scrape <= 2 ms.
//
// The /threads:2 variants record into one shared series from both cores:
// the cost of the cache line moving between them, which per-series atomics
// (prometheus-cpp's design) pay and a per-thread sharded counter does not.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "telemetry/common/sharded_counter.h"
#include "telemetry/metrics/metrics.h"

namespace agenthub::telemetry {
namespace {

MeterProviderOptions BenchOptions() {
  MeterProviderOptions o;
  o.resource = Resource(Attributes{{"service.name", "bench"}});
  o.trace_self_metrics = false;
  return o;
}

// Shared by every benchmark thread, so /threads:2 measures contention.
struct Instruments {
  MeterProvider provider{BenchOptions()};
  Meter meter = provider.GetMeter("bench");
  Int64Counter counter = meter.CreateInt64Counter("bench.events", "Events");
  Int64Counter::Bound bound_counter = counter.Bind({{"queue", "tasks"}});
  Histogram histogram = meter.CreateHistogram("bench.latency", "Latency", "s");
  Histogram::Bound bound_histogram = histogram.Bind({{"queue", "tasks"}});
  ShardedCounter sharded;
};

Instruments& Shared() {
  static auto* instruments = new Instruments();
  return *instruments;
}

void BM_CounterAddBound(benchmark::State& state) {
  const Int64Counter::Bound counter = Shared().bound_counter;
  for (auto _ : state) counter.Add(1);
}
BENCHMARK(BM_CounterAddBound)->Threads(1)->Threads(2);

void BM_HistogramRecordBound(benchmark::State& state) {
  const Histogram::Bound histogram = Shared().bound_histogram;
  double value = 0.0004;
  for (auto _ : state) {
    histogram.Record(value);
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_HistogramRecordBound)->Threads(1)->Threads(2);

// Builds the attribute list each time, as a call site would.
void BM_CounterAddWithAttributes(benchmark::State& state) {
  const Int64Counter counter = Shared().counter;
  for (auto _ : state) counter.Add(1, {{"queue", "tasks"}, {"status", "ok"}});
}
BENCHMARK(BM_CounterAddWithAttributes);

// The attribute-less series is cached by the instrument.
void BM_CounterAddUnboundNoAttributes(benchmark::State& state) {
  const Int64Counter counter = Shared().counter;
  for (auto _ : state) counter.Add(1);
}
BENCHMARK(BM_CounterAddUnboundNoAttributes);

// For comparison only: the SDK's per-thread counter (what the tracing
// self-metrics use), which a Collectable could expose instead.
void BM_ShardedCounterAddForComparison(benchmark::State& state) {
  ShardedCounter& counter = Shared().sharded;
  for (auto _ : state) counter.Add(1);
}
BENCHMARK(BM_ShardedCounterAddForComparison)->Threads(1)->Threads(2);

// 1,000 series: 10 families (counters and gauges) x 100 label sets of two
// labels, plus what every scrape carries (target_info, process_*).
void BM_ScrapePrometheus1000Series(benchmark::State& state) {
  MeterProvider provider(BenchOptions());
  Meter meter = provider.GetMeter("bench");
  for (int f = 0; f < 10; ++f) {
    const std::string name = "bench.family" + std::to_string(f);
    Int64Counter counter = meter.CreateInt64Counter(name + ".events", "Events");
    Int64Gauge gauge = meter.CreateInt64Gauge(name + ".depth", "Depth");
    for (int s = 0; s < 50; ++s) {
      const Attributes attributes{{"agent", "agent-" + std::to_string(s)}, {"queue", "tasks"}};
      counter.Add(s * 1000 + 7, attributes);
      gauge.Set(s, attributes);
    }
  }
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = provider.ScrapePrometheusText();
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ScrapePrometheus1000Series)->Unit(benchmark::kMicrosecond);

// Histograms dominate real scrapes: each series is 20 lines.
void BM_ScrapePrometheus100HistogramSeries(benchmark::State& state) {
  MeterProvider provider(BenchOptions());
  Histogram histogram = provider.GetMeter("bench").CreateHistogram("bench.route", "", "s");
  for (int s = 0; s < 100; ++s) histogram.Record(0.001 * s, {{"route", std::to_string(s)}});
  for (auto _ : state) {
    std::string text = provider.ScrapePrometheusText();
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_ScrapePrometheus100HistogramSeries)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace agenthub::telemetry

BENCHMARK_MAIN();
