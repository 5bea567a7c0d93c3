// The Meter API: every instrument, attributes as labels, bound handles,
// idempotent creation, rejected names, histogram buckets, and observable
// callbacks run at collection.
#include "telemetry/metrics/meter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/scoped_env.h"
#include "telemetry/metrics/histogram_buckets.h"
#include "telemetry/metrics/meter_provider.h"

namespace agenthub::telemetry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Only the instruments under test: no process_*, target_info or trace metrics.
MeterProviderOptions Bare() {
  MeterProviderOptions o;
  o.resource = Resource(Attributes{{"service.name", "meter-test"}});
  o.target_info = false;
  o.process_metrics = false;
  o.trace_self_metrics = false;
  return o;
}

const prometheus::MetricFamily* Family(const std::vector<prometheus::MetricFamily>& families,
                                       std::string_view name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// The series of `name` whose labels are exactly `labels`.
std::optional<prometheus::ClientMetric> Series(const MeterProvider& provider, std::string_view name,
                                               const prometheus::Labels& labels = {}) {
  const auto families = provider.Collect();
  const auto* family = Family(families, name);
  if (family == nullptr) return std::nullopt;
  for (const auto& m : family->metric) {
    prometheus::Labels have;
    for (const auto& l : m.label) have[l.name] = l.value;
    if (have == labels) return m;
  }
  return std::nullopt;
}

double CounterValue(const MeterProvider& p, std::string_view name, prometheus::Labels l = {}) {
  auto m = Series(p, name, l);
  return m ? m->counter.value : -1;
}

double GaugeValue(const MeterProvider& p, std::string_view name, prometheus::Labels l = {}) {
  auto m = Series(p, name, l);
  return m ? m->gauge.value : -1;
}

class MeterTest : public ::testing::Test {
 protected:
  MeterProvider provider_{Bare()};
  Meter meter_ = provider_.GetMeter("agenthub.test", "1.2.3");
};

TEST_F(MeterTest, Int64CounterAddsUp) {
  auto c = meter_.CreateInt64Counter("tasks.published", "Tasks accepted");
  c.Add(2);
  c.Add(3);
  EXPECT_EQ(CounterValue(provider_, "tasks_published_total"), 5);
}

TEST_F(MeterTest, DoubleCounterAddsFractions) {
  auto c = meter_.CreateDoubleCounter("work", "Work done", "s");
  c.Add(0.25);
  c.Add(0.5);
  EXPECT_DOUBLE_EQ(CounterValue(provider_, "work_seconds_total"), 0.75);
}

TEST_F(MeterTest, CounterDropsNegativeNanAndInfiniteIncrements) {
  auto c = meter_.CreateDoubleCounter("drops");
  c.Add(1);
  c.Add(-5);
  c.Add(std::numeric_limits<double>::quiet_NaN());
  c.Add(std::numeric_limits<double>::infinity());
  meter_.CreateInt64Counter("idrops").Add(-1);
  EXPECT_EQ(CounterValue(provider_, "drops_total"), 1);
  EXPECT_FALSE(Series(provider_, "idrops_total"));
}

TEST_F(MeterTest, AttributesBecomeLabelsWithSanitizedKeys) {
  auto c = meter_.CreateInt64Counter("requests");
  c.Add(1, {{"http.method", "GET"}, {"status", 200}});
  c.Add(1, {{"http.method", "GET"}, {"status", 200}});
  c.Add(1, {{"http.method", "POST"}, {"status", 500}});
  EXPECT_EQ(CounterValue(provider_, "requests_total", {{"http_method", "GET"}, {"status", "200"}}),
            2);
  EXPECT_EQ(CounterValue(provider_, "requests_total", {{"http_method", "POST"}, {"status", "500"}}),
            1);
}

TEST_F(MeterTest, AttributeOrderDoesNotMatter) {
  auto c = meter_.CreateInt64Counter("ordered");
  c.Add(1, {{"a", "1"}, {"b", "2"}});
  c.Add(1, {{"b", "2"}, {"a", "1"}});
  EXPECT_EQ(CounterValue(provider_, "ordered_total", {{"a", "1"}, {"b", "2"}}), 2);
}

TEST_F(MeterTest, KeysMappingToOneLabelJoinTheirValues) {
  auto c = meter_.CreateInt64Counter("collide");
  c.Add(1, {{"a_b", "y"}, {"a.b", "x"}});
  EXPECT_EQ(CounterValue(provider_, "collide_total", {{"a_b", "x;y"}}), 1);
}

TEST_F(MeterTest, EmptyAttributeKeysAreDropped) {
  auto c = meter_.CreateInt64Counter("nokey");
  c.Add(1, {{"", "lost"}});
  EXPECT_EQ(CounterValue(provider_, "nokey_total"), 1);
}

TEST_F(MeterTest, BoundHandleRecordsIntoItsSeries) {
  auto c = meter_.CreateInt64Counter("bound");
  auto tasks = c.Bind({{"queue", "tasks"}});
  tasks.Add(4);
  tasks.Add(1);
  c.Add(10, {{"queue", "results"}});
  EXPECT_EQ(CounterValue(provider_, "bound_total", {{"queue", "tasks"}}), 5);
  EXPECT_EQ(CounterValue(provider_, "bound_total", {{"queue", "results"}}), 10);
}

TEST_F(MeterTest, BindingTheSameAttributesSharesOneSeries) {
  auto c = meter_.CreateInt64Counter("shared");
  c.Bind({{"k", "v"}}).Add(1);
  c.Bind({{"k", "v"}}).Add(1);
  c.Add(1, {{"k", "v"}});
  EXPECT_EQ(CounterValue(provider_, "shared_total", {{"k", "v"}}), 3);
}

TEST_F(MeterTest, UnboundAddWithoutAttributesUsesTheUnlabelledSeries) {
  auto c = meter_.CreateInt64Counter("plain");
  c.Add(1);
  c.Bind().Add(1);
  EXPECT_EQ(CounterValue(provider_, "plain_total"), 2);
}

TEST_F(MeterTest, UpDownCounterGoesUpAndDown) {
  auto inflight = meter_.CreateInt64UpDownCounter("inflight", "Requests in flight", "{request}");
  inflight.Add(3);
  inflight.Add(-2);
  auto bound = inflight.Bind({{"route", "a"}});
  bound.Add(-4);
  EXPECT_EQ(GaugeValue(provider_, "inflight"), 1);
  EXPECT_EQ(GaugeValue(provider_, "inflight", {{"route", "a"}}), -4);
  EXPECT_EQ(Family(provider_.Collect(), "inflight")->type, prometheus::MetricType::Gauge);
}

TEST_F(MeterTest, DoubleUpDownCounterAcceptsFractions) {
  auto level = meter_.CreateDoubleUpDownCounter("level");
  level.Add(1.5);
  level.Add(-0.25);
  EXPECT_DOUBLE_EQ(GaugeValue(provider_, "level"), 1.25);
}

TEST_F(MeterTest, GaugeKeepsTheLastValue) {
  auto limit = meter_.CreateInt64Gauge("queue.limit");
  limit.Set(10);
  limit.Set(7);
  auto temp = meter_.CreateDoubleGauge("temperature", "", "Cel");
  temp.Bind({{"core", 0}}).Set(41.5);
  EXPECT_EQ(GaugeValue(provider_, "queue_limit"), 7);
  EXPECT_EQ(GaugeValue(provider_, "temperature_celsius", {{"core", "0"}}), 41.5);
}

TEST_F(MeterTest, HistogramCountsBucketsAndSum) {
  auto h = meter_.CreateHistogram("route.duration", "Routing time", "s", {0.1, 1, 10});
  for (double v : {0.05, 0.1, 0.5, 2.0, 20.0}) h.Record(v);
  auto m = Series(provider_, "route_duration_seconds");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->histogram.sample_count, 5u);
  EXPECT_DOUBLE_EQ(m->histogram.sample_sum, 22.65);
  std::vector<std::pair<double, uint64_t>> buckets;
  for (const auto& b : m->histogram.bucket) buckets.emplace_back(b.upper_bound, b.cumulative_count);
  // Upper bounds are inclusive (0.1 falls in le=0.1); counts are cumulative.
  EXPECT_THAT(buckets, ElementsAre(std::pair{0.1, 2u}, std::pair{1.0, 3u}, std::pair{10.0, 4u},
                                   std::pair{std::numeric_limits<double>::infinity(), 5u}));
}

TEST_F(MeterTest, HistogramBoundHandleRecords) {
  auto h = meter_.CreateHistogram("bound.latency", "", "s");
  auto b = h.Bind({{"op", "publish"}});
  b.Record(0.001);
  b.Record(0.002);
  auto m = Series(provider_, "bound_latency_seconds", {{"op", "publish"}});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->histogram.sample_count, 2u);
}

TEST_F(MeterTest, HistogramDropsNanAndInfinity) {
  auto h = meter_.CreateHistogram("finite", "", "s");
  h.Record(1);
  h.Record(std::numeric_limits<double>::quiet_NaN());
  h.Bind().Record(-std::numeric_limits<double>::infinity());
  auto m = Series(provider_, "finite_seconds");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->histogram.sample_count, 1u);
  EXPECT_EQ(m->histogram.sample_sum, 1);
}

TEST_F(MeterTest, HistogramDefaultBucketsSpanFiftyMicrosecondsToTenSeconds) {
  auto h = meter_.CreateHistogram("default.buckets", "", "s");
  EXPECT_EQ(h.descriptor()->buckets, DefaultLatencyBuckets());
  EXPECT_EQ(DefaultLatencyBuckets().front(), 0.00005);
  EXPECT_EQ(DefaultLatencyBuckets().back(), 10);
  EXPECT_TRUE(std::is_sorted(DefaultLatencyBuckets().begin(), DefaultLatencyBuckets().end()));
}

TEST_F(MeterTest, HistogramRejectsUnsortedOrInfiniteBuckets) {
  EXPECT_THROW(meter_.CreateHistogram("unsorted", "", "s", {1, 0.5}), std::invalid_argument);
  EXPECT_THROW(meter_.CreateHistogram("repeated", "", "s", {1, 1}), std::invalid_argument);
  EXPECT_THROW(meter_.CreateHistogram("inf", "", "s", {1, std::numeric_limits<double>::infinity()}),
               std::invalid_argument);
}

TEST_F(MeterTest, HistogramAttributeLeIsRenamed) {
  auto h = meter_.CreateHistogram("le.clash", "", "s", {1});
  h.Record(0.5, {{"le", "x"}});
  EXPECT_TRUE(Series(provider_, "le_clash_seconds", {{"key_le", "x"}}));
}

TEST_F(MeterTest, CreatingAnInstrumentTwiceReturnsTheSameFamily) {
  auto a = meter_.CreateInt64Counter("twice");
  auto b = provider_.GetMeter("another.scope").CreateInt64Counter("twice");
  a.Add(1);
  b.Add(1);
  EXPECT_EQ(CounterValue(provider_, "twice_total"), 2);
  EXPECT_EQ(b.descriptor()->scope.name, "agenthub.test");  // the first creator's
}

TEST_F(MeterTest, RecreatingWithAnotherDescriptionWarnsAndKeepsTheFirst) {
  testing::DiagnosticCapture diagnostics;
  meter_.CreateInt64Counter("described", "first");
  auto again = meter_.CreateInt64Counter("described", "second");
  EXPECT_EQ(again.descriptor()->description, "first");
  EXPECT_TRUE(diagnostics.HasWarningContaining({"described_total", "keeping the first"}));
}

TEST_F(MeterTest, ConflictingKindIsAnError) {
  meter_.CreateInt64Counter("conflict");
  meter_.CreateInt64Gauge("gauge.conflict");
  EXPECT_THAT([&] { meter_.CreateDoubleCounter("conflict"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("taken by Int64Counter")));
  EXPECT_THAT([&] { meter_.CreateInt64UpDownCounter("gauge.conflict"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("taken by Int64Gauge")));
  EXPECT_THROW(meter_.CreateObservableGauge("gauge.conflict", "", "", [](ObserverResult&) {}),
               std::invalid_argument);
}

TEST_F(MeterTest, FamilyRegisteredDirectlyWithAnotherTypeIsAnError) {
  prometheus::BuildGauge().Name("direct_total").Help("h").Register(provider_.registry());
  EXPECT_THAT([&] { meter_.CreateInt64Counter("direct"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("direct_total")));
}

TEST_F(MeterTest, InvalidNamesThrowAtCreation) {
  EXPECT_THAT([&] { meter_.CreateInt64Counter("Bad-Name"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("'Bad-Name'")));
  EXPECT_THROW(meter_.CreateHistogram("latency", "", "ms"), std::invalid_argument);
  EXPECT_THROW(meter_.CreateInt64Gauge("depth_total"), std::invalid_argument);
  EXPECT_THROW(meter_.CreateObservableCounter("", "", "", [](ObserverResult&) {}),
               std::invalid_argument);
}

TEST_F(MeterTest, DescriptorKeepsTheOpenTelemetryView) {
  auto h = meter_.CreateHistogram("http.server.request.duration", "Request time", "s");
  const InstrumentDescriptor* d = h.descriptor();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name, "http.server.request.duration");
  EXPECT_EQ(d->prometheus_name, "http_server_request_duration_seconds");
  EXPECT_EQ(d->unit, "s");
  EXPECT_EQ(d->kind, InstrumentKind::kHistogram);
  EXPECT_EQ(d->scope.name, "agenthub.test");
  EXPECT_EQ(d->scope.version, "1.2.3");
  EXPECT_EQ(provider_.descriptors().size(), 1u);
}

TEST_F(MeterTest, ObservableCallbacksRunAtEveryCollection) {
  std::atomic<int> calls{0};
  meter_.CreateObservableGauge("queue.depth", "Tasks queued", "{task}", [&](ObserverResult& r) {
    ++calls;
    r.Observe(7, {{"queue", "tasks"}});
    r.Observe(2, {{"queue", "results"}});
  });
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(GaugeValue(provider_, "queue_depth", {{"queue", "tasks"}}), 7);
  EXPECT_EQ(calls, 1);
  provider_.ScrapePrometheusText();
  EXPECT_EQ(calls, 2);
}

TEST_F(MeterTest, ObservableCounterAndUpDownCounterHaveTheirTypes) {
  meter_.CreateObservableCounter("cache.hits", "", "", [](ObserverResult& r) { r.Observe(42); });
  meter_.CreateObservableUpDownCounter("sessions", "", "",
                                       [](ObserverResult& r) { r.Observe(-3); });
  const auto families = provider_.Collect();
  ASSERT_NE(Family(families, "cache_hits_total"), nullptr);
  EXPECT_EQ(Family(families, "cache_hits_total")->type, prometheus::MetricType::Counter);
  EXPECT_EQ(CounterValue(provider_, "cache_hits_total"), 42);
  EXPECT_EQ(GaugeValue(provider_, "sessions"), -3);
}

TEST_F(MeterTest, ObservingTheSameAttributesTwiceKeepsTheLastValue) {
  meter_.CreateObservableGauge("last", "", "", [](ObserverResult& r) {
    r.Observe(1);
    r.Observe(2);
  });
  EXPECT_EQ(GaugeValue(provider_, "last"), 2);
}

TEST_F(MeterTest, UnregisteredCallbackIsNoLongerCalled) {
  int calls = 0;
  auto obs = meter_.CreateObservableGauge("gone", "", "", [&](ObserverResult& r) {
    ++calls;
    r.Observe(1);
  });
  provider_.Collect();
  obs.Unregister();
  obs.Unregister();
  EXPECT_FALSE(Series(provider_, "gone"));
  EXPECT_EQ(calls, 1);
}

TEST_F(MeterTest, ThrowingCallbackIsReportedAndTheScrapeGoesOn) {
  testing::DiagnosticCapture diagnostics;
  meter_.CreateObservableGauge("broken", "", "",
                               [](ObserverResult&) -> void { throw std::runtime_error("boom"); });
  meter_.CreateInt64Counter("fine").Add(1);
  EXPECT_EQ(CounterValue(provider_, "fine_total"), 1);
  EXPECT_TRUE(diagnostics.HasWarningContaining({"broken", "boom"}));
}

TEST_F(MeterTest, EmptyCallbackIsRejected) {
  EXPECT_THROW(meter_.CreateObservableGauge("nocallback", "", "", nullptr), std::invalid_argument);
}

TEST(MeterDefaults, DefaultConstructedInstrumentsRecordNothing) {
  Int64Counter c;
  c.Add(1);
  c.Bind({{"k", "v"}}).Add(1);
  Histogram().Record(1);
  Histogram::Bound().Record(1);
  DoubleGauge().Set(1);
  Int64UpDownCounter::Bound().Add(1);
  ObservableInstrument().Unregister();
  EXPECT_EQ(c.descriptor(), nullptr);
}

TEST(MeterLifetime, InstrumentsOutliveTheProviderObject) {
  Int64Counter c;
  Int64Counter::Bound bound;
  {
    MeterProvider provider(Bare());
    c = provider.GetMeter("m").CreateInt64Counter("late");
    bound = c.Bind();
  }
  c.Add(1);
  bound.Add(1);  // the registry is kept alive by `c`
  SUCCEED();
}

TEST(MeterConcurrency, AddsFromManyThreadsAreAllCounted) {
  MeterProvider provider(Bare());
  auto c = provider.GetMeter("m").CreateInt64Counter("parallel");
  auto h = provider.GetMeter("m").CreateHistogram("parallel.latency", "", "s");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto bound = c.Bind({{"kind", "bound"}});
      auto hb = h.Bind();
      for (int i = 0; i < 10000; ++i) {
        bound.Add(1);
        c.Add(1, {{"kind", "unbound"}, {"thread", t % 2}});
        hb.Record(0.001);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(CounterValue(provider, "parallel_total", {{"kind", "bound"}}), 40000);
  EXPECT_EQ(CounterValue(provider, "parallel_total", {{"kind", "unbound"}, {"thread", "0"}}),
            20000);
  EXPECT_EQ(Series(provider, "parallel_latency_seconds")->histogram.sample_count, 40000u);
}

// More threads than the histogram has private shards (32): the rest share
// the overflow shard with atomic adds, and nothing is lost either way.
TEST(MeterConcurrency, HistogramFromMoreThreadsThanShardsCountsEveryRecord) {
  MeterProvider provider(Bare());
  auto h = provider.GetMeter("m").CreateHistogram("crowd.latency", "", "s", {0.5, 1.5});
  constexpr int kThreads = 40;
  constexpr int kEach = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&h] {
      auto bound = h.Bind();
      for (int i = 0; i < kEach; ++i) bound.Record(i % 2 == 0 ? 1.0 : 2.0);
    });
  }
  for (auto& t : threads) t.join();
  auto m = Series(provider, "crowd_latency_seconds");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->histogram.sample_count, uint64_t{kThreads} * kEach);
  EXPECT_DOUBLE_EQ(m->histogram.sample_sum, 1.5 * kThreads * kEach);
  ASSERT_EQ(m->histogram.bucket.size(), 3u);
  EXPECT_EQ(m->histogram.bucket[0].cumulative_count, 0u);
  EXPECT_EQ(m->histogram.bucket[1].cumulative_count, uint64_t{kThreads} * kEach / 2);
  EXPECT_EQ(m->histogram.bucket[2].cumulative_count, uint64_t{kThreads} * kEach);
}

// A scrape while threads record sees a consistent snapshot: cumulative
// counts never decrease and the +Inf bucket always equals the count.
TEST(MeterConcurrency, HistogramScrapedWhileRecordingIsConsistent) {
  MeterProvider provider(Bare());
  auto h = provider.GetMeter("m").CreateHistogram("busy.latency", "", "s", {0.001, 0.01});
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&h, &stop, t] {
      auto bound = h.Bind({{"worker", t}});
      for (uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        bound.Record(i % 3 == 0 ? 0.0005 : 0.005);
      }
    });
  }
  uint64_t last = 0;
  for (int scrape = 0; scrape < 200; ++scrape) {
    auto m = Series(provider, "busy_latency_seconds", {{"worker", "0"}});
    if (!m) continue;
    uint64_t below = 0;
    for (const auto& b : m->histogram.bucket) {
      EXPECT_GE(b.cumulative_count, below);
      below = b.cumulative_count;
    }
    EXPECT_EQ(m->histogram.bucket.back().cumulative_count, m->histogram.sample_count);
    EXPECT_GE(m->histogram.sample_count, last);
    last = m->histogram.sample_count;
  }
  stop = true;
  for (auto& t : threads) t.join();
}

}  // namespace
}  // namespace agenthub::telemetry
