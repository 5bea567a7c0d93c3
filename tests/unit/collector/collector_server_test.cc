// The assembled collector: OTLP in over gRPC, traces out of the query API;
// a restart on the same database keeps what was stored; shutdown writes
// everything accepted; ingest counters appear on the process's /metrics.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collector_fixture.h"
#include "collector_test_data.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "runtime/process_telemetry.h"
#include "support/scoped_env.h"

namespace agenthub::collector {
namespace {

using namespace testdata;
using nlohmann::json;
using testing::LoopbackOptions;
using testing::StartCollector;
namespace trace_v1 = opentelemetry::proto::collector::trace::v1;

void ExportOverGrpc(int port, const ExportTraceServiceRequest& request) {
  auto stub = trace_v1::TraceService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  trace_v1::ExportTraceServiceResponse response;
  const grpc::Status status = stub->Export(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

json QueryTrace(int port, const std::string& id, int* status) {
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get("/api/traces/" + id);
  EXPECT_TRUE(res);
  if (!res) return nullptr;
  *status = res->status;
  return json::parse(res->body);
}

const std::string kTrace1 = "4b000000000000000000000000000001";

TEST(CollectorServer, GrpcInQueryApiOut) {
  auto server = StartCollector(LoopbackOptions());
  ExportOverGrpc(server->grpc_port(),
                 MakeRequest("svc", {MakeSpan(1, 1, 0, "root", kT0, 2 * kMs),
                                     MakeSpan(1, 2, 1, "child", kT0 + kMs, kMs)}));
  server->queue().Flush();
  int status = 0;
  const json body = QueryTrace(server->query_port(), kTrace1, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["data"][0]["spans"].size(), 2u);
}

TEST(CollectorServer, RestartWithTheSameDatabaseKeepsTraces) {
  testing::TempDir dir;
  const auto options = LoopbackOptions(dir.File("traces.db"));
  {
    auto server = StartCollector(options);
    ExportOverGrpc(server->grpc_port(), MakeRequest("svc", {MakeSpan(1, 1, 0, "root", kT0, kMs)}));
    // No Flush: Shutdown must write everything it accepted.
    server->Shutdown();
  }
  auto server = StartCollector(options);
  int status = 0;
  const json body = QueryTrace(server->query_port(), kTrace1, &status);
  EXPECT_EQ(status, 200);
  ASSERT_EQ(body["data"].size(), 1u);
  EXPECT_EQ(body["data"][0]["spans"][0]["operationName"], "root");
  ExportOverGrpc(server->grpc_port(), MakeRequest("svc", {MakeSpan(2, 1, 0, "more", kT0, kMs)}));
  server->queue().Flush();
  EXPECT_EQ(server->store().span_count(), 2);
}

TEST(CollectorServer, ForwardsWhatItStoresToAnotherCollector) {
  auto downstream = StartCollector(LoopbackOptions());
  auto options = LoopbackOptions();
  options.forward_endpoint = "http://127.0.0.1:" + std::to_string(downstream->grpc_port());
  auto upstream = StartCollector(options);
  ExportOverGrpc(upstream->grpc_port(), MakeRequest("svc", {MakeSpan(1, 1, 0, "root", kT0, kMs)}));
  // Shutdown writes what was accepted, then forwards what was written.
  upstream->Shutdown();
  EXPECT_EQ(upstream->forwarder()->forwarded(), 1);
  downstream->queue().Flush();
  const auto trace = downstream->store().GetTrace(TraceId(1));
  ASSERT_EQ(trace.spans.size(), 1u);
  EXPECT_EQ(trace.spans[0].resource->service, "svc");
}

TEST(CollectorServer, BusyPortFailsToStartWithAMessage) {
  auto first = StartCollector(LoopbackOptions());
  auto options = LoopbackOptions();
  options.query_port = first->query_port();
  std::string error;
  EXPECT_FALSE(CollectorServer::Start(options, nullptr, &error));
  EXPECT_NE(error.find("cannot listen"), std::string::npos) << error;
}

TEST(CollectorServer, IngestCountersOnMetrics) {
  telemetry::testing::ScopedEnv traces("OTEL_TRACES_EXPORTER", "none");
  telemetry::testing::ScopedEnv logs("OTEL_LOGS_EXPORTER", "none");
  telemetry::testing::ScopedEnv metrics("OTEL_METRICS_EXPORTER", "none");
  runtime::ProcessTelemetryOptions t;
  t.service_name = "agenthub-collector";
  t.ops_port = 0;
  t.ops_host = "127.0.0.1";
  std::string error;
  auto telemetry = runtime::ProcessTelemetry::Start(t, &error);
  ASSERT_TRUE(telemetry) << error;
  auto server = CollectorServer::Start(LoopbackOptions(), telemetry.get(), &error);
  ASSERT_TRUE(server) << error;
  Span bad = MakeSpan(2, 1, 0, "bad", kT0, kMs);
  bad.set_span_id("x");
  ExportOverGrpc(server->grpc_port(),
                 MakeRequest("svc", {MakeSpan(1, 1, 0, "root", kT0, kMs), bad}));
  server->queue().Flush();
  httplib::Client client("127.0.0.1", telemetry->ops()->port());
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  const std::string& text = res->body;
  EXPECT_NE(text.find("agenthub_collector_items_total{outcome=\"stored\",signal=\"spans\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("agenthub_collector_items_total{outcome=\"rejected\",signal=\"spans\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("agenthub_collector_queue_bytes"), std::string::npos);
  // RED metrics of the stored spans.
  EXPECT_NE(text.find("agenthub_collector_span_calls"), std::string::npos);
  EXPECT_NE(text.find("operation=\"root\",service=\"svc\""), std::string::npos);
  EXPECT_NE(text.find("agenthub_collector_span_duration"), std::string::npos);
  server->Shutdown();
}

}  // namespace
}  // namespace agenthub::collector
