// ProcessTelemetry end to end: configured only through OTEL_* variables, it
// sends spans, logs and metrics to a real OTLP/gRPC receiver on loopback and
// serves /metrics, /health and /ready on its ops port.
#include "runtime/process_telemetry.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <mutex>

#include "net/net.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "support/scoped_env.h"

namespace agenthub::runtime {
namespace {

using namespace std::chrono_literals;
namespace otlp_trace = opentelemetry::proto::collector::trace::v1;
namespace otlp_logs = opentelemetry::proto::collector::logs::v1;
namespace otlp_metrics = opentelemetry::proto::collector::metrics::v1;
using telemetry::testing::ScopedEnv;

// A minimal OTLP/gRPC receiver for all three signals.
class Receiver final : public otlp_trace::TraceService::Service,
                       public otlp_logs::LogsService::Service,
                       public otlp_metrics::MetricsService::Service {
 public:
  grpc::Status Export(grpc::ServerContext*, const otlp_trace::ExportTraceServiceRequest* request,
                      otlp_trace::ExportTraceServiceResponse*) override {
    std::lock_guard lock(mu);
    for (const auto& rs : request->resource_spans()) {
      for (const auto& ss : rs.scope_spans()) {
        for (const auto& span : ss.spans()) span_names.push_back(span.name());
      }
      resource_service = ServiceName(rs.resource());
    }
    return grpc::Status::OK;
  }
  grpc::Status Export(grpc::ServerContext*, const otlp_logs::ExportLogsServiceRequest* request,
                      otlp_logs::ExportLogsServiceResponse*) override {
    std::lock_guard lock(mu);
    for (const auto& rl : request->resource_logs()) {
      for (const auto& sl : rl.scope_logs()) {
        for (const auto& record : sl.log_records()) {
          log_bodies.push_back(record.body().string_value());
          if (!record.trace_id().empty()) ++logs_with_trace_id;
        }
      }
    }
    return grpc::Status::OK;
  }
  grpc::Status Export(grpc::ServerContext*,
                      const otlp_metrics::ExportMetricsServiceRequest* request,
                      otlp_metrics::ExportMetricsServiceResponse*) override {
    std::lock_guard lock(mu);
    for (const auto& rm : request->resource_metrics()) {
      for (const auto& sm : rm.scope_metrics()) {
        for (const auto& metric : sm.metrics()) metric_names.push_back(metric.name());
      }
    }
    return grpc::Status::OK;
  }
  static std::string ServiceName(const opentelemetry::proto::resource::v1::Resource& r) {
    for (const auto& kv : r.attributes()) {
      if (kv.key() == "service.name") return kv.value().string_value();
    }
    return "";
  }

  std::mutex mu;
  std::vector<std::string> span_names;
  std::vector<std::string> log_bodies;
  std::vector<std::string> metric_names;
  std::string resource_service;
  int logs_with_trace_id = 0;
};

class ProcessTelemetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(static_cast<otlp_trace::TraceService::Service*>(&receiver_));
    builder.RegisterService(static_cast<otlp_logs::LogsService::Service*>(&receiver_));
    builder.RegisterService(static_cast<otlp_metrics::MetricsService::Service*>(&receiver_));
    server_ = builder.BuildAndStart();
    ASSERT_TRUE(server_);
  }
  void TearDown() override { server_->Shutdown(); }
  std::string Endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  Receiver receiver_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(ProcessTelemetryTest, SendsSpansLogsAndMetricsWhereTheOtelVariablesSay) {
  ScopedEnv endpoint("OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint());
  ScopedEnv service("OTEL_SERVICE_NAME", "renamed-by-operator");
  ScopedEnv log_level("LOG_LEVEL", "error");  // keep the test's stderr quiet
  std::string error;
  auto telemetry = ProcessTelemetry::Start({.service_name = "agenthub-test"}, &error);
  ASSERT_TRUE(telemetry) << error;
  telemetry->Meter("test").CreateInt64Counter("test_requests", "Requests.").Add(3);
  {
    telemetry::Span span = telemetry->Tracer("test").StartSpan("unit_of_work");
    telemetry::ContextScope scope(telemetry::Context().WithSpan(span));
    telemetry->logger().Error("something failed", {{"attempt", 1}});
    span.End();
  }
  ASSERT_TRUE(telemetry->Shutdown(10s));

  std::lock_guard lock(receiver_.mu);
  EXPECT_EQ(receiver_.span_names, std::vector<std::string>{"unit_of_work"});
  EXPECT_EQ(receiver_.resource_service, "renamed-by-operator");
  ASSERT_EQ(receiver_.log_bodies, std::vector<std::string>{"something failed"});
  EXPECT_EQ(receiver_.logs_with_trace_id, 1);
  EXPECT_NE(
      std::find(receiver_.metric_names.begin(), receiver_.metric_names.end(), "test_requests"),
      receiver_.metric_names.end());
}

TEST_F(ProcessTelemetryTest, NoneExportersSendNothing) {
  ScopedEnv endpoint("OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint());
  ScopedEnv traces("OTEL_TRACES_EXPORTER", "none");
  ScopedEnv metrics("OTEL_METRICS_EXPORTER", "none");
  ScopedEnv logs("OTEL_LOGS_EXPORTER", "none");
  ScopedEnv log_level("LOG_LEVEL", "error");
  std::string error;
  auto telemetry = ProcessTelemetry::Start({.service_name = "agenthub-test"}, &error);
  ASSERT_TRUE(telemetry) << error;
  telemetry->Tracer("test").StartSpan("quiet").End();
  telemetry->logger().Error("quiet");
  ASSERT_TRUE(telemetry->Shutdown(10s));
  std::lock_guard lock(receiver_.mu);
  EXPECT_TRUE(receiver_.span_names.empty());
  EXPECT_TRUE(receiver_.log_bodies.empty());
  EXPECT_TRUE(receiver_.metric_names.empty());
  EXPECT_NE(telemetry->Describe().find("traces -> none"), std::string::npos);
}

TEST_F(ProcessTelemetryTest, OpsPortServesMetricsWithTracingSelfMetricsAndHealth) {
  ScopedEnv traces("OTEL_TRACES_EXPORTER", "none");
  ScopedEnv metrics("OTEL_METRICS_EXPORTER", "prometheus");
  ScopedEnv logs("OTEL_LOGS_EXPORTER", "none");
  ScopedEnv log_level("LOG_LEVEL", "error");
  std::string error;
  auto telemetry =
      ProcessTelemetry::Start({.service_name = "agenthub-test", .ops_port = 0}, &error);
  ASSERT_TRUE(telemetry) << error;
  telemetry->Tracer("test").StartSpan("counted").End();
  httplib::Client client("127.0.0.1", telemetry->ops()->port());
  auto scrape = client.Get("/metrics");
  ASSERT_TRUE(scrape);
  EXPECT_EQ(scrape->status, 200);
  // The seed's troubleshooting command: curl .../metrics | grep trace
  EXPECT_NE(scrape->body.find("agenthub_trace_spans_started_total 1"), std::string::npos)
      << scrape->body;
  EXPECT_NE(scrape->body.find("agenthub_logs_total"), std::string::npos);
  EXPECT_NE(scrape->body.find("process_resident_memory_bytes"), std::string::npos);
  auto health = client.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(telemetry->Describe().find("ops http://localhost:"), std::string::npos);
}

TEST_F(ProcessTelemetryTest, ABusyOpsPortIsAClearError) {
  ScopedEnv traces("OTEL_TRACES_EXPORTER", "none");
  ScopedEnv metrics("OTEL_METRICS_EXPORTER", "none");
  ScopedEnv logs("OTEL_LOGS_EXPORTER", "none");
  ScopedEnv log_level("LOG_LEVEL", "error");
  std::string error;
  auto first = ProcessTelemetry::Start({.service_name = "a", .ops_port = 0}, &error);
  ASSERT_TRUE(first) << error;
  auto second =
      ProcessTelemetry::Start({.service_name = "b", .ops_port = first->ops()->port()}, &error);
  EXPECT_FALSE(second);
  EXPECT_NE(error.find("in use"), std::string::npos) << error;
}

}  // namespace
}  // namespace agenthub::runtime
