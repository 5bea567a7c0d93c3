// OTLP/JSON for any OTLP message: the proto3 JSON mapping with the OTLP
// specification's deviations (hex ids, integer enums), and a reader that
// survives whatever the network sends.
#include "telemetry/otlp/otlp_message_json.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace agenthub::telemetry {
namespace {

using google::protobuf::util::MessageDifferencer;
using nlohmann::json;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
namespace trace_pb = opentelemetry::proto::trace::v1;

constexpr char kTraceHex[] = "0af7651916cd43dd8448eb211c80319c";
constexpr char kSpanHex[] = "b7ad6b7169203331";
constexpr char kParentHex[] = "00f067aa0ba902b7";

std::string Bytes(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

ExportTraceServiceRequest TraceRequest() {
  ExportTraceServiceRequest request;
  auto* resource_spans = request.add_resource_spans();
  auto* attribute = resource_spans->mutable_resource()->add_attributes();
  attribute->set_key("service.name");
  attribute->mutable_value()->set_string_value("svc");
  auto* span = resource_spans->add_scope_spans()->add_spans();
  span->set_trace_id(Bytes(kTraceHex));
  span->set_span_id(Bytes(kSpanHex));
  span->set_parent_span_id(Bytes(kParentHex));
  span->set_name("op");
  span->set_kind(trace_pb::Span::SPAN_KIND_SERVER);
  span->set_start_time_unix_nano(1'700'000'000'123'456'789ULL);
  span->set_end_time_unix_nano(1'700'000'000'987'654'321ULL);
  span->set_flags(0x301);
  auto* count = span->add_attributes();
  count->set_key("count");
  count->mutable_value()->set_int_value(-9'007'199'254'740'993LL);  // beyond 2^53
  auto* raw = span->add_attributes();
  raw->set_key("raw");
  raw->mutable_value()->set_bytes_value(Bytes("0102ff"));
  auto* link = span->add_links();
  link->set_trace_id(Bytes("4bf92f3577b34da6a3ce929d0e0e4736"));
  link->set_span_id(Bytes("53995c3f42cd8ad8"));
  span->mutable_status()->set_code(trace_pb::Status::STATUS_CODE_ERROR);
  span->mutable_status()->set_message("failed");
  return request;
}

json SpanJson(const std::string& text) {
  return json::parse(text)["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
}

TEST(OtlpJsonCodecTest, WritesSpanIdsAsLowercaseHex) {
  const json span = SpanJson(ToOtlpJson(TraceRequest()));
  EXPECT_EQ(span["traceId"], kTraceHex);
  EXPECT_EQ(span["spanId"], kSpanHex);
  EXPECT_EQ(span["parentSpanId"], kParentHex);
  EXPECT_EQ(span["links"][0]["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(span["links"][0]["spanId"], "53995c3f42cd8ad8");
}

TEST(OtlpJsonCodecTest, WritesEnumsAsIntegers) {
  const json span = SpanJson(ToOtlpJson(TraceRequest()));
  EXPECT_EQ(span["kind"], 2);
  EXPECT_EQ(span["status"]["code"], 2);
}

TEST(OtlpJsonCodecTest, Writes64BitIntegersAsDecimalStrings) {
  const json span = SpanJson(ToOtlpJson(TraceRequest()));
  EXPECT_EQ(span["startTimeUnixNano"], "1700000000123456789");
  EXPECT_EQ(span["attributes"][0]["value"]["intValue"], "-9007199254740993");
}

TEST(OtlpJsonCodecTest, UsesLowerCamelCaseKeys) {
  const std::string text = ToOtlpJson(TraceRequest());
  EXPECT_NE(text.find("\"resourceSpans\""), std::string::npos);
  EXPECT_NE(text.find("\"endTimeUnixNano\""), std::string::npos);
  EXPECT_EQ(text.find("resource_spans"), std::string::npos);
}

TEST(OtlpJsonCodecTest, BytesAttributeValuesStayBase64) {
  // Only the id fields deviate from the proto3 mapping.
  EXPECT_EQ(SpanJson(ToOtlpJson(TraceRequest()))["attributes"][1]["value"]["bytesValue"], "AQL/");
}

TEST(OtlpJsonCodecTest, AttributeNamedLikeAnIdFieldIsNotRewritten) {
  ExportTraceServiceRequest request;
  auto* attribute = request.add_resource_spans()->mutable_resource()->add_attributes();
  attribute->set_key("traceId");
  attribute->mutable_value()->set_string_value("AQID");
  const json parsed = json::parse(ToOtlpJson(request));
  EXPECT_EQ(parsed["resourceSpans"][0]["resource"]["attributes"][0]["key"], "traceId");
  EXPECT_EQ(parsed["resourceSpans"][0]["resource"]["attributes"][0]["value"]["stringValue"],
            "AQID");
}

TEST(OtlpJsonCodecTest, TraceRequestRoundTrips) {
  const ExportTraceServiceRequest original = TraceRequest();
  ExportTraceServiceRequest parsed;
  std::string error;
  ASSERT_TRUE(ParseJson(ToOtlpJson(original), &parsed, &error)) << error;
  EXPECT_TRUE(MessageDifferencer::Equals(original, parsed));
}

TEST(OtlpJsonCodecTest, LogRecordIdsAreHexBothWays) {
  ExportLogsServiceRequest request;
  auto* record = request.add_resource_logs()->add_scope_logs()->add_log_records();
  record->set_trace_id(Bytes(kTraceHex));
  record->set_span_id(Bytes(kSpanHex));
  record->set_severity_number(opentelemetry::proto::logs::v1::SEVERITY_NUMBER_WARN);
  record->set_event_name("task.failed");
  const std::string text = ToOtlpJson(request);
  const json log = json::parse(text)["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
  EXPECT_EQ(log["traceId"], kTraceHex);
  EXPECT_EQ(log["spanId"], kSpanHex);
  EXPECT_EQ(log["severityNumber"], 13);
  EXPECT_EQ(log["eventName"], "task.failed");
  ExportLogsServiceRequest parsed;
  std::string error;
  ASSERT_TRUE(ParseJson(text, &parsed, &error)) << error;
  EXPECT_TRUE(MessageDifferencer::Equals(request, parsed));
}

TEST(OtlpJsonCodecTest, ExemplarIdsAreHexBothWays) {
  ExportMetricsServiceRequest request;
  auto* point = request.add_resource_metrics()
                    ->add_scope_metrics()
                    ->add_metrics()
                    ->mutable_sum()
                    ->add_data_points();
  point->set_as_int(7);
  auto* exemplar = point->add_exemplars();
  exemplar->set_trace_id(Bytes(kTraceHex));
  exemplar->set_span_id(Bytes(kSpanHex));
  exemplar->set_as_double(1.5);
  const std::string text = ToOtlpJson(request);
  const json parsed_json = json::parse(text);
  const json& json_point =
      parsed_json["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["sum"]["dataPoints"][0];
  EXPECT_EQ(json_point["exemplars"][0]["traceId"], kTraceHex);
  EXPECT_EQ(json_point["exemplars"][0]["spanId"], kSpanHex);
  EXPECT_EQ(json_point["asInt"], "7");
  ExportMetricsServiceRequest parsed;
  std::string error;
  ASSERT_TRUE(ParseJson(text, &parsed, &error)) << error;
  EXPECT_TRUE(MessageDifferencer::Equals(request, parsed));
}

TEST(OtlpJsonCodecTest, ReadsUppercaseHexIds) {
  const std::string text = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":"0AF7651916CD43DD8448EB211C80319C","spanId":"B7AD6B7169203331"}]}]}]})";
  ExportTraceServiceRequest parsed;
  std::string error;
  ASSERT_TRUE(ParseJson(text, &parsed, &error)) << error;
  const auto& span = parsed.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.trace_id(), Bytes(kTraceHex));
  EXPECT_EQ(span.span_id(), Bytes(kSpanHex));
}

TEST(OtlpJsonCodecTest, ReadsEmptyParentSpanIdAsAbsent) {
  const std::string text = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331",
       "parentSpanId":""}]}]}]})";
  ExportTraceServiceRequest parsed;
  std::string error;
  ASSERT_TRUE(ParseJson(text, &parsed, &error)) << error;
  EXPECT_TRUE(parsed.resource_spans(0).scope_spans(0).spans(0).parent_span_id().empty());
}

TEST(OtlpJsonCodecTest, ReadsNumbersAndEnumNamesWhereTheProto3MappingAllowsThem) {
  const std::string text = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"startTimeUnixNano":1700000000,"kind":"SPAN_KIND_CLIENT",
       "attributes":[{"key":"n","value":{"intValue":5}}]}]}]}]})";
  ExportTraceServiceRequest parsed;
  std::string error;
  ASSERT_TRUE(ParseJson(text, &parsed, &error)) << error;
  const auto& span = parsed.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.start_time_unix_nano(), 1'700'000'000u);
  EXPECT_EQ(span.kind(), trace_pb::Span::SPAN_KIND_CLIENT);
  EXPECT_EQ(span.attributes(0).value().int_value(), 5);
}

TEST(OtlpJsonCodecTest, IgnoresUnknownFieldsAtEveryLevel) {
  const std::string text = R"({"futureField":{"traceId":"not hex at all"},
      "resourceSpans":[{"newThing":[1,2,3],"scopeSpans":[{"spans":[
      {"name":"op","someNewField":"x","traceId":"0af7651916cd43dd8448eb211c80319c"}]}]}]})";
  ExportTraceServiceRequest parsed;
  std::string error;
  ASSERT_TRUE(ParseJson(text, &parsed, &error)) << error;
  EXPECT_EQ(parsed.resource_spans(0).scope_spans(0).spans(0).name(), "op");
}

TEST(OtlpJsonCodecTest, ReadsPartialSuccessResponses) {
  ExportTraceServiceResponse response;
  std::string error;
  ASSERT_TRUE(ParseJson(R"({"partialSuccess":{"rejectedSpans":"3","errorMessage":"too old"}})",
                        &response, &error))
      << error;
  EXPECT_EQ(response.partial_success().rejected_spans(), 3);
  EXPECT_EQ(response.partial_success().error_message(), "too old");
}

// The error names the field and where it is.
std::string ParseError(const std::string& text) {
  ExportTraceServiceRequest parsed;
  std::string error;
  EXPECT_FALSE(ParseJson(text, &parsed, &error));
  return error;
}

TEST(OtlpJsonCodecTest, RejectsTraceIdOfWrongLengthNamingTheField) {
  const std::string error = ParseError(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{},{"traceId":"0af7651916cd43dd"}]}]}]})");
  EXPECT_NE(error.find("resourceSpans[0].scopeSpans[0].spans[1].traceId"), std::string::npos)
      << error;
  EXPECT_NE(error.find("32 hex digits"), std::string::npos) << error;
}

TEST(OtlpJsonCodecTest, RejectsNonHexSpanIdNamingTheField) {
  const std::string error = ParseError(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"b7ad6b716920333z"}]}]}]})");
  EXPECT_NE(error.find("spans[0].spanId"), std::string::npos) << error;
  EXPECT_NE(error.find("not hexadecimal"), std::string::npos) << error;
}

TEST(OtlpJsonCodecTest, RejectsBase64IdsWhichTheSpecificationForbids) {
  // What a plain proto3 JSON writer would produce for the trace id.
  const std::string error = ParseError(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"CvdlGRbNQ92ESOshHIAxnA=="}]}]}]})");
  EXPECT_NE(error.find("traceId"), std::string::npos) << error;
}

TEST(OtlpJsonCodecTest, RejectsLinkParentAndNonStringIds) {
  EXPECT_NE(ParseError(R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"links":[{"spanId":"53995c3f42cd8a"}]}]}]}]})")
                .find("links[0].spanId"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"parentSpanId":12345}]}]}]})")
                .find("parentSpanId: expected a hex string"),
            std::string::npos);
}

TEST(OtlpJsonCodecTest, RejectsTruncatedJson) {
  const std::string error = ParseError(R"({"resourceSpans":[{"scopeSpans":[{"spa)");
  EXPECT_EQ(error.rfind("invalid JSON: ", 0), 0u) << error;
}

TEST(OtlpJsonCodecTest, RejectsEmptyBodyAndNonObjects) {
  EXPECT_EQ(ParseError("").rfind("invalid JSON", 0), 0u);
  EXPECT_NE(ParseError("[1, 2]").find("must be a JSON object"), std::string::npos);
}

TEST(OtlpJsonCodecTest, RejectsValuesOfTheWrongType) {
  const std::string error = ParseError(R"({"resourceSpans": 5})");
  EXPECT_EQ(error.rfind("invalid OTLP/JSON: ", 0), 0u) << error;
}

TEST(OtlpJsonCodecTest, DeeplyNestedValuesFailCleanly) {
  // Hostile input: 20,000 nested arrays inside an attribute value.
  std::string text = R"({"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":)";
  for (int i = 0; i < 20000; ++i) text += R"({"arrayValue":{"values":[)";
  for (int i = 0; i < 20000; ++i) text += "]}}";
  text += "}]}}]}";
  EXPECT_FALSE(ParseError(text).empty());
}

}  // namespace
}  // namespace agenthub::telemetry
