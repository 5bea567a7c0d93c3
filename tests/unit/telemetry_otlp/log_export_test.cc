// OTLP log export end to end: a Logger inside an active span, a
// BatchLogRecordProcessor and the OTLP/gRPC exporter, received by a real
// LogsService server on loopback; plus the request's grouping rules.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <sstream>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "support/scoped_env.h"
#include "support/tracing_fixture.h"
#include "telemetry/context/context.h"
#include "telemetry/logs/logs.h"
#include "telemetry/otlp/logs_proto.h"
#include "telemetry/otlp/otlp_log_exporter.h"

namespace agenthub::telemetry {
namespace {

using namespace std::chrono_literals;
namespace collector = opentelemetry::proto::collector::logs::v1;
namespace logs_pb = opentelemetry::proto::logs::v1;
namespace common_pb = opentelemetry::proto::common::v1;

// A LogsService that keeps every request it receives.
class RecordingLogsService final : public collector::LogsService::Service {
 public:
  grpc::Status Export(grpc::ServerContext*, const collector::ExportLogsServiceRequest* request,
                      collector::ExportLogsServiceResponse*) override {
    std::lock_guard lock(mu_);
    requests_.push_back(*request);
    cv_.notify_all();
    return grpc::Status::OK;
  }
  bool WaitForRequests(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return requests_.size() >= n; });
  }
  std::vector<collector::ExportLogsServiceRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<collector::ExportLogsServiceRequest> requests_;
};

struct Collector {
  Collector() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
  }
  ~Collector() { server->Shutdown(std::chrono::system_clock::now() + 1s); }

  RecordingLogsService service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

const common_pb::AnyValue* Find(const google::protobuf::RepeatedPtrField<common_pb::KeyValue>& kvs,
                                const std::string& key) {
  for (const auto& kv : kvs) {
    if (kv.key() == key) return &kv.value();
  }
  return nullptr;
}

std::string Bytes(const auto& id) {
  return std::string(reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size());
}

TEST(OtlpLogExport, DeliversEveryFieldOfALogEmittedInsideASpanOverGrpc) {
  Collector collector;
  ASSERT_GT(collector.port, 0);
  OtlpExporterConfig config = OtlpExporterConfig::Defaults(OtlpSignal::kLogs, OtlpProtocol::kGrpc);
  config.endpoint = "http://127.0.0.1:" + std::to_string(collector.port);
  config.timeout = 5s;
  auto processor = std::make_shared<BatchLogRecordProcessor>(MakeOtlpLogExporter(config));

  std::ostringstream lines;
  LoggerOptions options;
  options.service_name = "agenthub-broker";
  options.sinks = {MakeOstreamSink(lines)};
  options.processor = processor;
  options.resource = std::make_shared<const Resource>(
      Attributes{{"service.name", "agenthub-broker"}, {"service.version", "0.1.0"}},
      "https://opentelemetry.io/schemas/1.24.0");
  options.scope = {"agenthub.broker", "0.1.0", "https://example.com/scope-schema"};
  Logger logger(std::move(options));

  testing::TracingFixture tracing;
  Span span = tracing.tracer.StartSpan("route_task");
  const Timestamp before = Now();
  {
    ContextScope scope(Context::Current().WithSpan(span));
    logger.Warn("queue full", {{"agent", "a1"},
                               {"depth", 7},
                               {"ratio", 0.5},
                               {"retry", true},
                               {"tags", std::vector<std::string>{"x", "y"}}});
  }
  logger.Info("outside any span");
  const Timestamp after = Now();
  ASSERT_TRUE(processor->ForceFlush(10s));
  ASSERT_TRUE(collector.service.WaitForRequests(1));

  const auto requests = collector.service.requests();
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(requests[0].resource_logs_size(), 1);
  const logs_pb::ResourceLogs& rl = requests[0].resource_logs(0);
  EXPECT_EQ(rl.schema_url(), "https://opentelemetry.io/schemas/1.24.0");
  const auto* service_name = Find(rl.resource().attributes(), "service.name");
  ASSERT_NE(service_name, nullptr);
  EXPECT_EQ(service_name->string_value(), "agenthub-broker");
  ASSERT_EQ(rl.scope_logs_size(), 1);
  const logs_pb::ScopeLogs& sl = rl.scope_logs(0);
  EXPECT_EQ(sl.scope().name(), "agenthub.broker");
  EXPECT_EQ(sl.scope().version(), "0.1.0");
  EXPECT_EQ(sl.schema_url(), "https://example.com/scope-schema");
  ASSERT_EQ(sl.log_records_size(), 2);

  const logs_pb::LogRecord& in_span = sl.log_records(0);
  EXPECT_GE(in_span.time_unix_nano(), UnixNanos(before));
  EXPECT_LE(in_span.time_unix_nano(), UnixNanos(after));
  EXPECT_EQ(in_span.observed_time_unix_nano(), in_span.time_unix_nano());
  EXPECT_EQ(in_span.severity_number(), logs_pb::SEVERITY_NUMBER_WARN);
  EXPECT_EQ(in_span.severity_text(), "WARN");
  EXPECT_EQ(in_span.body().string_value(), "queue full");
  ASSERT_EQ(in_span.attributes_size(), 5);
  EXPECT_EQ(in_span.attributes(0).key(), "agent");
  EXPECT_EQ(in_span.attributes(0).value().string_value(), "a1");
  EXPECT_EQ(in_span.attributes(1).value().int_value(), 7);
  EXPECT_EQ(in_span.attributes(2).value().double_value(), 0.5);
  EXPECT_TRUE(in_span.attributes(3).value().bool_value());
  ASSERT_EQ(in_span.attributes(4).value().array_value().values_size(), 2);
  EXPECT_EQ(in_span.attributes(4).value().array_value().values(1).string_value(), "y");
  EXPECT_EQ(in_span.dropped_attributes_count(), 0u);
  EXPECT_EQ(in_span.trace_id(), Bytes(span.context().trace_id()));
  EXPECT_EQ(in_span.span_id(), Bytes(span.context().span_id()));
  EXPECT_EQ(in_span.flags(), 1u);  // sampled

  const logs_pb::LogRecord& outside = sl.log_records(1);
  EXPECT_EQ(outside.severity_number(), logs_pb::SEVERITY_NUMBER_INFO);
  EXPECT_EQ(outside.body().string_value(), "outside any span");
  EXPECT_TRUE(outside.trace_id().empty());
  EXPECT_TRUE(outside.span_id().empty());
  EXPECT_EQ(outside.flags(), 0u);

  // The same records were also written as lines.
  EXPECT_NE(lines.str().find(span.context().trace_id().ToHex()), std::string::npos);
  EXPECT_EQ(processor->stats().records_exported, 2u);
  span.End();
  EXPECT_TRUE(processor->Shutdown(5s));
}

TEST(OtlpLogExport, UnreachableCollectorFailsTheBatchWithoutBlockingPastTheTimeout) {
  OtlpExporterConfig config = OtlpExporterConfig::Defaults(OtlpSignal::kLogs, OtlpProtocol::kGrpc);
  config.endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  config.timeout = 300ms;
  auto exporter = MakeOtlpLogExporter(config);
  testing::DiagnosticCapture diagnostics;
  LogRecordData record;
  record.body = "lost";
  const LogRecordData* batch[] = {&record};
  const auto start = SteadyClock::now();
  EXPECT_EQ(exporter->Export(batch, SteadyClock::now() + 10s), ExportResult::kFailure);
  EXPECT_LT(SteadyClock::now() - start, 5s);
  EXPECT_TRUE(diagnostics.HasWarningContaining({"dropped 1 log records", "127.0.0.1:1"}));
  EXPECT_TRUE(exporter->Shutdown(1s));
  EXPECT_EQ(exporter->Export(batch, SteadyClock::now() + 1s), ExportResult::kFailure);
}

LogRecordData Record(std::shared_ptr<const Resource> resource,
                     std::shared_ptr<const InstrumentationScope> scope, std::string body) {
  LogRecordData r;
  r.resource = std::move(resource);
  r.scope = std::move(scope);
  r.body = std::move(body);
  return r;
}

TEST(LogsProto, GroupsRecordsByResourceThenScopeInOrderOfFirstAppearance) {
  auto res_a = std::make_shared<const Resource>(Attributes{{"service.name", "a"}});
  auto res_a_copy = std::make_shared<const Resource>(Attributes{{"service.name", "a"}});
  auto res_b = std::make_shared<const Resource>(Attributes{{"service.name", "b"}});
  auto scope_x = std::make_shared<const InstrumentationScope>(InstrumentationScope{"x", "", ""});
  auto scope_y = std::make_shared<const InstrumentationScope>(InstrumentationScope{"y", "", ""});
  const LogRecordData records[] = {Record(res_a, scope_x, "1"), Record(res_b, scope_x, "2"),
                                   Record(res_a, scope_y, "3"), Record(res_a_copy, scope_x, "4")};
  std::vector<const LogRecordData*> batch;
  for (const auto& r : records) batch.push_back(&r);
  batch.push_back(nullptr);  // skipped

  collector::ExportLogsServiceRequest request;
  FillLogsRequest(batch, &request);
  ASSERT_EQ(request.resource_logs_size(), 2);
  const auto& a = request.resource_logs(0);
  ASSERT_EQ(a.scope_logs_size(), 2);
  EXPECT_EQ(a.scope_logs(0).scope().name(), "x");
  ASSERT_EQ(a.scope_logs(0).log_records_size(), 2);  // equal resources share a group
  EXPECT_EQ(a.scope_logs(0).log_records(0).body().string_value(), "1");
  EXPECT_EQ(a.scope_logs(0).log_records(1).body().string_value(), "4");
  EXPECT_EQ(a.scope_logs(1).scope().name(), "y");
  EXPECT_EQ(request.resource_logs(1).scope_logs(0).log_records(0).body().string_value(), "2");
}

TEST(LogsProto, RecordWithoutResourceOrScopeLeavesThemUnset) {
  const LogRecordData record = Record(nullptr, nullptr, "bare");
  const LogRecordData* batch[] = {&record};
  collector::ExportLogsServiceRequest request;
  FillLogsRequest(batch, &request);
  ASSERT_EQ(request.resource_logs_size(), 1);
  EXPECT_FALSE(request.resource_logs(0).has_resource());
  EXPECT_FALSE(request.resource_logs(0).scope_logs(0).has_scope());
}

}  // namespace
}  // namespace agenthub::telemetry
