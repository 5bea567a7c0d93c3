// The OTLP/gRPC receiver over real loopback gRPC: what our own exporters
// send is stored with every field; undecodable, oversize and partly invalid
// requests get the OTLP answers; a busy store makes the queue refuse with
// UNAVAILABLE; nothing stored before a bad request is harmed.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>

#include "collector_fixture.h"
#include "collector_test_data.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "telemetry/otlp/otlp.h"
#include "telemetry/telemetry.h"

namespace agenthub::collector {
namespace {

using namespace testdata;
using google::protobuf::util::MessageDifferencer;
using testing::LoopbackOptions;
using testing::StartCollector;
namespace trace_v1 = opentelemetry::proto::collector::trace::v1;
namespace logs_v1 = opentelemetry::proto::collector::logs::v1;
namespace metrics_v1 = opentelemetry::proto::collector::metrics::v1;

std::shared_ptr<grpc::Channel> Channel(int port) {
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(64 * 1024 * 1024);
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials(), args);
}

grpc::Status Export(int port, const ExportTraceServiceRequest& request,
                    trace_v1::ExportTraceServiceResponse* response) {
  auto stub = trace_v1::TraceService::NewStub(Channel(port));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return stub->Export(&context, request, response);
}

// Sends raw bytes as a TraceService/Export request.
grpc::Status ExportRaw(int port, const std::string& bytes) {
  grpc::GenericStub stub(Channel(port));
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
                 grpc::StubOptions(), &request, &response,
                 [&](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

TEST(OtlpGrpcReceiver, StoresEveryFieldOfAnExport) {
  auto server = StartCollector(LoopbackOptions());
  Span span = MakeSpan(1, 1, 0, "publish_event", kT0, 5 * kMs);
  span.set_kind(Span::SPAN_KIND_PRODUCER);
  SetString(span.add_attributes(), "event.type", "greeting");
  span.add_events()->set_name("sent");
  const auto request = MakeRequest("publisher", {span});
  trace_v1::ExportTraceServiceResponse response;
  ASSERT_TRUE(Export(server->grpc_port(), request, &response).ok());
  EXPECT_FALSE(response.has_partial_success());
  server->queue().Flush();
  const auto trace = server->store().GetTrace(TraceId(1));
  ASSERT_EQ(trace.spans.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(trace.spans[0].span, span));
  EXPECT_EQ(trace.spans[0].resource->service, "publisher");
}

TEST(OtlpGrpcReceiver, InvalidSpansAreRejectedThroughPartialSuccess) {
  auto server = StartCollector(LoopbackOptions());
  Span short_trace_id = MakeSpan(2, 1, 0, "bad", kT0, kMs);
  short_trace_id.set_trace_id("abc");
  Span ends_early = MakeSpan(3, 1, 0, "bad", kT0, kMs);
  ends_early.set_end_time_unix_nano(kT0 - 1);
  Span zero_span_id = MakeSpan(4, 1, 0, "bad", kT0, kMs);
  zero_span_id.set_span_id(std::string(8, '\0'));
  const auto request = MakeRequest(
      "svc", {short_trace_id, MakeSpan(1, 1, 0, "good", kT0, kMs), ends_early, zero_span_id});
  trace_v1::ExportTraceServiceResponse response;
  ASSERT_TRUE(Export(server->grpc_port(), request, &response).ok());
  EXPECT_EQ(response.partial_success().rejected_spans(), 3);
  EXPECT_NE(response.partial_success().error_message().find("trace_id must be 16 bytes, got 3"),
            std::string::npos)
      << response.partial_success().error_message();
  EXPECT_NE(response.partial_success().error_message().find("before start_time_unix_nano"),
            std::string::npos);
  server->queue().Flush();
  EXPECT_EQ(server->store().span_count(), 1);
  EXPECT_EQ(server->store().GetTrace(TraceId(1)).spans.size(), 1u);
}

TEST(OtlpGrpcReceiver, UndecodableRequestIsInvalidArgumentAndHarmsNothing) {
  auto server = StartCollector(LoopbackOptions());
  trace_v1::ExportTraceServiceResponse response;
  ASSERT_TRUE(Export(server->grpc_port(), MakeRequest("svc", {MakeSpan(1, 1, 0, "kept", kT0, kMs)}),
                     &response)
                  .ok());
  std::string truncated =
      MakeRequest("svc", {MakeSpan(2, 1, 0, "lost", kT0, kMs)}).SerializeAsString();
  truncated.resize(truncated.size() / 2);
  const grpc::Status status = ExportRaw(server->grpc_port(), truncated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("ExportTraceServiceRequest"), std::string::npos);
  server->queue().Flush();
  EXPECT_EQ(server->store().span_count(), 1);
  EXPECT_EQ(server->store().GetTrace(TraceId(1)).spans.size(), 1u);
  EXPECT_EQ(server->ingest().counters().invalid_requests, 1);
}

TEST(OtlpGrpcReceiver, OversizeRequestIsResourceExhausted) {
  auto options = LoopbackOptions();
  options.max_request_bytes = 4096;
  auto server = StartCollector(options);
  Span big = MakeSpan(1, 1, 0, "big", kT0, kMs);
  SetString(big.add_attributes(), "payload", std::string(8192, 'x'));
  trace_v1::ExportTraceServiceResponse response;
  const grpc::Status status = Export(server->grpc_port(), MakeRequest("svc", {big}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  server->queue().Flush();
  EXPECT_EQ(server->store().span_count(), 0);
}

TEST(OtlpGrpcReceiver, AcceptsLogsAndMetrics) {
  auto server = StartCollector(LoopbackOptions());
  {
    auto stub = logs_v1::LogsService::NewStub(Channel(server->grpc_port()));
    grpc::ClientContext context;
    logs_v1::ExportLogsServiceResponse response;
    auto logs = MakeLogs("svc", 1, 1, "hello", kT0);
    auto* bad = logs.mutable_resource_logs(0)->mutable_scope_logs(0)->add_log_records();
    bad->set_trace_id("short");
    ASSERT_TRUE(stub->Export(&context, logs, &response).ok());
    EXPECT_EQ(response.partial_success().rejected_log_records(), 1);
  }
  {
    auto stub = metrics_v1::MetricsService::NewStub(Channel(server->grpc_port()));
    grpc::ClientContext context;
    metrics_v1::ExportMetricsServiceResponse response;
    ASSERT_TRUE(stub->Export(&context, MakeMetrics("svc", 4), &response).ok());
  }
  server->queue().Flush();
  const auto logs = server->store().TraceLogs(TraceId(1));
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].record.body().string_value(), "hello");
  EXPECT_EQ(server->store().metric_point_count(), 4);
}

TEST(OtlpGrpcReceiver, SpansFromOurSdkAndOtlpExporterArriveWhole) {
  auto server = StartCollector(LoopbackOptions());
  auto config = telemetry::OtlpExporterConfig::Defaults(telemetry::OtlpSignal::kTraces,
                                                        telemetry::OtlpProtocol::kGrpc);
  config.endpoint = "http://127.0.0.1:" + std::to_string(server->grpc_port());
  telemetry::TracerProviderOptions options;
  options.resource = telemetry::Resource(telemetry::Attributes{{"service.name", "sdk-service"}});
  options.processors.push_back(
      std::make_unique<telemetry::SimpleSpanProcessor>(telemetry::MakeOtlpSpanExporter(config)));
  telemetry::TracerProvider provider(std::move(options));
  auto tracer = provider.GetTracer("sdk-scope", "2.0");
  telemetry::Span root = tracer.StartSpan("root");
  root.SetAttribute("task.type", "greeting");
  const auto context = telemetry::Context().WithSpan(root);
  telemetry::Span child = tracer.StartSpan("child", context);
  child.SetStatus(telemetry::StatusCode::kError, "it broke");
  child.End();
  root.End();
  ASSERT_TRUE(provider.ForceFlush(std::chrono::seconds(10)));
  server->queue().Flush();

  const auto& id = root.context().trace_id().bytes();
  const auto trace =
      server->store().GetTrace(std::string(reinterpret_cast<const char*>(id.data()), id.size()));
  ASSERT_EQ(trace.spans.size(), 2u);
  EXPECT_EQ(trace.spans[0].span.name(), "root");
  EXPECT_EQ(trace.spans[0].resource->service, "sdk-service");
  EXPECT_EQ(trace.spans[0].scope.scope.name(), "sdk-scope");
  EXPECT_EQ(trace.spans[1].span.parent_span_id(), trace.spans[0].span.span_id());
  EXPECT_EQ(trace.spans[1].span.status().message(), "it broke");
}

// Holds SQLite's write lock on the collector's database from outside, so
// the writer thread waits and the queue fills: a store that cannot keep up.
class StoreLock {
 public:
  explicit StoreLock(const std::string& path) {
    sqlite3_open(path.c_str(), &db_);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  void Release() {
    if (db_) {
      sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
      sqlite3_close(db_);
      db_ = nullptr;
    }
  }
  ~StoreLock() { Release(); }

 private:
  sqlite3* db_ = nullptr;
};

TEST(OtlpGrpcReceiver, FullQueueAnswersUnavailableAndRecovers) {
  testing::TempDir dir;
  auto options = LoopbackOptions(dir.File("t.db"));
  options.queue.max_requests = 1;
  auto server = StartCollector(options);
  StoreLock lock(options.store.path);
  // The writer takes at most what is queued and then waits on the lock; the
  // queue holds one more request; the next is refused.
  grpc::Status refused;
  int sent = 0;
  for (uint8_t i = 1; i <= 10 && refused.ok(); ++i, ++sent) {
    trace_v1::ExportTraceServiceResponse response;
    refused = Export(server->grpc_port(), MakeRequest("svc", {MakeSpan(i, 1, 0, "op", kT0, kMs)}),
                     &response);
  }
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(refused.error_message().find("queue is full"), std::string::npos);
  lock.Release();
  server->queue().Flush();
  EXPECT_EQ(server->store().span_count(), sent - 1);
  trace_v1::ExportTraceServiceResponse response;
  EXPECT_TRUE(Export(server->grpc_port(), MakeRequest("svc", {MakeSpan(200, 1, 0, "op", kT0, kMs)}),
                     &response)
                  .ok());
}

}  // namespace
}  // namespace agenthub::collector
