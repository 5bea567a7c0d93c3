// OtlpSpanExporter over OTLP/gRPC against a real TraceService on loopback:
// what arrives, which metadata and compression, which failures are retried,
// partial success, deadlines and shutdown during a hung export.
#include <google/protobuf/any.pb.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "support/scoped_env.h"
#include "telemetry/otlp/otlp.h"

namespace agenthub::telemetry {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::MessageDifferencer;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using opentelemetry::proto::collector::trace::v1::TraceService;
using testing::DiagnosticCapture;

// A collector that answers each Export with the next scripted reply (OK when
// none is left) and records what it received.
class FakeCollector final : public TraceService::Service {
 public:
  struct Reply {
    grpc::Status status = grpc::Status::OK;
    int64_t rejected = 0;
    std::string partial_message;
    bool hang = false;  // never answer (until the client gives up)
  };

  void Script(std::vector<Reply> replies) {
    std::lock_guard lock(mu_);
    replies_.assign(replies.begin(), replies.end());
  }

  grpc::Status Export(grpc::ServerContext* context, const ExportTraceServiceRequest* request,
                      ExportTraceServiceResponse* response) override {
    Reply reply;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(*request);
      metadata_.clear();
      for (const auto& [key, value] : context->client_metadata()) {
        metadata_.emplace(std::string(key.data(), key.size()),
                          std::string(value.data(), value.size()));
      }
      if (!replies_.empty()) {
        reply = replies_.front();
        replies_.pop_front();
      }
    }
    cv_.notify_all();
    if (reply.hang) {
      std::unique_lock lock(mu_);
      while (!released_ && !context->IsCancelled()) cv_.wait_for(lock, 5ms);
      return grpc::Status::CANCELLED;
    }
    if (reply.rejected != 0 || !reply.partial_message.empty()) {
      response->mutable_partial_success()->set_rejected_spans(reply.rejected);
      response->mutable_partial_success()->set_error_message(reply.partial_message);
    }
    return reply.status;
  }

  int calls() {
    std::lock_guard lock(mu_);
    return static_cast<int>(requests_.size());
  }
  ExportTraceServiceRequest last_request() {
    std::lock_guard lock(mu_);
    return requests_.back();
  }
  std::multimap<std::string, std::string> last_metadata() {
    std::lock_guard lock(mu_);
    return metadata_;
  }
  bool WaitForCalls(int n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return static_cast<int>(requests_.size()) >= n; });
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Reply> replies_;
  std::vector<ExportTraceServiceRequest> requests_;
  std::multimap<std::string, std::string> metadata_;
  bool released_ = false;
};

class GrpcExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&collector_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }

  void TearDown() override {
    collector_.Release();
    server_->Shutdown(std::chrono::system_clock::now() + 1s);
  }

  // Short timeouts and backoffs keep every test well under a second or two.
  OtlpExporterConfig Config() const {
    OtlpExporterConfig config =
        OtlpExporterConfig::Defaults(OtlpSignal::kTraces, OtlpProtocol::kGrpc);
    config.endpoint = "http://127.0.0.1:" + std::to_string(port_);
    config.timeout = 5s;
    config.retry.initial_backoff = 10ms;
    config.retry.max_backoff = 50ms;
    return config;
  }

  static Deadline In(std::chrono::milliseconds d) { return SteadyClock::now() + d; }

  FakeCollector collector_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  DiagnosticCapture diagnostics_;
};

constexpr char kTraceHex[] = "0af7651916cd43dd8448eb211c80319c";

std::vector<SpanData> SampleSpans() {
  auto resource = std::make_shared<Resource>(Attributes{{"service.name", "broker"}});
  auto scope =
      std::make_shared<InstrumentationScope>(InstrumentationScope{"agenthub", "0.1.0", ""});
  std::vector<SpanData> spans(2);
  for (size_t i = 0; i < spans.size(); ++i) {
    SpanData& span = spans[i];
    span.context =
        SpanContext(*TraceId::FromHex(kTraceHex), NewSpanId(), TraceFlags{TraceFlags::kSampled},
                    false, *TraceState::Parse("vendor=v"));
    span.parent_span_id = NewSpanId();
    span.parent_is_remote = i == 0;
    span.name = "route_task";
    span.kind = i == 0 ? SpanKind::kServer : SpanKind::kProducer;
    span.start_time = FromUnixNanos(1'700'000'000'000'000'000ULL + i);
    span.end_time = FromUnixNanos(1'700'000'000'500'000'000ULL + i);
    span.attributes = {{"task.type", "summarize"},
                       {"task.priority", int64_t{3}},
                       {"ok", true},
                       {"load", 0.5},
                       {"tags", AttributeValue(std::vector<std::string>{"a", "b"})}};
    span.dropped_attributes = 1;
    span.events.push_back(SpanEvent{"routed", span.start_time, {{"target", "agent-1"}}, 2});
    span.dropped_events = 3;
    span.links.push_back(SpanLink{
        SpanContext(NewTraceId(), NewSpanId(), TraceFlags{}, true), {{"why", "batch"}}, 4});
    span.dropped_links = 5;
    span.status = SpanStatus{StatusCode::kError, "no subscriber"};
    span.resource = resource;
    span.scope = scope;
  }
  return spans;
}

std::vector<const SpanData*> Pointers(const std::vector<SpanData>& spans) {
  std::vector<const SpanData*> out;
  for (const SpanData& span : spans) out.push_back(&span);
  return out;
}

// Appends a length-delimited field to `out` (hand-encoding the google.rpc
// messages, which this build has no generated classes for).
void AppendField(std::string* out, uint32_t field, const std::string& bytes) {
  google::protobuf::io::StringOutputStream stream(out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.WriteTag((field << 3) | 2);
  coded.WriteVarint32(static_cast<uint32_t>(bytes.size()));
  coded.WriteString(bytes);
}

// A google.rpc.Status whose details hold a RetryInfo, as OTLP servers send.
std::string StatusWithRetryInfo(std::chrono::milliseconds delay) {
  google::protobuf::Duration duration;
  duration.set_seconds(delay.count() / 1000);
  duration.set_nanos(static_cast<int32_t>((delay.count() % 1000) * 1'000'000));
  std::string retry_info;
  AppendField(&retry_info, 1, duration.SerializeAsString());  // RetryInfo.retry_delay
  google::protobuf::Any any;
  any.set_type_url("type.googleapis.com/google.rpc.RetryInfo");
  any.set_value(retry_info);
  std::string status;
  AppendField(&status, 2, "full");                   // Status.message
  AppendField(&status, 3, any.SerializeAsString());  // Status.details
  return status;
}

TEST_F(GrpcExporterTest, SpansArriveWithEveryField) {
  const std::vector<SpanData> spans = SampleSpans();
  auto exporter = MakeOtlpSpanExporter(Config());
  ASSERT_EQ(exporter->Export(Pointers(spans), In(5s)), ExportResult::kSuccess);
  ASSERT_EQ(collector_.calls(), 1);
  ExportTraceServiceRequest expected;
  FillTraceRequest(Pointers(spans), &expected);
  const ExportTraceServiceRequest received = collector_.last_request();
  EXPECT_TRUE(MessageDifferencer::Equals(expected, received)) << received.DebugString();
  const auto& span = received.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.trace_id().size(), 16u);
  EXPECT_EQ(span.name(), "route_task");
  EXPECT_EQ(span.flags(), 0x301u);
  EXPECT_EQ(span.attributes_size(), 5);
  EXPECT_EQ(span.events_size(), 1);
  EXPECT_EQ(span.links_size(), 1);
  EXPECT_EQ(span.dropped_links_count(), 5u);
  EXPECT_EQ(span.status().message(), "no subscriber");
  EXPECT_EQ(received.resource_spans(0).resource().attributes(0).value().string_value(), "broker");
}

TEST_F(GrpcExporterTest, HeadersArriveAsMetadataWithOurUserAgent) {
  OtlpExporterConfig config = Config();
  config.headers = {{"authorization", "Bearer secret"}, {"x-tenant", "team-a"}};
  const std::vector<SpanData> spans = SampleSpans();
  ASSERT_EQ(MakeOtlpSpanExporter(config)->Export(Pointers(spans), In(5s)), ExportResult::kSuccess);
  const auto metadata = collector_.last_metadata();
  auto value = [&](const std::string& key) {
    auto it = metadata.find(key);
    return it == metadata.end() ? std::string("<missing>") : it->second;
  };
  EXPECT_EQ(value("authorization"), "Bearer secret");
  EXPECT_EQ(value("x-tenant"), "team-a");
  EXPECT_NE(value("user-agent").find("OTel-OTLP-Exporter-Cpp-AgentHub/"), std::string::npos)
      << value("user-agent");
}

TEST_F(GrpcExporterTest, HeadersSetInCodeAreLowercasedAndBadOnesDropped) {
  OtlpExporterConfig config = Config();
  config.headers = {{"X-Api-Key", "k1"}, {"x-evil", "a\r\nb"}, {"bad name", "v"}};
  const std::vector<SpanData> spans = SampleSpans();
  ASSERT_EQ(MakeOtlpSpanExporter(config)->Export(Pointers(spans), In(5s)), ExportResult::kSuccess);
  const auto metadata = collector_.last_metadata();
  ASSERT_EQ(metadata.count("x-api-key"), 1u);
  EXPECT_EQ(metadata.find("x-api-key")->second, "k1");
  EXPECT_EQ(metadata.count("x-evil"), 0u);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"ignoring header 'x-evil'"}));
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"ignoring header 'bad name'"}));
}

TEST_F(GrpcExporterTest, GzipCompressedRequestsArriveIntact) {
  OtlpExporterConfig config = Config();
  config.compression = OtlpCompression::kGzip;
  const std::vector<SpanData> spans = SampleSpans();
  ASSERT_EQ(MakeOtlpSpanExporter(config)->Export(Pointers(spans), In(5s)), ExportResult::kSuccess);
  ExportTraceServiceRequest expected;
  FillTraceRequest(Pointers(spans), &expected);
  EXPECT_TRUE(MessageDifferencer::Equals(expected, collector_.last_request()));
}

TEST_F(GrpcExporterTest, GzipIsWhatTheRequestIsCompressedWith) {
  // A server with gzip disabled refuses gzip-compressed messages (and only
  // those), which shows that the exporter really sent gzip.
  FakeCollector no_gzip_collector;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
  builder.RegisterService(&no_gzip_collector);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  OtlpExporterConfig config = Config();
  config.endpoint = "http://127.0.0.1:" + std::to_string(port);
  const std::vector<SpanData> spans = SampleSpans();

  EXPECT_EQ(MakeOtlpSpanExporter(config)->Export(Pointers(spans), In(5s)), ExportResult::kSuccess);
  EXPECT_EQ(no_gzip_collector.calls(), 1);

  config.compression = OtlpCompression::kGzip;
  EXPECT_EQ(MakeOtlpSpanExporter(config)->Export(Pointers(spans), In(5s)), ExportResult::kFailure);
  EXPECT_EQ(no_gzip_collector.calls(), 1);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"UNIMPLEMENTED"}));
  no_gzip_collector.Release();
  server->Shutdown(std::chrono::system_clock::now() + 1s);
}

TEST_F(GrpcExporterTest, UnavailableIsRetriedUntilTheCollectorAccepts) {
  collector_.Script({{grpc::Status(grpc::StatusCode::UNAVAILABLE, "starting")},
                     {grpc::Status(grpc::StatusCode::UNAVAILABLE, "starting")},
                     {grpc::Status::OK}});
  const std::vector<SpanData> spans = SampleSpans();
  EXPECT_EQ(MakeOtlpSpanExporter(Config())->Export(Pointers(spans), In(5s)),
            ExportResult::kSuccess);
  EXPECT_EQ(collector_.calls(), 3);
  EXPECT_TRUE(diagnostics_.Warnings().empty());
}

TEST_F(GrpcExporterTest, EveryRetryableCodeOfTheSpecificationIsRetried) {
  for (grpc::StatusCode code :
       {grpc::StatusCode::CANCELLED, grpc::StatusCode::DEADLINE_EXCEEDED, grpc::StatusCode::ABORTED,
        grpc::StatusCode::OUT_OF_RANGE, grpc::StatusCode::DATA_LOSS}) {
    collector_.Script({{grpc::Status(code, "transient")}, {grpc::Status::OK}});
    const int before = collector_.calls();
    const std::vector<SpanData> spans = SampleSpans();
    EXPECT_EQ(MakeOtlpSpanExporter(Config())->Export(Pointers(spans), In(5s)),
              ExportResult::kSuccess)
        << code;
    EXPECT_EQ(collector_.calls() - before, 2) << code;
  }
}

TEST_F(GrpcExporterTest, InvalidArgumentIsNotRetriedAndTheBatchIsDropped) {
  collector_.Script({{grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad span")}});
  const std::vector<SpanData> spans = SampleSpans();
  EXPECT_EQ(MakeOtlpSpanExporter(Config())->Export(Pointers(spans), In(5s)),
            ExportResult::kFailure);
  EXPECT_EQ(collector_.calls(), 1);
  EXPECT_TRUE(
      diagnostics_.HasWarningContaining({"dropped 2 spans", "INVALID_ARGUMENT", "bad span"}));
}

TEST_F(GrpcExporterTest, ResourceExhaustedIsRetriedOnlyWithRetryInfo) {
  collector_.Script({{grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "full")}});
  const std::vector<SpanData> spans = SampleSpans();
  EXPECT_EQ(MakeOtlpSpanExporter(Config())->Export(Pointers(spans), In(5s)),
            ExportResult::kFailure);
  EXPECT_EQ(collector_.calls(), 1);

  collector_.Script(
      {{grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "full", StatusWithRetryInfo(200ms))},
       {grpc::Status::OK}});
  const auto start = SteadyClock::now();
  EXPECT_EQ(MakeOtlpSpanExporter(Config())->Export(Pointers(spans), In(5s)),
            ExportResult::kSuccess);
  EXPECT_EQ(collector_.calls(), 3);
  // The server's retry_delay, not the 10 ms backoff, set the wait.
  EXPECT_GE(SteadyClock::now() - start, 150ms);
}

TEST_F(GrpcExporterTest, PartialSuccessIsReportedAndNotRetried) {
  collector_.Script({{grpc::Status::OK, 1, "span too large"}});
  const std::vector<SpanData> spans = SampleSpans();
  EXPECT_EQ(MakeOtlpSpanExporter(Config())->Export(Pointers(spans), In(5s)),
            ExportResult::kSuccess);
  EXPECT_EQ(collector_.calls(), 1);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"rejected 1 spans", "span too large"}));
}

TEST_F(GrpcExporterTest, ExportReturnsByItsDeadlineWhenTheCollectorNeverAnswers) {
  collector_.Script({{grpc::Status::OK, 0, "", /*hang=*/true}});
  OtlpExporterConfig config = Config();
  config.timeout = 300ms;
  const std::vector<SpanData> spans = SampleSpans();
  const auto start = SteadyClock::now();
  EXPECT_EQ(MakeOtlpSpanExporter(config)->Export(Pointers(spans), In(5s)), ExportResult::kFailure);
  EXPECT_LT(SteadyClock::now() - start, 3s);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"dropped 2 spans"}));
}

TEST_F(GrpcExporterTest, ShutdownDuringAHungExportReturnsPromptly) {
  collector_.Script({{grpc::Status::OK, 0, "", /*hang=*/true}});
  OtlpExporterConfig config = Config();
  config.timeout = 60s;
  auto exporter = MakeOtlpSpanExporter(config);
  const std::vector<SpanData> spans = SampleSpans();
  auto result =
      std::async(std::launch::async, [&] { return exporter->Export(Pointers(spans), In(60s)); });
  ASSERT_TRUE(collector_.WaitForCalls(1, 5s));
  const auto start = SteadyClock::now();
  EXPECT_TRUE(exporter->Shutdown(5s));
  ASSERT_EQ(result.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(result.get(), ExportResult::kFailure);
  EXPECT_LT(SteadyClock::now() - start, 3s);
}

TEST_F(GrpcExporterTest, ExportAfterShutdownFailsWithoutSending) {
  auto exporter = MakeOtlpSpanExporter(Config());
  EXPECT_TRUE(exporter->Shutdown(1s));
  const std::vector<SpanData> spans = SampleSpans();
  EXPECT_EQ(exporter->Export(Pointers(spans), In(5s)), ExportResult::kFailure);
  EXPECT_EQ(collector_.calls(), 0);
}

TEST_F(GrpcExporterTest, EmptyBatchSendsNothing) {
  EXPECT_EQ(MakeOtlpSpanExporter(Config())->Export({}, In(5s)), ExportResult::kSuccess);
  EXPECT_EQ(collector_.calls(), 0);
}

TEST_F(GrpcExporterTest, UnreachableCollectorFailsByTheDeadline) {
  OtlpExporterConfig config = Config();
  server_->Shutdown(std::chrono::system_clock::now());  // nothing listens any more
  config.timeout = 500ms;
  const std::vector<SpanData> spans = SampleSpans();
  const auto start = SteadyClock::now();
  EXPECT_EQ(MakeOtlpSpanExporter(config)->Export(Pointers(spans), In(5s)), ExportResult::kFailure);
  EXPECT_LT(SteadyClock::now() - start, 3s);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"UNAVAILABLE"}));
}

}  // namespace
}  // namespace agenthub::telemetry
