// OtlpExporterConfig::FromEnvironment against the OpenTelemetry "OTLP
// Exporter" specification: endpoint construction for every combination of
// general and per-signal variables, protocol, headers, timeout, compression
// and TLS options, and what happens to invalid values.
#include "telemetry/otlp/exporter_config.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/scoped_env.h"

namespace agenthub::telemetry {
namespace {

using testing::DiagnosticCapture;
using testing::ScopedEnv;

// Every variable the configuration reads, so a test sees only what it sets.
std::vector<std::string> AllVariables() {
  std::vector<std::string> names;
  for (const char* signal : {"", "TRACES_", "METRICS_", "LOGS_"}) {
    for (const char* option : {"ENDPOINT", "PROTOCOL", "HEADERS", "TIMEOUT", "COMPRESSION",
                               "INSECURE", "CERTIFICATE", "CLIENT_KEY", "CLIENT_CERTIFICATE"}) {
      names.push_back(std::string("OTEL_EXPORTER_OTLP_") + signal + option);
    }
  }
  return names;
}

class ExporterConfigTest : public ::testing::Test {
 protected:
  ExporterConfigTest() {
    for (const std::string& name : AllVariables()) {
      cleared_.push_back(std::make_unique<ScopedEnv>(name, std::nullopt));
    }
  }

  void Set(const std::string& name, const std::string& value) {
    set_.push_back(std::make_unique<ScopedEnv>(name, value));
  }

  static OtlpExporterConfig Traces() {
    return OtlpExporterConfig::FromEnvironment(OtlpSignal::kTraces);
  }

  DiagnosticCapture diagnostics_;

 private:
  std::vector<std::unique_ptr<ScopedEnv>> cleared_;
  std::vector<std::unique_ptr<ScopedEnv>> set_;
};

// --- Defaults ---------------------------------------------------------------

TEST_F(ExporterConfigTest, DefaultsToGrpcOnLocalhost4317) {
  const OtlpExporterConfig config = Traces();
  EXPECT_EQ(config.protocol, OtlpProtocol::kGrpc);
  EXPECT_EQ(config.endpoint, "http://localhost:4317");
  EXPECT_EQ(config.timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(config.compression, OtlpCompression::kNone);
  EXPECT_FALSE(config.insecure);
  EXPECT_TRUE(config.headers.empty());
  EXPECT_TRUE(diagnostics_.Warnings().empty());
}

TEST_F(ExporterConfigTest, HttpDefaultsToLocalhost4318WithTheSignalPath) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  EXPECT_EQ(Traces().endpoint, "http://localhost:4318/v1/traces");
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kMetrics).endpoint,
            "http://localhost:4318/v1/metrics");
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kLogs).endpoint,
            "http://localhost:4318/v1/logs");
}

TEST_F(ExporterConfigTest, DefaultsHelperMatchesTheEnvironmentDefaults) {
  EXPECT_EQ(OtlpExporterConfig::Defaults(OtlpSignal::kLogs, OtlpProtocol::kHttpJson).endpoint,
            "http://localhost:4318/v1/logs");
  EXPECT_EQ(OtlpExporterConfig::Defaults(OtlpSignal::kLogs, OtlpProtocol::kGrpc).endpoint,
            "http://localhost:4317");
}

// --- Endpoint (OTLP/HTTP) -------------------------------------------------------

TEST_F(ExporterConfigTest, HttpGeneralEndpointGetsTheSignalPathAppended) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  Set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
  EXPECT_EQ(Traces().endpoint, "http://collector:4318/v1/traces");
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kMetrics).endpoint,
            "http://collector:4318/v1/metrics");
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kLogs).endpoint,
            "http://collector:4318/v1/logs");
}

TEST_F(ExporterConfigTest, HttpGeneralEndpointWithTrailingSlashGetsNoDoubleSlash) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
  Set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/");
  EXPECT_EQ(Traces().endpoint, "http://collector:4318/v1/traces");
}

TEST_F(ExporterConfigTest, HttpGeneralEndpointPathIsKeptWithOrWithoutTrailingSlash) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  Set("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector.example.com/mycollector/");
  EXPECT_EQ(Traces().endpoint, "https://collector.example.com/mycollector/v1/traces");
  Set("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector.example.com/mycollector");
  EXPECT_EQ(Traces().endpoint, "https://collector.example.com/mycollector/v1/traces");
}

TEST_F(ExporterConfigTest, HttpPerSignalEndpointIsUsedAsIs) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://collector.example.com/custom/traces/");
  EXPECT_EQ(Traces().endpoint, "https://collector.example.com/custom/traces/");
}

TEST_F(ExporterConfigTest, HttpPerSignalEndpointWithoutPathGetsTheRootPath) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318");
  EXPECT_EQ(Traces().endpoint, "http://collector:4318/");
  Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318?tenant=a");
  EXPECT_EQ(Traces().endpoint, "http://collector:4318/?tenant=a");
  Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/");
  EXPECT_EQ(Traces().endpoint, "http://collector:4318/");
}

TEST_F(ExporterConfigTest, PerSignalEndpointWinsAndAppliesOnlyToItsSignal) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  Set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://general:4318");
  Set("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://metrics.example.com/v1/metrics");
  EXPECT_EQ(Traces().endpoint, "http://general:4318/v1/traces");
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kMetrics).endpoint,
            "https://metrics.example.com/v1/metrics");
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kLogs).endpoint,
            "http://general:4318/v1/logs");
}

TEST_F(ExporterConfigTest, InvalidHttpEndpointWarnsAndFallsBackToTheNextLevel) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  Set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://general:4318");
  Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4318");  // no scheme
  EXPECT_EQ(Traces().endpoint, "http://general:4318/v1/traces");
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}));

  Set("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://general");
  EXPECT_EQ(Traces().endpoint, "http://localhost:4318/v1/traces");
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"OTEL_EXPORTER_OTLP_ENDPOINT=ftp://general"}));
}

// --- Endpoint (OTLP/gRPC) ---------------------------------------------------------

TEST_F(ExporterConfigTest, GrpcEndpointsAreUsedAsGivenWithoutSignalPaths) {
  Set("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4317/");
  EXPECT_EQ(Traces().endpoint, "https://collector:4317/");
  Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4317");  // any form gRPC accepts
  EXPECT_EQ(Traces().endpoint, "collector:4317");
  EXPECT_TRUE(diagnostics_.Warnings().empty());
}

// --- Protocol ------------------------------------------------------------------

TEST_F(ExporterConfigTest, PerSignalProtocolWinsOverGeneral) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  Set("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json");
  EXPECT_EQ(Traces().protocol, OtlpProtocol::kHttpJson);
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kLogs).protocol,
            OtlpProtocol::kHttpProtobuf);
}

TEST_F(ExporterConfigTest, ProtocolIsCaseInsensitive) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", " HTTP/Protobuf ");
  EXPECT_EQ(Traces().protocol, OtlpProtocol::kHttpProtobuf);
}

TEST_F(ExporterConfigTest, InvalidProtocolWarnsAndFallsBack) {
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
  Set("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http");
  EXPECT_EQ(Traces().protocol, OtlpProtocol::kHttpJson);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http"}));
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "thrift");
  EXPECT_EQ(Traces().protocol, OtlpProtocol::kGrpc);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"OTEL_EXPORTER_OTLP_PROTOCOL=thrift"}));
}

// --- Headers -------------------------------------------------------------------

TEST_F(ExporterConfigTest, HeadersArePercentDecodedTrimmedAndLowercased) {
  Set("OTEL_EXPORTER_OTLP_HEADERS", " Authorization = Basic%20dXNlcjpwYXNz , x-tenant=a%2Cb%3Dc ");
  const OtlpHeaders expected = {{"authorization", "Basic dXNlcjpwYXNz"}, {"x-tenant", "a,b=c"}};
  EXPECT_EQ(Traces().headers, expected);
  EXPECT_TRUE(diagnostics_.Warnings().empty());
}

TEST_F(ExporterConfigTest, ValuesMayContainEqualsSignsAndBeEmpty) {
  Set("OTEL_EXPORTER_OTLP_HEADERS", "api-key=abc==,empty=");
  const OtlpHeaders expected = {{"api-key", "abc=="}, {"empty", ""}};
  EXPECT_EQ(Traces().headers, expected);
}

TEST_F(ExporterConfigTest, PerSignalHeadersReplaceGeneralHeaders) {
  Set("OTEL_EXPORTER_OTLP_HEADERS", "a=1,b=2");
  Set("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "c=3");
  EXPECT_EQ(Traces().headers, (OtlpHeaders{{"c", "3"}}));
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kMetrics).headers,
            (OtlpHeaders{{"a", "1"}, {"b", "2"}}));
}

TEST_F(ExporterConfigTest, MalformedHeaderPairsAreSkippedWithAWarning) {
  Set("OTEL_EXPORTER_OTLP_HEADERS", "good=1,novalue,bad key=2,pct=%zz,crlf=a%0D%0Ab,,last=3");
  EXPECT_EQ(Traces().headers, (OtlpHeaders{{"good", "1"}, {"last", "3"}}));
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"OTEL_EXPORTER_OTLP_HEADERS", "novalue"}));
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"bad key=2"}));
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"pct=%zz"}));
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"crlf="}));
}

TEST(ParseOtlpHeadersTest, ReportsProblemsAndKeepsGoodPairs) {
  OtlpHeaders headers;
  std::string error;
  EXPECT_FALSE(ParseOtlpHeaders("=x,k=v", &headers, &error));
  EXPECT_EQ(headers, (OtlpHeaders{{"k", "v"}}));
  EXPECT_NE(error.find("'=x'"), std::string::npos) << error;
  headers.clear();
  EXPECT_TRUE(ParseOtlpHeaders("", &headers, &error));
  EXPECT_TRUE(headers.empty());
}

// --- Timeout, compression, TLS -------------------------------------------------------

TEST_F(ExporterConfigTest, TimeoutIsInMillisecondsAndPerSignalWins) {
  Set("OTEL_EXPORTER_OTLP_TIMEOUT", "2500");
  EXPECT_EQ(Traces().timeout, std::chrono::milliseconds(2500));
  Set("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "750");
  EXPECT_EQ(Traces().timeout, std::chrono::milliseconds(750));
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kLogs).timeout,
            std::chrono::milliseconds(2500));
}

TEST_F(ExporterConfigTest, InvalidTimeoutWarnsAndFallsBack) {
  Set("OTEL_EXPORTER_OTLP_TIMEOUT", "2500");
  Set("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "10s");
  EXPECT_EQ(Traces().timeout, std::chrono::milliseconds(2500));
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT=10s"}));
  Set("OTEL_EXPORTER_OTLP_TIMEOUT", "-5");
  Set("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "");
  EXPECT_EQ(Traces().timeout, std::chrono::milliseconds(10000));
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"OTEL_EXPORTER_OTLP_TIMEOUT=-5"}));
}

TEST_F(ExporterConfigTest, CompressionIsGzipOrNone) {
  Set("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
  EXPECT_EQ(Traces().compression, OtlpCompression::kGzip);
  Set("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "none");
  EXPECT_EQ(Traces().compression, OtlpCompression::kNone);
  EXPECT_EQ(OtlpExporterConfig::FromEnvironment(OtlpSignal::kMetrics).compression,
            OtlpCompression::kGzip);
}

TEST_F(ExporterConfigTest, InvalidCompressionWarnsAndFallsBack) {
  Set("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
  Set("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "zstd");
  EXPECT_EQ(Traces().compression, OtlpCompression::kGzip);
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION=zstd"}));
}

TEST_F(ExporterConfigTest, InsecurePerSignalWinsAndInvalidValuesWarn) {
  Set("OTEL_EXPORTER_OTLP_INSECURE", "true");
  EXPECT_TRUE(Traces().insecure);
  Set("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "FALSE");
  EXPECT_FALSE(Traces().insecure);
  Set("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "yes");
  EXPECT_TRUE(Traces().insecure);  // the general value
  EXPECT_TRUE(diagnostics_.HasWarningContaining({"OTEL_EXPORTER_OTLP_TRACES_INSECURE=yes"}));
}

TEST_F(ExporterConfigTest, CertificateFilesPerSignalWin) {
  Set("OTEL_EXPORTER_OTLP_CERTIFICATE", "/etc/ca.pem");
  Set("OTEL_EXPORTER_OTLP_CLIENT_KEY", "/etc/key.pem");
  Set("OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", "/etc/traces-cert.pem");
  const OtlpExporterConfig config = Traces();
  EXPECT_EQ(config.certificate_file, "/etc/ca.pem");
  EXPECT_EQ(config.client_key_file, "/etc/key.pem");
  EXPECT_EQ(config.client_certificate_file, "/etc/traces-cert.pem");
}

// --- URL helpers ------------------------------------------------------------------

TEST(AppendOtlpSignalPathTest, AddsExactlyOneSlash) {
  EXPECT_EQ(AppendOtlpSignalPath("http://c:4318", OtlpSignal::kLogs), "http://c:4318/v1/logs");
  EXPECT_EQ(AppendOtlpSignalPath("http://c:4318/", OtlpSignal::kLogs), "http://c:4318/v1/logs");
  EXPECT_EQ(AppendOtlpSignalPath("http://c/a/b", OtlpSignal::kMetrics), "http://c/a/b/v1/metrics");
}

TEST(OtlpHttpUrlTest, SplitsSchemeAuthorityAndPath) {
  auto url = OtlpHttpUrl::Parse("HTTPS://collector.example.com:4318/v1/traces?x=1#frag");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "https");
  EXPECT_TRUE(url->secure());
  EXPECT_EQ(url->authority, "collector.example.com:4318");
  EXPECT_EQ(url->path, "/v1/traces?x=1");

  url = OtlpHttpUrl::Parse("http://[::1]:4318");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->authority, "[::1]:4318");
  EXPECT_EQ(url->path, "/");
}

TEST(OtlpHttpUrlTest, RejectsOtherSchemesAndMissingHosts) {
  EXPECT_FALSE(OtlpHttpUrl::Parse("localhost:4318"));
  EXPECT_FALSE(OtlpHttpUrl::Parse("grpc://localhost:4317"));
  EXPECT_FALSE(OtlpHttpUrl::Parse("http://"));
  EXPECT_FALSE(OtlpHttpUrl::Parse("http:///v1/traces"));
  EXPECT_FALSE(OtlpHttpUrl::Parse("http://:4318/"));
}

}  // namespace
}  // namespace agenthub::telemetry
