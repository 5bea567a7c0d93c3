// OtlpSpanExporter over OTLP/HTTP (binary protobuf and JSON) against a real
// HTTP server on loopback: bodies, content types, gzip, the retryable status
// codes and Retry-After, non-retryable failures, deadlines and shutdown.

// Debian's libcpp-httplib is compiled with OpenSSL support, which changes the
// layout of httplib's classes; every file including the header must agree.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#include <arpa/inet.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/scoped_env.h"
#include "telemetry/otlp/otlp.h"

namespace agenthub::telemetry {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::MessageDifferencer;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using testing::DiagnosticCapture;
using testing::ScopedEnv;

struct Received {
  std::string path;
  std::string body;  // as the server saw it, after undoing Content-Encoding
  std::string content_type;
  std::string content_encoding;
  std::string user_agent;
  httplib::Headers headers;
};

// An OTLP/HTTP collector answering each POST with the next scripted reply
// (200 with an empty body when none is left).
class FakeHttpCollector {
 public:
  struct Reply {
    int status = 200;
    std::string body;
    std::string content_type = "application/x-protobuf";
    std::string retry_after;
    bool hang = false;  // never answer (until released at teardown)
  };

  FakeHttpCollector() {
    server_.Post(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
      Handle(request, response);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }

  ~FakeHttpCollector() {
    Release();
    server_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  std::string url(const std::string& path = "/v1/traces") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  void Script(std::vector<Reply> replies) {
    std::lock_guard lock(mu_);
    replies_.assign(replies.begin(), replies.end());
  }
  int calls() {
    std::lock_guard lock(mu_);
    return static_cast<int>(received_.size());
  }
  Received last() {
    std::lock_guard lock(mu_);
    return received_.back();
  }
  bool WaitForCalls(int n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return static_cast<int>(received_.size()) >= n; });
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
  }

 private:
  void Handle(const httplib::Request& request, httplib::Response& response) {
    Reply reply;
    {
      std::lock_guard lock(mu_);
      received_.push_back(Received{request.path, request.body,
                                   request.get_header_value("Content-Type"),
                                   request.get_header_value("Content-Encoding"),
                                   request.get_header_value("User-Agent"), request.headers});
      if (!replies_.empty()) {
        reply = replies_.front();
        replies_.pop_front();
      }
    }
    cv_.notify_all();
    if (reply.hang) {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return released_; });
      return;
    }
    response.status = reply.status;
    if (!reply.retry_after.empty()) response.set_header("Retry-After", reply.retry_after);
    response.set_content(reply.body, reply.content_type.c_str());
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Reply> replies_;
  std::vector<Received> received_;
  bool released_ = false;
};

constexpr char kTraceHex[] = "0af7651916cd43dd8448eb211c80319c";

std::vector<SpanData> SampleSpans() {
  auto resource = std::make_shared<Resource>(Attributes{{"service.name", "publisher"}});
  auto scope =
      std::make_shared<InstrumentationScope>(InstrumentationScope{"agenthub", "0.1.0", ""});
  std::vector<SpanData> spans(3);
  for (size_t i = 0; i < spans.size(); ++i) {
    SpanData& span = spans[i];
    span.context = SpanContext(*TraceId::FromHex(kTraceHex), NewSpanId(),
                               TraceFlags{TraceFlags::kSampled}, false);
    if (i > 0) span.parent_span_id = spans[0].context.span_id();
    span.name = "publish_event";
    span.kind = SpanKind::kProducer;
    span.start_time = FromUnixNanos(1'700'000'000'000'000'000ULL + i);
    span.end_time = FromUnixNanos(1'700'000'000'100'000'000ULL + i);
    span.attributes = {{"event.type", "task"},
                       {"retries", int64_t{2}},
                       {"urgent", false},
                       {"score", 0.5},
                       {"ids", AttributeValue(std::vector<int64_t>{1, 2})}};
    span.events.push_back(SpanEvent{"sent", span.end_time, {{"bytes", int64_t{42}}}, 0});
    span.links.push_back(
        SpanLink{SpanContext(NewTraceId(), NewSpanId(), TraceFlags{}, true), {}, 0});
    span.status = SpanStatus{StatusCode::kOk, ""};
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

ExportTraceServiceRequest Expected(const std::vector<SpanData>& spans) {
  ExportTraceServiceRequest expected;
  FillTraceRequest(Pointers(spans), &expected);
  return expected;
}

std::string Gunzip(const std::string& compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);  // gzip wrapper
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[16384];
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - stream.avail_out);
  }
  EXPECT_EQ(result, Z_STREAM_END);
  inflateEnd(&stream);
  return out;
}

// A google.rpc.Status { message = 2 } body, as OTLP/HTTP errors carry.
std::string RpcStatusBody(const std::string& message) {
  std::string body;
  body.push_back(static_cast<char>((2 << 3) | 2));
  body.push_back(static_cast<char>(message.size()));
  return body + message;
}

class HttpExporterTest : public ::testing::Test {
 protected:
  OtlpExporterConfig Config(OtlpProtocol protocol = OtlpProtocol::kHttpProtobuf) const {
    OtlpExporterConfig config = OtlpExporterConfig::Defaults(OtlpSignal::kTraces, protocol);
    config.endpoint = collector_.url();
    config.timeout = 5s;
    config.retry.initial_backoff = 10ms;
    config.retry.max_backoff = 50ms;
    return config;
  }

  ExportResult ExportSample(const OtlpExporterConfig& config) {
    return MakeOtlpSpanExporter(config)->Export(Pointers(spans_), SteadyClock::now() + 10s);
  }

  FakeHttpCollector collector_;
  std::vector<SpanData> spans_ = SampleSpans();
  DiagnosticCapture diagnostics_;
};

TEST_F(HttpExporterTest, ProtobufBodyArrivesWithEveryField) {
  ASSERT_EQ(ExportSample(Config()), ExportResult::kSuccess);
  ASSERT_EQ(collector_.calls(), 1);
  const Received received = collector_.last();
  EXPECT_EQ(received.path, "/v1/traces");
  EXPECT_EQ(received.content_type, "application/x-protobuf");
  EXPECT_EQ(received.content_encoding, "");
  ExportTraceServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(received.body));
  EXPECT_TRUE(MessageDifferencer::Equals(Expected(spans_), request)) << request.DebugString();
  EXPECT_EQ(request.resource_spans(0).scope_spans(0).spans_size(), 3);
}

TEST_F(HttpExporterTest, JsonBodyArrivesWithEveryField) {
  ASSERT_EQ(ExportSample(Config(OtlpProtocol::kHttpJson)), ExportResult::kSuccess);
  const Received received = collector_.last();
  EXPECT_EQ(received.content_type, "application/json");
  EXPECT_NE(received.body.find(std::string("\"traceId\":\"") + kTraceHex + "\""),
            std::string::npos);
  EXPECT_NE(received.body.find("\"kind\":4"), std::string::npos);
  ExportTraceServiceRequest request;
  std::string error;
  ASSERT_TRUE(ParseJson(received.body, &request, &error)) << error;
  EXPECT_TRUE(MessageDifferencer::Equals(Expected(spans_), request)) << request.DebugString();
}

TEST_F(HttpExporterTest, HeadersAndUserAgentAreSent) {
  OtlpExporterConfig config = Config();
  config.headers = {{"authorization", "Bearer secret"}, {"x-tenant", "team-a"}};
  ASSERT_EQ(ExportSample(config), ExportResult::kSuccess);
  const Received received = collector_.last();
  auto header = [&](const std::string& name) {
    auto it = received.headers.find(name);  // names compare case-insensitively
    return it == received.headers.end() ? std::string("<missing>") : it->second;
  };
  EXPECT_EQ(header("Authorization"), "Bearer secret");
  EXPECT_EQ(header("X-Tenant"), "team-a");
  EXPECT_EQ(received.user_agent.rfind("OTel-OTLP-Exporter-Cpp-AgentHub/", 0), 0u)
      << received.user_agent;
}

TEST_F(HttpExporterTest, EndpointFromTheEnvironmentGetsTheSignalPath) {
  ScopedEnv protocol("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  ScopedEnv endpoint("OTEL_EXPORTER_OTLP_ENDPOINT", collector_.url("/base/"));
  ScopedEnv per_signal("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", std::nullopt);
  OtlpExporterConfig config = OtlpExporterConfig::FromEnvironment(OtlpSignal::kTraces);
  ASSERT_EQ(ExportSample(config), ExportResult::kSuccess);
  EXPECT_EQ(collector_.last().path, "/base/v1/traces");
}

TEST_F(HttpExporterTest, GzipBodyIsMarkedAndDecodesToTheRequest) {
  OtlpExporterConfig config = Config();
  config.compression = OtlpCompression::kGzip;
  ASSERT_EQ(ExportSample(config), ExportResult::kSuccess);
  const Received received = collector_.last();
  EXPECT_EQ(received.content_encoding, "gzip");
  ExportTraceServiceRequest request;  // the server undid the gzip
  ASSERT_TRUE(request.ParseFromString(received.body));
  EXPECT_TRUE(MessageDifferencer::Equals(Expected(spans_), request));
}

// Accepts one connection and returns the raw request body, so that the test
// sees the bytes on the wire (httplib's server would already gunzip them).
class RawCapture {
 public:
  RawCapture() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(listen(fd_, 1), 0);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    body_ = std::async(std::launch::async, [this] { return Serve(); });
  }
  ~RawCapture() { close(fd_); }
  int port() const { return port_; }
  std::string Body() { return body_.get(); }

 private:
  std::string Serve() {
    const int client = accept(fd_, nullptr, nullptr);
    std::string data;
    char buffer[65536];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    while (true) {
      const ssize_t n = read(client, buffer, sizeof(buffer));
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
      if (header_end == std::string::npos &&
          (header_end = data.find("\r\n\r\n")) != std::string::npos) {
        std::string lower = data.substr(0, header_end);
        for (char& c : lower) c = static_cast<char>(std::tolower(c));
        const size_t at = lower.find("content-length:");
        if (at != std::string::npos) content_length = std::stoul(lower.substr(at + 15));
      }
      if (header_end != std::string::npos && data.size() >= header_end + 4 + content_length) break;
    }
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    (void)!write(client, reply.data(), reply.size());
    close(client);
    return header_end == std::string::npos ? std::string() : data.substr(header_end + 4);
  }

  int fd_ = -1;
  int port_ = 0;
  std::future<std::string> body_;
};

TEST_F(HttpExporterTest, GzipBytesOnTheWireInflateToTheRequest) {
  RawCapture capture;
  OtlpExporterConfig config = Config();
  config.endpoint = "http://127.0.0.1:" + std::to_string(capture.port()) + "/v1/traces";
  config.compression = OtlpCompression::kGzip;
  ASSERT_EQ(ExportSample(config), ExportResult::kSuccess);
  const std::string wire = capture.Body();
  ExportTraceServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(Gunzip(wire)));
  EXPECT_TRUE(MessageDifferencer::Equals(Expected(spans_), request));
  EXPECT_LT(wire.size(), Expected(spans_).ByteSizeLong());
}

TEST_F(HttpExporterTest, ServiceUnavailableIsRetriedUntilAccepted) {
  collector_.Script({{503}, {502}, {429}, {504}, {200}});
  EXPECT_EQ(ExportSample(Config()), ExportResult::kSuccess);
  EXPECT_EQ(collector_.calls(), 5);
  EXPECT_TRUE(diagnostics_.Warnings().empty());
}

TEST_F(HttpExporterTest, RetryAfterIsHonoured) {
  FakeHttpCollector::Reply throttled;
  throttled.status = 503;
  throttled.retry_after = "1";
  collector_.Script({throttled, {200}});
  const auto start = SteadyClock::now();
  EXPECT_EQ(ExportSample(Config()), ExportResult::kSuccess);
  EXPECT_EQ(collector_.calls(), 2);
  // The backoff alone would have waited about 10 ms.
  EXPECT_GE(SteadyClock::now() - start, 900ms);
}

TEST_F(HttpExporterTest, RetryAfterBeyondTheDeadlineEndsTheExportAtOnce) {
  FakeHttpCollector::Reply throttled;
  throttled.status = 429;
  throttled.retry_after = "30";
  collector_.Script({throttled});
  OtlpExporterConfig config = Config();
  config.timeout = 2s;
  const auto start = SteadyClock::now();
  EXPECT_EQ(ExportSample(config), ExportResult::kFailure);
  EXPECT_EQ(collector_.calls(), 1);
  EXPECT_LT(SteadyClock::now() - start, 1500ms);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"HTTP 429", "no time left"}));
}

TEST_F(HttpExporterTest, BadRequestDropsTheBatchWithAWarningAndNoRetry) {
  collector_.Script({{400, RpcStatusBody("trace_id must be 16 bytes")}});
  EXPECT_EQ(ExportSample(Config()), ExportResult::kFailure);
  EXPECT_EQ(collector_.calls(), 1);
  EXPECT_TRUE(diagnostics_.HasWarningContaining(
      {"dropped 3 spans", "HTTP 400", "trace_id must be 16 bytes"}));
}

TEST_F(HttpExporterTest, OtherErrorStatusesAreNotRetried) {
  for (int status : {401, 403, 404, 413, 500, 501}) {
    collector_.Script({{status}});
    const int before = collector_.calls();
    EXPECT_EQ(ExportSample(Config()), ExportResult::kFailure) << status;
    EXPECT_EQ(collector_.calls() - before, 1) << status;
  }
}

TEST_F(HttpExporterTest, PartialSuccessIsReportedInBothEncodings) {
  ExportTraceServiceResponse response;
  response.mutable_partial_success()->set_rejected_spans(2);
  response.mutable_partial_success()->set_error_message("too old");
  collector_.Script({{200, response.SerializeAsString()}});
  EXPECT_EQ(ExportSample(Config()), ExportResult::kSuccess);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"rejected 2 spans", "too old"}));

  response.mutable_partial_success()->set_rejected_spans(0);
  response.mutable_partial_success()->set_error_message("sampling is on");
  collector_.Script({{200, ToOtlpJson(response), "application/json"}});
  EXPECT_EQ(ExportSample(Config(OtlpProtocol::kHttpJson)), ExportResult::kSuccess);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"says: sampling is on"}));
  EXPECT_EQ(collector_.calls(), 2);
}

TEST_F(HttpExporterTest, ExportReturnsByItsDeadlineWhenTheServerHangs) {
  FakeHttpCollector::Reply hang;
  hang.hang = true;
  collector_.Script({hang, hang, hang});
  OtlpExporterConfig config = Config();
  config.timeout = 300ms;
  const auto start = SteadyClock::now();
  EXPECT_EQ(ExportSample(config), ExportResult::kFailure);
  EXPECT_LT(SteadyClock::now() - start, 3s);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"dropped 3 spans"}));
}

TEST_F(HttpExporterTest, ShutdownDuringAHungExportReturnsPromptly) {
  FakeHttpCollector::Reply hang;
  hang.hang = true;
  collector_.Script({hang});
  OtlpExporterConfig config = Config();
  config.timeout = 60s;
  auto exporter = MakeOtlpSpanExporter(config);
  auto result = std::async(std::launch::async, [&] {
    return exporter->Export(Pointers(spans_), SteadyClock::now() + 60s);
  });
  ASSERT_TRUE(collector_.WaitForCalls(1, 5s));
  const auto start = SteadyClock::now();
  EXPECT_TRUE(exporter->Shutdown(5s));
  ASSERT_EQ(result.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(result.get(), ExportResult::kFailure);
  EXPECT_LT(SteadyClock::now() - start, 3s);
}

TEST_F(HttpExporterTest, RefusedConnectionIsRetriedUntilTheDeadline) {
  int port;
  {
    FakeHttpCollector gone;  // a port that was just free, closed again
    port = gone.port();
  }
  OtlpExporterConfig config = Config();
  config.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
  config.timeout = 400ms;
  const auto start = SteadyClock::now();
  EXPECT_EQ(ExportSample(config), ExportResult::kFailure);
  EXPECT_LT(SteadyClock::now() - start, 3s);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"could not connect"}));
}

TEST_F(HttpExporterTest, InvalidEndpointFailsWithoutSending) {
  OtlpExporterConfig config = Config();
  config.endpoint = "localhost:4318";
  EXPECT_EQ(ExportSample(config), ExportResult::kFailure);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"not an http:// or https:// URL"}));
}

TEST_F(HttpExporterTest, OversizedRequestIsDroppedWithoutSending) {
  OtlpExporterConfig config = Config();
  config.max_request_bytes = 100;
  EXPECT_EQ(ExportSample(config), ExportResult::kFailure);
  EXPECT_EQ(collector_.calls(), 0);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"100-byte limit"}));
}

}  // namespace
}  // namespace agenthub::telemetry
