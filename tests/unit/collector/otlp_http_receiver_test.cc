// The OTLP/HTTP receiver over real loopback HTTP: protobuf and JSON, gzip,
// our own exporters, and the bad-input matrix (wrong content type,
// truncated protobuf, invalid JSON, wrong id lengths, oversize bodies and
// decompression bombs), each with its status and nothing stored harmed.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "collector_fixture.h"
#include "collector_test_data.h"
#include "telemetry/otlp/otlp.h"

namespace agenthub::collector {
namespace {

using namespace testdata;
using nlohmann::json;
using testing::LoopbackOptions;
using testing::StartCollector;
namespace trace_v1 = opentelemetry::proto::collector::trace::v1;

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class HttpReceiver : public ::testing::Test {
 protected:
  void Start(CollectorOptions options = LoopbackOptions()) {
    server_ = StartCollector(std::move(options));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    client_->set_read_timeout(30, 0);
  }
  void SetUp() override { Start(); }

  httplib::Result Post(const std::string& path, const std::string& body, const std::string& type,
                       httplib::Headers headers = {}) {
    return client_->Post(path, headers, body, type);
  }

  // Stores one good span, so each bad request can show it harmed nothing.
  void StoreBaseline() {
    auto res = Post("/v1/traces",
                    MakeRequest("svc", {MakeSpan(1, 1, 0, "kept", kT0, kMs)}).SerializeAsString(),
                    "application/x-protobuf");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
  }
  void ExpectBaselineOnly() {
    server_->queue().Flush();
    EXPECT_EQ(server_->store().span_count(), 1);
    EXPECT_EQ(server_->store().GetTrace(TraceId(1)).spans.size(), 1u);
  }

  std::unique_ptr<CollectorServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpReceiver, ProtobufExportIsStoredAndAnsweredInProtobuf) {
  auto res = Post("/v1/traces",
                  MakeRequest("svc", {MakeSpan(1, 1, 0, "op", kT0, kMs)}).SerializeAsString(),
                  "application/x-protobuf");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/x-protobuf");
  trace_v1::ExportTraceServiceResponse response;
  EXPECT_TRUE(response.ParseFromString(res->body));
  EXPECT_FALSE(response.has_partial_success());
  server_->queue().Flush();
  EXPECT_EQ(server_->store().GetTrace(TraceId(1)).spans.size(), 1u);
}

TEST_F(HttpReceiver, JsonExportIsStoredAndAnsweredInJson) {
  const std::string body =
      telemetry::ToOtlpJson(MakeRequest("svc", {MakeSpan(1, 1, 0, "op", kT0, kMs)}));
  auto res = Post("/v1/traces", body, "application/json; charset=utf-8");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_TRUE(json::parse(res->body).is_object());
  server_->queue().Flush();
  const auto trace = server_->store().GetTrace(TraceId(1));
  ASSERT_EQ(trace.spans.size(), 1u);
  EXPECT_EQ(trace.spans[0].span.start_time_unix_nano(), kT0);
}

TEST_F(HttpReceiver, GzipBodiesAreDecompressed) {
  const std::string body =
      Gzip(MakeRequest("svc", {MakeSpan(1, 1, 0, "op", kT0, kMs)}).SerializeAsString());
  auto res = Post("/v1/traces", body, "application/x-protobuf", {{"Content-Encoding", "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  server_->queue().Flush();
  EXPECT_EQ(server_->store().span_count(), 1);
}

TEST_F(HttpReceiver, LogsAndMetricsEndpoints) {
  auto logs = Post("/v1/logs", MakeLogs("svc", 1, 1, "hi", kT0).SerializeAsString(),
                   "application/x-protobuf");
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->status, 200);
  auto metrics =
      Post("/v1/metrics", telemetry::ToOtlpJson(MakeMetrics("svc", 2)), "application/json");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  server_->queue().Flush();
  EXPECT_EQ(server_->store().TraceLogs(TraceId(1)).size(), 1u);
  EXPECT_EQ(server_->store().metric_point_count(), 2);
}

TEST_F(HttpReceiver, InvalidSpansArePartialSuccessInBothEncodings) {
  Span bad = MakeSpan(2, 1, 0, "bad", kT0, kMs);
  bad.set_end_time_unix_nano(kT0 - kMs);
  const auto request = MakeRequest("svc", {MakeSpan(1, 1, 0, "good", kT0, kMs), bad});
  auto res = Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  trace_v1::ExportTraceServiceResponse response;
  ASSERT_TRUE(response.ParseFromString(res->body));
  EXPECT_EQ(response.partial_success().rejected_spans(), 1);

  auto json_res = Post("/v1/traces", telemetry::ToOtlpJson(request), "application/json");
  ASSERT_TRUE(json_res);
  const json body = json::parse(json_res->body);
  EXPECT_EQ(body["partialSuccess"]["rejectedSpans"], "1") << json_res->body;
  EXPECT_NE(body["partialSuccess"]["errorMessage"].get<std::string>().find("end_time"),
            std::string::npos);
  server_->queue().Flush();
  EXPECT_EQ(server_->store().span_count(), 2);  // the good span, twice
}

TEST_F(HttpReceiver, WrongContentTypeIs415) {
  StoreBaseline();
  auto res = Post("/v1/traces", "{}", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 415);
  EXPECT_NE(res->body.find("application/x-protobuf"), std::string::npos);
  ExpectBaselineOnly();
}

TEST_F(HttpReceiver, TruncatedProtobufIs400WithAStatusMessage) {
  StoreBaseline();
  std::string body = MakeRequest("svc", {MakeSpan(2, 1, 0, "lost", kT0, kMs)}).SerializeAsString();
  body.resize(body.size() - 5);
  auto res = Post("/v1/traces", body, "application/x-protobuf");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  // A google.rpc.Status: field 1 = code 3 (INVALID_ARGUMENT), field 2 = message.
  ASSERT_GE(res->body.size(), 2u);
  EXPECT_EQ(res->body[0], '\x08');
  EXPECT_EQ(res->body[1], '\x03');
  EXPECT_NE(res->body.find("ExportTraceServiceRequest"), std::string::npos);
  ExpectBaselineOnly();
}

TEST_F(HttpReceiver, InvalidJsonIs400WithAJsonStatus) {
  StoreBaseline();
  auto res = Post("/v1/traces", "{\"resourceSpans\": [", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  const json body = json::parse(res->body);
  EXPECT_EQ(body["code"], 3);
  EXPECT_NE(body["message"].get<std::string>().find("OTLP/JSON"), std::string::npos);
  ExpectBaselineOnly();
}

TEST_F(HttpReceiver, JsonIdOfTheWrongLengthIs400NamingTheField) {
  StoreBaseline();
  json request =
      json::parse(telemetry::ToOtlpJson(MakeRequest("svc", {MakeSpan(2, 1, 0, "lost", kT0, kMs)})));
  request["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["spanId"] = "abcd";
  auto res = Post("/v1/traces", request.dump(), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("spans[0].spanId"), std::string::npos) << res->body;
  ExpectBaselineOnly();
}

TEST_F(HttpReceiver, UnknownPathIs404AndWrongMethodIsRefused) {
  auto res = Post("/v1/spans", "x", "application/x-protobuf");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  auto get = client_->Get("/v1/traces");
  ASSERT_TRUE(get);
  EXPECT_NE(get->status, 200);
}

class SmallHttpReceiver : public HttpReceiver {
 protected:
  void SetUp() override {
    auto options = LoopbackOptions();
    options.max_request_bytes = 4096;
    Start(options);
  }
};

TEST_F(SmallHttpReceiver, OversizeBodyIs413) {
  StoreBaseline();
  Span big = MakeSpan(2, 1, 0, "big", kT0, kMs);
  SetString(big.add_attributes(), "payload", std::string(8192, 'x'));
  auto res =
      Post("/v1/traces", MakeRequest("svc", {big}).SerializeAsString(), "application/x-protobuf");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  ExpectBaselineOnly();
}

TEST_F(SmallHttpReceiver, DecompressionBombIs413) {
  StoreBaseline();
  Span big = MakeSpan(2, 1, 0, "big", kT0, kMs);
  SetString(big.add_attributes(), "payload", std::string(1 << 20, 'x'));
  const std::string compressed = Gzip(MakeRequest("svc", {big}).SerializeAsString());
  ASSERT_LT(compressed.size(), 4096u);  // small on the wire, 1 MiB inside
  auto res =
      Post("/v1/traces", compressed, "application/x-protobuf", {{"Content-Encoding", "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  ExpectBaselineOnly();
}

TEST_F(HttpReceiver, FullQueueIs503WithRetryAfter) {
  testing::TempDir dir;
  auto options = LoopbackOptions(dir.File("t.db"));
  options.queue.max_requests = 1;
  Start(options);
  sqlite3* lock = nullptr;
  sqlite3_open(options.store.path.c_str(), &lock);
  ASSERT_EQ(sqlite3_exec(lock, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  int status = 0;
  std::string retry_after;
  for (uint8_t i = 1; i <= 10 && status != 503; ++i) {
    auto res = Post("/v1/traces",
                    MakeRequest("svc", {MakeSpan(i, 1, 0, "op", kT0, kMs)}).SerializeAsString(),
                    "application/x-protobuf");
    ASSERT_TRUE(res);
    status = res->status;
    retry_after = res->get_header_value("Retry-After");
  }
  EXPECT_EQ(status, 503);
  EXPECT_EQ(retry_after, "1");
  sqlite3_exec(lock, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(lock);
  server_->queue().Flush();
  EXPECT_GE(server_->store().span_count(), 1);
}

void ExportWithOurExporter(CollectorServer& server, telemetry::OtlpProtocol protocol) {
  auto config = telemetry::OtlpExporterConfig::Defaults(telemetry::OtlpSignal::kTraces, protocol);
  config.endpoint = "http://127.0.0.1:" + std::to_string(server.http_port()) + "/v1/traces";
  config.compression = telemetry::OtlpCompression::kGzip;
  auto transport = telemetry::OtlpTransport::Create(config);
  Span span = MakeSpan(7, 1, 0, "exported", kT0, 3 * kMs);
  SetString(span.add_attributes(), "k", "v");
  // Invalid in a way both encodings can carry (a JSON id of the wrong
  // length is already a decoding error, see JsonIdOfTheWrongLength...).
  Span invalid = MakeSpan(8, 1, 0, "bad", kT0, kMs);
  invalid.set_end_time_unix_nano(kT0 - 1);
  const auto result = transport->Send(MakeRequest("exporter", {span, invalid}),
                                      telemetry::SteadyClock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_TRUE(result.partial_success);
  EXPECT_EQ(result.partial_success->rejected, 1);
  server.queue().Flush();
  const auto trace = server.store().GetTrace(TraceId(7));
  ASSERT_EQ(trace.spans.size(), 1u);
  EXPECT_EQ(trace.spans[0].span.attributes(0).value().string_value(), "v");
}

TEST_F(HttpReceiver, OurHttpProtobufExporterWithGzip) {
  ExportWithOurExporter(*server_, telemetry::OtlpProtocol::kHttpProtobuf);
}

TEST_F(HttpReceiver, OurHttpJsonExporterWithGzip) {
  ExportWithOurExporter(*server_, telemetry::OtlpProtocol::kHttpJson);
}

}  // namespace
}  // namespace agenthub::collector
