// Propagation hot paths: what every traced request and every task message
// pays to carry its context. The carrier map is reused across iterations, as
// a server reuses its header storage, so the figures are the propagators'
// own cost rather than std::map node allocation.
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "telemetry/propagation/map_carrier.h"
#include "telemetry/propagation/w3c_baggage.h"
#include "telemetry/propagation/w3c_trace_context.h"

namespace agenthub::telemetry {
namespace {

using Headers = std::map<std::string, std::string>;

constexpr char kTraceParent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

Context SpanContextOnly() {
  return Context().WithSpan(Span(*W3CTraceContextPropagator::ParseTraceParent(kTraceParent)));
}

void BM_TraceparentInject(benchmark::State& state) {
  const W3CTraceContextPropagator propagator;
  const Context context = SpanContextOnly();
  Headers headers;
  MapCarrier carrier(headers);
  for (auto _ : state) {
    propagator.Inject(context, carrier);
    benchmark::DoNotOptimize(headers);
  }
}
BENCHMARK(BM_TraceparentInject);

void BM_TraceparentExtract(benchmark::State& state) {
  const W3CTraceContextPropagator propagator;
  const Headers headers = {{"traceparent", kTraceParent}};
  const MapCarrier carrier(headers);
  const Context base;
  for (auto _ : state) {
    Context context = propagator.Extract(carrier, base);
    benchmark::DoNotOptimize(context);
  }
}
BENCHMARK(BM_TraceparentExtract);

void BM_TraceparentExtractWithTraceState(benchmark::State& state) {
  const W3CTraceContextPropagator propagator;
  const Headers headers = {{"traceparent", kTraceParent},
                           {"tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"}};
  const MapCarrier carrier(headers);
  const Context base;
  for (auto _ : state) {
    Context context = propagator.Extract(carrier, base);
    benchmark::DoNotOptimize(context);
  }
}
BENCHMARK(BM_TraceparentExtractWithTraceState);

void BM_BaggageRoundTrip10(benchmark::State& state) {
  const W3CBaggagePropagator propagator;
  Baggage baggage;
  for (int i = 0; i < 10; ++i) {
    baggage = baggage.Set("key" + std::to_string(i), "value-" + std::to_string(i));
  }
  const Context context = Context().WithBaggage(baggage);
  Headers headers;
  MapCarrier carrier(headers);
  const Context base;
  for (auto _ : state) {
    propagator.Inject(context, carrier);
    Context extracted = propagator.Extract(carrier, base);
    benchmark::DoNotOptimize(extracted);
  }
}
BENCHMARK(BM_BaggageRoundTrip10);

}  // namespace
}  // namespace agenthub::telemetry

BENCHMARK_MAIN();
