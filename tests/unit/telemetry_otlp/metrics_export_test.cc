// PeriodicMetricExporter against a real OTLP/gRPC MetricsService on
// 127.0.0.1: what it pushes equals what /metrics shows, it pushes every
// interval and on ForceFlush/Shutdown, it counts failures, and Shutdown
// returns by its timeout even when the collector hangs.
#include "telemetry/otlp/periodic_metric_exporter.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "support/scoped_env.h"
#include "telemetry/metrics/metrics.h"
#include "telemetry/otlp/metrics_proto.h"

namespace agenthub::telemetry {
namespace {

namespace collector_pb = opentelemetry::proto::collector::metrics::v1;
namespace metrics_pb = opentelemetry::proto::metrics::v1;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// A collector's MetricsService that keeps what it receives. It can answer
// with an error, or hang until released (or until the client cancels).
class RecordingMetricsService final : public collector_pb::MetricsService::Service {
 public:
  grpc::Status Export(grpc::ServerContext* context,
                      const collector_pb::ExportMetricsServiceRequest* request,
                      collector_pb::ExportMetricsServiceResponse*) override {
    std::unique_lock lock(mu_);
    requests_.push_back(*request);
    cv_.notify_all();
    while (hang_ && !context->IsCancelled()) cv_.wait_for(lock, 10ms);
    return status_;
  }

  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }
  std::vector<collector_pb::ExportMetricsServiceRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  void set_status(grpc::Status status) {
    std::lock_guard lock(mu_);
    status_ = std::move(status);
  }
  void set_hang(bool hang) {
    std::lock_guard lock(mu_);
    hang_ = hang;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<collector_pb::ExportMetricsServiceRequest> requests_;
  grpc::Status status_ = grpc::Status::OK;
  bool hang_ = false;
};

class Collector {
 public:
  Collector() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~Collector() {
    service_.set_hang(false);
    server_->Shutdown(std::chrono::system_clock::now() + 1s);
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  RecordingMetricsService& service() { return service_; }

 private:
  RecordingMetricsService service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

std::unique_ptr<OtlpTransport> Transport(const std::string& endpoint) {
  OtlpExporterConfig config =
      OtlpExporterConfig::Defaults(OtlpSignal::kMetrics, OtlpProtocol::kGrpc);
  config.endpoint = endpoint;
  config.retry.max_attempts = 1;  // failures are what some tests want to see
  return OtlpTransport::Create(config);
}

PeriodicMetricExporterOptions Every(std::chrono::milliseconds interval,
                                    std::chrono::milliseconds timeout = 5s) {
  PeriodicMetricExporterOptions o;
  o.interval = interval;
  o.timeout = timeout;
  return o;
}

std::shared_ptr<MeterProvider> Provider() {
  MeterProviderOptions o;
  o.resource = Resource(Attributes{{"service.name", "export-test"}});
  o.process_metrics = false;  // they change between two collections
  o.trace_self_metrics = false;
  return std::make_shared<MeterProvider>(std::move(o));
}

std::string Key(const std::string& name, std::map<std::string, std::string> labels) {
  std::ostringstream out;
  out << name << "{";
  for (const auto& [k, v] : labels) out << k << "=" << v << ",";
  out << "}";
  return out.str();
}

std::string Bound(double le) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.17g", le);
  return buffer;
}

// Every number a scrape shows, keyed like "name_bucket{k=v,le=0.5,}".
std::map<std::string, double> Flatten(const std::vector<prometheus::MetricFamily>& families) {
  std::map<std::string, double> out;
  for (const auto& f : families) {
    if (f.name == "target_info" || f.name.starts_with("agenthub_metric_export")) continue;
    for (const auto& m : f.metric) {
      std::map<std::string, std::string> labels;
      for (const auto& l : m.label) labels[l.name] = l.value;
      switch (f.type) {
        case prometheus::MetricType::Counter:
          out[Key(f.name, labels)] = m.counter.value;
          break;
        case prometheus::MetricType::Gauge:
          out[Key(f.name, labels)] = m.gauge.value;
          break;
        case prometheus::MetricType::Histogram:
          out[Key(f.name + "_count", labels)] = static_cast<double>(m.histogram.sample_count);
          out[Key(f.name + "_sum", labels)] = m.histogram.sample_sum;
          for (const auto& b : m.histogram.bucket) {
            auto with_le = labels;
            with_le["le"] = Bound(b.upper_bound);
            out[Key(f.name + "_bucket", with_le)] = static_cast<double>(b.cumulative_count);
          }
          break;
        default:
          break;
      }
    }
  }
  return out;
}

// The same numbers as a collector received them, under Prometheus names.
std::map<std::string, double> Flatten(const collector_pb::ExportMetricsServiceRequest& request,
                                      const std::vector<InstrumentDescriptor>& descriptors) {
  std::map<std::string, std::string> prometheus_name;
  for (const auto& d : descriptors) prometheus_name[d.name] = d.prometheus_name;
  std::map<std::string, double> out;
  auto number = [](const metrics_pb::NumberDataPoint& p) {
    return p.value_case() == metrics_pb::NumberDataPoint::kAsInt ? static_cast<double>(p.as_int())
                                                                 : p.as_double();
  };
  for (const auto& rm : request.resource_metrics()) {
    for (const auto& sm : rm.scope_metrics()) {
      for (const auto& m : sm.metrics()) {
        const std::string name =
            prometheus_name.count(m.name()) ? prometheus_name[m.name()] : m.name();
        if (name.starts_with("agenthub_metric_export")) continue;
        auto labels_of = [](const auto& point) {
          std::map<std::string, std::string> labels;
          for (const auto& kv : point.attributes()) labels[kv.key()] = kv.value().string_value();
          return labels;
        };
        for (const auto& p : m.sum().data_points()) out[Key(name, labels_of(p))] = number(p);
        for (const auto& p : m.gauge().data_points()) out[Key(name, labels_of(p))] = number(p);
        for (const auto& p : m.histogram().data_points()) {
          const auto labels = labels_of(p);
          out[Key(name + "_count", labels)] = static_cast<double>(p.count());
          out[Key(name + "_sum", labels)] = p.sum();
          uint64_t cumulative = 0;
          for (int i = 0; i < p.bucket_counts_size(); ++i) {
            cumulative += p.bucket_counts(i);
            auto with_le = labels;
            with_le["le"] =
                Bound(i < p.explicit_bounds_size() ? p.explicit_bounds(i)
                                                   : std::numeric_limits<double>::infinity());
            out[Key(name + "_bucket", with_le)] = static_cast<double>(cumulative);
          }
        }
      }
    }
  }
  return out;
}

void RecordSomething(MeterProvider& provider) {
  Meter meter = provider.GetMeter("agenthub.test", "1.0");
  auto published = meter.CreateInt64Counter("tasks.published", "Tasks accepted");
  published.Add(3, {{"task_type", "greeting"}});
  published.Bind({{"task_type", "math"}}).Add(5);
  meter.CreateDoubleCounter("payload", "Payload received", "By").Add(512.5);
  meter.CreateInt64UpDownCounter("subscribers").Add(-2);
  meter.CreateDoubleGauge("queue.utilization", "", "1").Set(0.75);
  auto latency = meter.CreateHistogram("route.duration", "Routing time", "s");
  for (double v : {0.00003, 0.0004, 0.002, 0.3, 4.0, 12.0}) latency.Record(v, {{"q", "tasks"}});
  meter.CreateObservableGauge("queue.depth", "", "{task}", [](ObserverResult& r) {
    r.Observe(11, {{"queue", "tasks"}});
  });
}

TEST(MetricsExport, PushedValuesEqualScrapedValues) {
  Collector collector;
  auto provider = Provider();
  RecordSomething(*provider);
  PeriodicMetricExporter exporter(provider, Transport(collector.endpoint()), Every(1h));
  ASSERT_TRUE(exporter.ForceFlush(10s));
  const auto requests = collector.service().requests();
  ASSERT_EQ(requests.size(), 1u);

  const auto pushed = Flatten(requests[0], provider->descriptors());
  const auto scraped = Flatten(provider->Collect());
  EXPECT_EQ(pushed, scraped);
  EXPECT_EQ(scraped.at(Key("tasks_published_total", {{"task_type", "math"}})), 5);
  const std::string inf = Bound(std::numeric_limits<double>::infinity());
  EXPECT_EQ(scraped.at(Key("route_duration_seconds_bucket", {{"q", "tasks"}, {"le", inf}})), 6);
  // 2 counter series, 1 each for payload, subscribers, utilization and
  // queue depth, and count + sum + 18 buckets of the histogram.
  EXPECT_EQ(scraped.size(), 2 + 4 + 20u);
}

TEST(MetricsExport, PushCarriesResourceScopeAndCumulativeSums) {
  Collector collector;
  auto provider = Provider();
  RecordSomething(*provider);
  PeriodicMetricExporter exporter(provider, Transport(collector.endpoint()), Every(1h));
  ASSERT_TRUE(exporter.ForceFlush(10s));
  const auto request = collector.service().requests().at(0);
  const auto& rm = request.resource_metrics(0);
  EXPECT_EQ(rm.resource().attributes(0).value().string_value(), "export-test");
  const auto& sm = rm.scope_metrics(0);
  EXPECT_EQ(sm.scope().name(), "agenthub.test");
  EXPECT_EQ(sm.scope().version(), "1.0");
  const auto& counter = sm.metrics(0);
  EXPECT_EQ(counter.name(), "tasks.published");
  EXPECT_TRUE(counter.sum().is_monotonic());
  EXPECT_EQ(counter.sum().aggregation_temporality(),
            metrics_pb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  EXPECT_EQ(counter.sum().data_points(0).start_time_unix_nano(), UnixNanos(provider->start_time()));
}

TEST(MetricsExport, ExportsRepeatEveryInterval) {
  Collector collector;
  auto provider = Provider();
  RecordSomething(*provider);
  PeriodicMetricExporter exporter(provider, Transport(collector.endpoint()), Every(50ms));
  EXPECT_TRUE(collector.service().WaitForRequests(3, 10s));
}

TEST(MetricsExport, CumulativeValuesGrowAcrossPushes) {
  Collector collector;
  auto provider = Provider();
  auto counter = provider->GetMeter("m").CreateInt64Counter("grows");
  PeriodicMetricExporter exporter(provider, Transport(collector.endpoint()), Every(1h));
  counter.Add(2);
  ASSERT_TRUE(exporter.ForceFlush(10s));
  counter.Add(3);
  ASSERT_TRUE(exporter.ForceFlush(10s));
  const auto requests = collector.service().requests();
  ASSERT_EQ(requests.size(), 2u);
  auto value = [](const collector_pb::ExportMetricsServiceRequest& r) {
    return r.resource_metrics(0).scope_metrics(0).metrics(0).sum().data_points(0).as_int();
  };
  EXPECT_EQ(value(requests[0]), 2);
  EXPECT_EQ(value(requests[1]), 5);
}

TEST(MetricsExport, TheExporterPushesItsOwnCountersToo) {
  Collector collector;
  auto provider = Provider();
  PeriodicMetricExporter exporter(provider, Transport(collector.endpoint()), Every(1h));
  ASSERT_TRUE(exporter.ForceFlush(10s));
  const auto requests = collector.service().requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& sm = requests[0].resource_metrics(0).scope_metrics(0);
  EXPECT_EQ(sm.scope().name(), kSdkMetricsScope);
  ASSERT_EQ(sm.metrics_size(), 2);
  EXPECT_EQ(sm.metrics(0).name(), "agenthub_metric_exports_total");
  EXPECT_EQ(sm.metrics(1).name(), "agenthub_metric_export_failures_total");
}

TEST(MetricsExport, ExportsAndFailuresAreCountedInTheScrape) {
  testing::DiagnosticCapture diagnostics;
  Collector collector;
  auto provider = Provider();
  RecordSomething(*provider);
  PeriodicMetricExporter exporter(provider, Transport(collector.endpoint()), Every(1h));
  ASSERT_TRUE(exporter.ForceFlush(10s));
  collector.service().set_status(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no thanks"));
  EXPECT_FALSE(exporter.ForceFlush(10s));
  EXPECT_EQ(exporter.stats().exports, 2u);
  EXPECT_EQ(exporter.stats().failures, 1u);
  const std::string text = provider->ScrapePrometheusText();
  EXPECT_THAT(text, HasSubstr("\nagenthub_metric_exports_total 2\n"));
  EXPECT_THAT(text, HasSubstr("\nagenthub_metric_export_failures_total 1\n"));
  EXPECT_TRUE(diagnostics.HasWarningContaining({"metric export", "failed"}));
}

TEST(MetricsExport, UnreachableCollectorFailsTheFlush) {
  testing::DiagnosticCapture diagnostics;
  std::string endpoint;
  {
    Collector gone;
    endpoint = gone.endpoint();
  }
  auto provider = Provider();
  RecordSomething(*provider);
  PeriodicMetricExporter exporter(provider, Transport(endpoint), Every(1h, 2s));
  EXPECT_FALSE(exporter.ForceFlush(10s));
  EXPECT_EQ(exporter.stats().failures, 1u);
}

TEST(MetricsExport, ShutdownSendsAFinalExport) {
  Collector collector;
  auto provider = Provider();
  RecordSomething(*provider);
  PeriodicMetricExporter exporter(provider, Transport(collector.endpoint()), Every(1h));
  EXPECT_TRUE(exporter.Shutdown(10s));
  EXPECT_EQ(collector.service().requests().size(), 1u);
  EXPECT_TRUE(exporter.Shutdown(10s));  // idempotent
  EXPECT_FALSE(exporter.ForceFlush(1s));
}

TEST(MetricsExport, ShutdownReturnsByItsTimeoutWhenTheCollectorHangs) {
  testing::DiagnosticCapture diagnostics;
  Collector collector;
  collector.service().set_hang(true);
  auto provider = Provider();
  RecordSomething(*provider);
  PeriodicMetricExporter exporter(provider, Transport(collector.endpoint()), Every(1h, 60s));
  EXPECT_FALSE(exporter.ForceFlush(200ms));  // the export is now stuck in the collector
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(exporter.Shutdown(300ms));
  // Generous: the bound is the timeout plus the transport noticing the cancel.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(MetricsExport, DestroyingTheExporterRemovesItsSelfMetrics) {
  Collector collector;
  auto provider = Provider();
  {
    PeriodicMetricExporter exporter(provider, Transport(collector.endpoint()), Every(1h));
    EXPECT_THAT(provider->ScrapePrometheusText(), HasSubstr("agenthub_metric_exports_total"));
  }
  EXPECT_THAT(provider->ScrapePrometheusText(),
              ::testing::Not(HasSubstr("agenthub_metric_exports_total")));
}

TEST(MetricsExportOptions, DefaultsAreOneMinuteAndThirtySeconds) {
  testing::ScopedEnv interval("OTEL_METRIC_EXPORT_INTERVAL", std::nullopt);
  testing::ScopedEnv timeout("OTEL_METRIC_EXPORT_TIMEOUT", std::nullopt);
  const auto o = PeriodicMetricExporterOptions::FromEnvironment();
  EXPECT_EQ(o.interval, 60000ms);
  EXPECT_EQ(o.timeout, 30000ms);
}

TEST(MetricsExportOptions, EnvironmentSetsIntervalAndTimeout) {
  testing::ScopedEnv interval("OTEL_METRIC_EXPORT_INTERVAL", "1500");
  testing::ScopedEnv timeout("OTEL_METRIC_EXPORT_TIMEOUT", "700");
  const auto o = PeriodicMetricExporterOptions::FromEnvironment();
  EXPECT_EQ(o.interval, 1500ms);
  EXPECT_EQ(o.timeout, 700ms);
}

TEST(MetricsExportOptions, InvalidValuesWarnAndKeepTheDefaults) {
  testing::DiagnosticCapture diagnostics;
  testing::ScopedEnv interval("OTEL_METRIC_EXPORT_INTERVAL", "0");
  testing::ScopedEnv timeout("OTEL_METRIC_EXPORT_TIMEOUT", "soon");
  const auto o = PeriodicMetricExporterOptions::FromEnvironment();
  EXPECT_EQ(o.interval, 60000ms);
  EXPECT_EQ(o.timeout, 30000ms);
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_METRIC_EXPORT_INTERVAL"}));
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_METRIC_EXPORT_TIMEOUT"}));
}

TEST(MetricsExportOptions, OnlyCumulativeTemporalityIsSupported) {
  testing::DiagnosticCapture diagnostics;
  testing::ScopedEnv preference("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta");
  PeriodicMetricExporterOptions::FromEnvironment();
  EXPECT_TRUE(diagnostics.HasWarningContaining({"delta", "cumulative"}));
}

}  // namespace
}  // namespace agenthub::telemetry
