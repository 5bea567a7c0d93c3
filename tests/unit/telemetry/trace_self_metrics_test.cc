// The tracing SDK reports on itself in /metrics: spans started in a
// TracerProvider show up as agenthub_trace_* families, so
// `curl :8080/metrics | grep trace` answers "are spans being created?".
#include "telemetry/metrics/trace_self_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <sstream>
#include <string>

#include "support/tracing_fixture.h"
#include "telemetry/metrics/meter_provider.h"
#include "telemetry/trace/sampler.h"

namespace agenthub::telemetry {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::TracingFixture;

MeterProviderOptions WithoutGlobalTraceMetrics() {
  MeterProviderOptions o;
  o.trace_self_metrics = false;
  o.process_metrics = false;
  o.target_info = false;
  return o;
}

// The lines of `text` containing "trace", as `grep trace` would print them.
std::string GrepTrace(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.find("trace") != std::string::npos) out += line + "\n";
  }
  return out;
}

TEST(TraceSelfMetrics, StartedAndEndedSpansAppearInTheScrape) {
  auto fixture = std::make_shared<TracingFixture>();
  std::shared_ptr<TracerProvider> provider(fixture, fixture->provider.get());
  MeterProvider meters(WithoutGlobalTraceMetrics());
  meters.AddCollectable(std::make_shared<TraceSelfMetrics>(provider));
  for (int i = 0; i < 3; ++i) fixture->tracer.StartSpan("op").End();
  Span open = fixture->tracer.StartSpan("still-open");

  const std::string grep = GrepTrace(meters.ScrapePrometheusText());
  EXPECT_THAT(grep, HasSubstr("# TYPE agenthub_trace_spans_started_total counter\n"));
  EXPECT_THAT(grep, HasSubstr("\nagenthub_trace_spans_started_total 4\n"));
  EXPECT_THAT(grep, HasSubstr("\nagenthub_trace_spans_ended_total 3\n"));
  EXPECT_THAT(grep, HasSubstr("\nagenthub_trace_spans_exported_total 3\n"));
  open.End();
}

TEST(TraceSelfMetrics, EveryCounterAndTheQueueGaugeIsReported) {
  const std::string text =
      GrepTrace(prometheus::TextSerializer().Serialize(SamplesToFamilies(TraceStatsSamples({}))));
  for (const char* name :
       {"agenthub_trace_spans_started_total", "agenthub_trace_spans_ended_total",
        "agenthub_trace_spans_not_sampled_total", "agenthub_trace_spans_dropped_total",
        "agenthub_trace_spans_exported_total", "agenthub_trace_export_failures_total"}) {
    EXPECT_THAT(text, HasSubstr(std::string("# TYPE ") + name + " counter\n"));
  }
  EXPECT_THAT(text, HasSubstr("# TYPE agenthub_trace_queue_depth gauge\n"));
}

TEST(TraceSelfMetrics, StatsMapOneToOne) {
  TraceStats stats;
  stats.spans_started = 1;
  stats.spans_ended = 2;
  stats.spans_not_sampled = 3;
  stats.spans_dropped = 4;
  stats.spans_exported = 5;
  stats.export_failures = 6;
  stats.queue_depth = 7;
  std::map<std::string, double> values;
  for (const auto& s : TraceStatsSamples(stats)) values[s.name] = s.value;
  EXPECT_EQ(values, (std::map<std::string, double>{
                        {"agenthub_trace_spans_started_total", 1},
                        {"agenthub_trace_spans_ended_total", 2},
                        {"agenthub_trace_spans_not_sampled_total", 3},
                        {"agenthub_trace_spans_dropped_total", 4},
                        {"agenthub_trace_spans_exported_total", 5},
                        {"agenthub_trace_export_failures_total", 6},
                        {"agenthub_trace_queue_depth", 7},
                    }));
}

TEST(TraceSelfMetrics, UnsampledSpansAreCountedApart) {
  auto fixture = std::make_shared<TracingFixture>(SpanLimits{}, MakeAlwaysOffSampler());
  std::shared_ptr<TracerProvider> provider(fixture, fixture->provider.get());
  MeterProvider meters(WithoutGlobalTraceMetrics());
  meters.AddCollectable(std::make_shared<TraceSelfMetrics>(provider));
  fixture->tracer.StartSpan("dropped").End();
  const std::string text = meters.ScrapePrometheusText();
  EXPECT_THAT(text, HasSubstr("\nagenthub_trace_spans_not_sampled_total 1\n"));
  EXPECT_THAT(text, HasSubstr("\nagenthub_trace_spans_started_total 0\n"));
}

TEST(TraceSelfMetrics, ProviderGoneReportsNothingAndIsNotKeptAlive) {
  auto fixture = std::make_shared<TracingFixture>();
  std::weak_ptr<TracingFixture> weak = fixture;
  MeterProvider meters(WithoutGlobalTraceMetrics());
  meters.AddCollectable(std::make_shared<TraceSelfMetrics>(
      std::shared_ptr<TracerProvider>(fixture, fixture->provider.get())));
  fixture.reset();
  EXPECT_TRUE(weak.expired());
  EXPECT_THAT(meters.ScrapePrometheusText(), IsEmpty());
}

TEST(TraceSelfMetrics, DefaultProviderFollowsTheGlobalTracerProvider) {
  auto fixture = std::make_shared<TracingFixture>();
  std::shared_ptr<TracerProvider> provider(fixture, fixture->provider.get());
  MeterProvider meters;  // trace self-metrics on by default
  SetGlobalTracerProvider(provider);
  fixture->tracer.StartSpan("a").End();
  fixture->tracer.StartSpan("b").End();
  const std::string grep = GrepTrace(meters.ScrapePrometheusText());
  SetGlobalTracerProvider(nullptr);
  EXPECT_THAT(grep, HasSubstr("\nagenthub_trace_spans_started_total 2\n"));
}

}  // namespace
}  // namespace agenthub::telemetry
