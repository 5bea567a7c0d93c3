// A MeterProvider collection as an OTLP ExportMetricsServiceRequest: which
// Prometheus family becomes which OTLP data type, cumulative histogram
// buckets as per-bucket counts, resource, scopes and times. Each test reads
// the request after a serialize/parse round trip, as a collector would.
#include "telemetry/otlp/metrics_proto.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/summary.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "telemetry/metrics/metrics.h"

namespace agenthub::telemetry {
namespace {

namespace metrics_pb = opentelemetry::proto::metrics::v1;
using otlp_pb::ExportMetricsServiceRequest;
using ::testing::ElementsAre;

MeterProviderOptions Options(bool process_metrics = false) {
  MeterProviderOptions o;
  o.resource = Resource(Attributes{{"service.name", "proto-test"}}, "https://schema/1");
  o.process_metrics = process_metrics;
  o.trace_self_metrics = false;
  return o;
}

struct Encoded {
  ExportMetricsServiceRequest request;
  size_t points = 0;
  Timestamp collect_time;
};

Encoded Encode(const MeterProvider& provider) {
  Encoded e;
  e.collect_time = provider.start_time() + std::chrono::seconds(5);
  MetricsBatch batch{provider.Collect(), provider.descriptors(), provider.resource(),
                     provider.start_time(), e.collect_time};
  ExportMetricsServiceRequest built;
  e.points = FillMetricsRequest(batch, &built);
  EXPECT_TRUE(e.request.ParseFromString(built.SerializeAsString()));
  return e;
}

// The metric called `name` anywhere in the request.
const metrics_pb::Metric* FindMetric(const ExportMetricsServiceRequest& r, std::string_view name) {
  for (const auto& rm : r.resource_metrics()) {
    for (const auto& sm : rm.scope_metrics()) {
      for (const auto& m : sm.metrics()) {
        if (m.name() == name) return &m;
      }
    }
  }
  return nullptr;
}

class MetricsProtoTest : public ::testing::Test {
 protected:
  MeterProvider provider_{Options()};
  Meter meter_ = provider_.GetMeter("agenthub.broker", "2.0", "https://scope-schema");
};

TEST_F(MetricsProtoTest, Int64CounterIsAMonotonicCumulativeSumOfInts) {
  meter_.CreateInt64Counter("tasks.published", "Tasks accepted", "{task}").Add(7);
  const Encoded e = Encode(provider_);
  const auto* m = FindMetric(e.request, "tasks.published");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->description(), "Tasks accepted");
  EXPECT_EQ(m->unit(), "{task}");
  ASSERT_TRUE(m->has_sum());
  EXPECT_TRUE(m->sum().is_monotonic());
  EXPECT_EQ(m->sum().aggregation_temporality(), metrics_pb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  ASSERT_EQ(m->sum().data_points_size(), 1);
  EXPECT_EQ(m->sum().data_points(0).value_case(), metrics_pb::NumberDataPoint::kAsInt);
  EXPECT_EQ(m->sum().data_points(0).as_int(), 7);
}

TEST_F(MetricsProtoTest, DoubleCounterCarriesDoubles) {
  meter_.CreateDoubleCounter("cpu", "", "s").Add(1.25);
  const Encoded e = Encode(provider_);
  const auto* m = FindMetric(e.request, "cpu");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->sum().data_points(0).as_double(), 1.25);
}

TEST_F(MetricsProtoTest, UpDownCounterIsANonMonotonicSum) {
  meter_.CreateInt64UpDownCounter("inflight").Add(-3);
  meter_.CreateObservableUpDownCounter("sessions", "", "", [](ObserverResult& r) { r.Observe(4); });
  const Encoded e = Encode(provider_);
  for (const char* name : {"inflight", "sessions"}) {
    const auto* m = FindMetric(e.request, name);
    ASSERT_NE(m, nullptr) << name;
    ASSERT_TRUE(m->has_sum()) << name;
    EXPECT_FALSE(m->sum().is_monotonic()) << name;
    EXPECT_EQ(m->sum().aggregation_temporality(), metrics_pb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  }
  EXPECT_EQ(FindMetric(e.request, "inflight")->sum().data_points(0).as_int(), -3);
  EXPECT_EQ(FindMetric(e.request, "sessions")->sum().data_points(0).as_double(), 4);
}

TEST_F(MetricsProtoTest, GaugeIsAGaugeWithoutStartTime) {
  meter_.CreateDoubleGauge("temperature", "", "Cel").Set(21.5);
  const Encoded e = Encode(provider_);
  const auto* m = FindMetric(e.request, "temperature");
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(m->has_gauge());
  EXPECT_EQ(m->gauge().data_points(0).as_double(), 21.5);
  EXPECT_EQ(m->gauge().data_points(0).start_time_unix_nano(), 0u);
  EXPECT_EQ(m->gauge().data_points(0).time_unix_nano(), UnixNanos(e.collect_time));
}

TEST_F(MetricsProtoTest, HistogramBucketsBecomePerBucketCounts) {
  auto h = meter_.CreateHistogram("route.duration", "Routing", "s", {1, 2, 5});
  for (double v : {0.5, 1.5, 1.7, 3.0, 10.0}) h.Record(v);
  const Encoded e = Encode(provider_);
  const auto* m = FindMetric(e.request, "route.duration");
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(m->has_histogram());
  EXPECT_EQ(m->histogram().aggregation_temporality(),
            metrics_pb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  const auto& p = m->histogram().data_points(0);
  EXPECT_EQ(p.count(), 5u);
  EXPECT_DOUBLE_EQ(p.sum(), 16.7);
  EXPECT_THAT(p.explicit_bounds(), ElementsAre(1, 2, 5));
  EXPECT_THAT(p.bucket_counts(), ElementsAre(1u, 2u, 1u, 1u));  // last is (5, +Inf)
}

TEST_F(MetricsProtoTest, HistogramFamilyWithoutInfBucketGetsOne) {
  prometheus::MetricFamily family{"hand_made_seconds", "h", prometheus::MetricType::Histogram, {}};
  prometheus::ClientMetric metric;
  metric.histogram.sample_count = 4;
  metric.histogram.sample_sum = 9;
  metric.histogram.bucket = {{1, 1.0}, {3, 2.0}};
  family.metric.push_back(metric);
  MetricsBatch batch{{family}, {}, Resource(), Now(), Now()};
  ExportMetricsServiceRequest request;
  FillMetricsRequest(batch, &request);
  const auto& p = FindMetric(request, "hand_made_seconds")->histogram().data_points(0);
  EXPECT_THAT(p.explicit_bounds(), ElementsAre(1, 2));
  EXPECT_THAT(p.bucket_counts(), ElementsAre(1u, 2u, 1u));
}

TEST_F(MetricsProtoTest, LabelsBecomeStringAttributes) {
  meter_.CreateInt64Counter("requests").Add(1, {{"http.method", "GET"}, {"code", 200}});
  const Encoded e = Encode(provider_);
  const auto& p = FindMetric(e.request, "requests")->sum().data_points(0);
  ASSERT_EQ(p.attributes_size(), 2);
  EXPECT_EQ(p.attributes(0).key(), "code");
  EXPECT_EQ(p.attributes(0).value().string_value(), "200");
  EXPECT_EQ(p.attributes(1).key(), "http_method");
  EXPECT_EQ(p.attributes(1).value().string_value(), "GET");
}

TEST_F(MetricsProtoTest, CumulativePointsStartWhenTheProviderStarted) {
  meter_.CreateInt64Counter("started").Add(1);
  const Encoded e = Encode(provider_);
  const auto& p = FindMetric(e.request, "started")->sum().data_points(0);
  EXPECT_EQ(p.start_time_unix_nano(), UnixNanos(provider_.start_time()));
  EXPECT_EQ(p.time_unix_nano(), UnixNanos(e.collect_time));
}

TEST_F(MetricsProtoTest, ResourceAndItsSchemaAreSetOnce) {
  meter_.CreateInt64Counter("x").Add(1);
  const Encoded e = Encode(provider_);
  ASSERT_EQ(e.request.resource_metrics_size(), 1);
  const auto& rm = e.request.resource_metrics(0);
  EXPECT_EQ(rm.schema_url(), "https://schema/1");
  ASSERT_EQ(rm.resource().attributes_size(), 1);
  EXPECT_EQ(rm.resource().attributes(0).key(), "service.name");
  EXPECT_EQ(rm.resource().attributes(0).value().string_value(), "proto-test");
}

TEST_F(MetricsProtoTest, TargetInfoIsNotSentBecauseItIsTheResource) {
  meter_.CreateInt64Counter("x").Add(1);
  EXPECT_EQ(FindMetric(Encode(provider_).request, "target_info"), nullptr);
}

TEST_F(MetricsProtoTest, MetricsAreGroupedByTheScopeThatCreatedThem) {
  meter_.CreateInt64Counter("a").Add(1);
  provider_.GetMeter("agenthub.client").CreateInt64Counter("b").Add(1);
  meter_.CreateInt64Counter("c").Add(1);
  const Encoded e = Encode(provider_);
  const auto& rm = e.request.resource_metrics(0);
  ASSERT_EQ(rm.scope_metrics_size(), 2);
  EXPECT_EQ(rm.scope_metrics(0).scope().name(), "agenthub.broker");
  EXPECT_EQ(rm.scope_metrics(0).scope().version(), "2.0");
  EXPECT_EQ(rm.scope_metrics(0).schema_url(), "https://scope-schema");
  EXPECT_EQ(rm.scope_metrics(0).metrics_size(), 2);
  EXPECT_EQ(rm.scope_metrics(1).scope().name(), "agenthub.client");
}

TEST(MetricsProtoSdkFamilies, KeepTheirPrometheusNameUnderTheSdkScope) {
  MeterProvider provider(Options(/*process_metrics=*/true));
  const Encoded e = Encode(provider);
  const auto& rm = e.request.resource_metrics(0);
  ASSERT_EQ(rm.scope_metrics_size(), 1);
  EXPECT_EQ(rm.scope_metrics(0).scope().name(), kSdkMetricsScope);
  const auto* cpu = FindMetric(e.request, "process_cpu_seconds_total");
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(cpu->unit(), "s");
  EXPECT_TRUE(cpu->sum().is_monotonic());
  EXPECT_EQ(cpu->sum().data_points(0).value_case(), metrics_pb::NumberDataPoint::kAsDouble);
  const auto* rss = FindMetric(e.request, "process_resident_memory_bytes");
  ASSERT_NE(rss, nullptr);
  EXPECT_EQ(rss->unit(), "By");
  EXPECT_TRUE(rss->has_gauge());
  EXPECT_EQ(FindMetric(e.request, "process_open_fds")->unit(), "");
}

TEST_F(MetricsProtoTest, SummaryFromTheRegistryBecomesASummary) {
  auto& family = prometheus::BuildSummary()
                     .Name("rpc_seconds")
                     .Help("RPC time")
                     .Register(provider_.registry());
  family.Add({}, prometheus::Summary::Quantiles{{0.5, 0.05}}).Observe(2);
  const Encoded e = Encode(provider_);
  const auto* m = FindMetric(e.request, "rpc_seconds");
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(m->has_summary());
  EXPECT_EQ(m->summary().data_points(0).count(), 1u);
  EXPECT_EQ(m->summary().data_points(0).quantile_values(0).quantile(), 0.5);
}

TEST_F(MetricsProtoTest, ReturnsTheNumberOfDataPoints) {
  auto c = meter_.CreateInt64Counter("points");
  c.Add(1, {{"k", "a"}});
  c.Add(1, {{"k", "b"}});
  meter_.CreateHistogram("h", "", "s").Record(1);
  EXPECT_EQ(Encode(provider_).points, 3u);
}

TEST_F(MetricsProtoTest, NothingRecordedGivesNoPoints) {
  meter_.CreateInt64Counter("unused");
  EXPECT_EQ(Encode(provider_).points, 0u);
}

}  // namespace
}  // namespace agenthub::telemetry
