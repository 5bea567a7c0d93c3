// The OTLP/JSON encoding of spans: field names and value encodings from the
// OTLP specification ("JSON Protobuf Encoding") and trace.proto.
#include "telemetry/export/jsonl_span_encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace agenthub::telemetry {
namespace {

using nlohmann::json;

constexpr char kTraceHex[] = "0af7651916cd43dd8448eb211c80319c";
constexpr char kSpanHex[] = "b7ad6b7169203331";
constexpr char kParentHex[] = "00f067aa0ba902b7";

TraceId Trace(const char* hex = kTraceHex) { return *TraceId::FromHex(hex); }
SpanId Span(const char* hex) { return *SpanId::FromHex(hex); }

SpanData MakeSpan(std::string name = "op") {
  SpanData span;
  span.context = SpanContext(Trace(), Span(kSpanHex), TraceFlags{TraceFlags::kSampled}, false);
  span.name = std::move(name);
  span.start_time = FromUnixNanos(1'700'000'000'000'000'000ULL);
  span.end_time = FromUnixNanos(1'700'000'000'250'000'000ULL);
  return span;
}

json EncodeOne(const SpanData& span) {
  const SpanData* batch[] = {&span};
  return EncodeTracesRequestJson(batch);
}

// The single encoded span of a one-span request.
json OnlySpan(const SpanData& span) {
  json request = EncodeOne(span);
  return request["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
}

TEST(OtlpJsonTest, EmptyBatchEncodesEmptyResourceSpans) {
  json request = EncodeTracesRequestJson({});
  EXPECT_EQ(request, json::parse(R"({"resourceSpans": []})"));
}

TEST(OtlpJsonTest, IdsAreLowercaseHexStrings) {
  SpanData span = MakeSpan();
  span.context = SpanContext(*TraceId::FromHex("ABCDEF0123456789ABCDEF0123456789", true),
                             *SpanId::FromHex("FEDCBA9876543210", true), TraceFlags{}, false);
  span.parent_span_id = *SpanId::FromHex("0123456789ABCDEF", true);
  json encoded = OnlySpan(span);
  EXPECT_EQ(encoded["traceId"], "abcdef0123456789abcdef0123456789");
  EXPECT_EQ(encoded["spanId"], "fedcba9876543210");
  EXPECT_EQ(encoded["parentSpanId"], "0123456789abcdef");
}

TEST(OtlpJsonTest, RootSpanOmitsParentSpanId) {
  EXPECT_FALSE(OnlySpan(MakeSpan()).contains("parentSpanId"));
}

TEST(OtlpJsonTest, TimesAreDecimalStringsOfUnixNanos) {
  SpanData span = MakeSpan();
  // Beyond 2^53: a JSON number would lose the last digits in most readers.
  span.start_time = FromUnixNanos(1'700'000'000'123'456'789ULL);
  span.end_time = FromUnixNanos(1'700'000'000'987'654'321ULL);
  json encoded = OnlySpan(span);
  EXPECT_EQ(encoded["startTimeUnixNano"], "1700000000123456789");
  EXPECT_EQ(encoded["endTimeUnixNano"], "1700000000987654321");
}

TEST(OtlpJsonTest, NameIsCarried) {
  EXPECT_EQ(OnlySpan(MakeSpan("route_task"))["name"], "route_task");
}

TEST(OtlpJsonTest, KindIsTheOtlpEnumInteger) {
  const std::pair<SpanKind, int> cases[] = {{SpanKind::kInternal, 1},
                                            {SpanKind::kServer, 2},
                                            {SpanKind::kClient, 3},
                                            {SpanKind::kProducer, 4},
                                            {SpanKind::kConsumer, 5}};
  for (auto [kind, number] : cases) {
    SpanData span = MakeSpan();
    span.kind = kind;
    json encoded = OnlySpan(span);
    ASSERT_TRUE(encoded["kind"].is_number_integer());
    EXPECT_EQ(encoded["kind"], number);
  }
}

TEST(OtlpJsonTest, FlagsCarryTraceFlagsAndKnownLocalParent) {
  SpanData span = MakeSpan();
  EXPECT_EQ(OnlySpan(span)["flags"], 0x101);
  span.context = SpanContext(Trace(), Span(kSpanHex), TraceFlags{}, false);
  EXPECT_EQ(OnlySpan(span)["flags"], 0x100);
}

TEST(OtlpJsonTest, FlagsMarkRemoteParent) {
  SpanData span = MakeSpan();
  span.parent_span_id = Span(kParentHex);
  span.parent_is_remote = true;
  EXPECT_EQ(OnlySpan(span)["flags"], 0x301);
}

TEST(OtlpJsonTest, TraceStateIsTheW3cHeaderWhenPresent) {
  SpanData span = MakeSpan();
  EXPECT_FALSE(OnlySpan(span).contains("traceState"));
  span.context = SpanContext(Trace(), Span(kSpanHex), TraceFlags{}, false,
                             *TraceState::Parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
  EXPECT_EQ(OnlySpan(span)["traceState"], "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
}

TEST(OtlpJsonTest, UnsetStatusIsOmitted) { EXPECT_FALSE(OnlySpan(MakeSpan()).contains("status")); }

TEST(OtlpJsonTest, ErrorStatusCarriesCodeTwoAndMessage) {
  SpanData span = MakeSpan();
  span.status = {StatusCode::kError, "no subscriber"};
  EXPECT_EQ(OnlySpan(span)["status"], json::parse(R"({"code": 2, "message": "no subscriber"})"));
}

TEST(OtlpJsonTest, OkStatusCarriesCodeOneWithoutMessage) {
  SpanData span = MakeSpan();
  span.status = {StatusCode::kOk, ""};
  EXPECT_EQ(OnlySpan(span)["status"], json::parse(R"({"code": 1})"));
}

TEST(OtlpJsonTest, ScalarAttributeValuesUseTheirAnyValueField) {
  EXPECT_EQ(EncodeAnyValueJson(std::string("greeting")),
            json::parse(R"({"stringValue": "greeting"})"));
  EXPECT_EQ(EncodeAnyValueJson(true), json::parse(R"({"boolValue": true})"));
  EXPECT_EQ(EncodeAnyValueJson(int64_t{-42}), json::parse(R"({"intValue": "-42"})"));
  EXPECT_EQ(EncodeAnyValueJson(2.5), json::parse(R"({"doubleValue": 2.5})"));
}

TEST(OtlpJsonTest, IntValueIsADecimalStringAtTheInt64Limits) {
  EXPECT_EQ(EncodeAnyValueJson(std::numeric_limits<int64_t>::max())["intValue"],
            "9223372036854775807");
  EXPECT_EQ(EncodeAnyValueJson(std::numeric_limits<int64_t>::min())["intValue"],
            "-9223372036854775808");
}

TEST(OtlpJsonTest, NonFiniteDoublesUseTheProto3StringForms) {
  EXPECT_EQ(EncodeAnyValueJson(std::nan(""))["doubleValue"], "NaN");
  EXPECT_EQ(EncodeAnyValueJson(std::numeric_limits<double>::infinity())["doubleValue"], "Infinity");
  EXPECT_EQ(EncodeAnyValueJson(-std::numeric_limits<double>::infinity())["doubleValue"],
            "-Infinity");
}

TEST(OtlpJsonTest, ArrayValuesNestAnyValuesUnderArrayValue) {
  EXPECT_EQ(EncodeAnyValueJson(std::vector<std::string>{"a", "b"}),
            json::parse(R"({"arrayValue": {"values": [{"stringValue": "a"},
                                                      {"stringValue": "b"}]}})"));
  EXPECT_EQ(EncodeAnyValueJson(std::vector<bool>{true, false}),
            json::parse(R"({"arrayValue": {"values": [{"boolValue": true},
                                                      {"boolValue": false}]}})"));
  EXPECT_EQ(EncodeAnyValueJson(std::vector<int64_t>{1, 2}),
            json::parse(R"({"arrayValue": {"values": [{"intValue": "1"}, {"intValue": "2"}]}})"));
  EXPECT_EQ(EncodeAnyValueJson(std::vector<double>{0.5}),
            json::parse(R"({"arrayValue": {"values": [{"doubleValue": 0.5}]}})"));
}

TEST(OtlpJsonTest, EmptyArrayKeepsAnEmptyValuesList) {
  EXPECT_EQ(EncodeAnyValueJson(std::vector<int64_t>{}),
            json::parse(R"({"arrayValue": {"values": []}})"));
}

TEST(OtlpJsonTest, AttributesAreKeyValuesInOrder) {
  Attributes attributes = {{"event.type", "greeting"}, {"retries", 3}};
  EXPECT_EQ(EncodeAttributesJson(attributes), json::parse(R"([
    {"key": "event.type", "value": {"stringValue": "greeting"}},
    {"key": "retries", "value": {"intValue": "3"}}])"));
}

TEST(OtlpJsonTest, SpanAttributesAndDroppedCountAreCarried) {
  SpanData span = MakeSpan();
  span.attributes = {{"task.type", "greeting"}};
  span.dropped_attributes = 4;
  json encoded = OnlySpan(span);
  EXPECT_EQ(encoded["attributes"], EncodeAttributesJson(span.attributes));
  EXPECT_EQ(encoded["droppedAttributesCount"], 4);
}

TEST(OtlpJsonTest, DefaultCollectionsAndCountsAreOmitted) {
  json encoded = OnlySpan(MakeSpan());
  for (const char* key : {"attributes", "droppedAttributesCount", "events", "droppedEventsCount",
                          "links", "droppedLinksCount"}) {
    EXPECT_FALSE(encoded.contains(key)) << key;
  }
}

TEST(OtlpJsonTest, EventsCarryTimeNameAttributesAndDroppedCount) {
  SpanData span = MakeSpan();
  span.events.push_back({"exception",
                         FromUnixNanos(1'700'000'000'100'000'000ULL),
                         {{"exception.message", "boom"}},
                         1});
  span.events.push_back({"retry", FromUnixNanos(1'700'000'000'200'000'000ULL), {}, 0});
  span.dropped_events = 7;
  json encoded = OnlySpan(span);
  EXPECT_EQ(encoded["events"], json::parse(R"([
    {"timeUnixNano": "1700000000100000000", "name": "exception",
     "attributes": [{"key": "exception.message", "value": {"stringValue": "boom"}}],
     "droppedAttributesCount": 1},
    {"timeUnixNano": "1700000000200000000", "name": "retry"}])"));
  EXPECT_EQ(encoded["droppedEventsCount"], 7);
}

TEST(OtlpJsonTest, LinksCarryIdsTraceStateAttributesFlagsAndDroppedCount) {
  SpanData span = MakeSpan();
  SpanContext linked(*TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"), Span(kParentHex),
                     TraceFlags{TraceFlags::kSampled}, true, *TraceState::Parse("vendor=x"));
  span.links.push_back({linked, {{"link.reason", "batch"}}, 2});
  span.links.push_back({SpanContext(Trace(), Span(kParentHex), TraceFlags{}, false), {}, 0});
  span.dropped_links = 3;
  json encoded = OnlySpan(span);
  EXPECT_EQ(encoded["links"], json::parse(R"([
    {"traceId": "4bf92f3577b34da6a3ce929d0e0e4736", "spanId": "00f067aa0ba902b7",
     "traceState": "vendor=x",
     "attributes": [{"key": "link.reason", "value": {"stringValue": "batch"}}],
     "droppedAttributesCount": 2, "flags": 769},
    {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "00f067aa0ba902b7",
     "flags": 256}])"));
  EXPECT_EQ(encoded["droppedLinksCount"], 3);
}

TEST(OtlpJsonTest, ResourceAndScopeWrapTheSpans) {
  SpanData span = MakeSpan();
  span.resource = std::make_shared<Resource>(Attributes{{"service.name", "agenthub-broker"}},
                                             "https://opentelemetry.io/schemas/1.24.0");
  span.scope = std::make_shared<InstrumentationScope>(
      InstrumentationScope{"agenthub.broker", "0.1.0", "https://opentelemetry.io/schemas/1.21.0"});
  json resource_spans = EncodeOne(span)["resourceSpans"];
  ASSERT_EQ(resource_spans.size(), 1u);
  EXPECT_EQ(resource_spans[0]["resource"], json::parse(R"(
    {"attributes": [{"key": "service.name", "value": {"stringValue": "agenthub-broker"}}]})"));
  EXPECT_EQ(resource_spans[0]["schemaUrl"], "https://opentelemetry.io/schemas/1.24.0");
  json scope_spans = resource_spans[0]["scopeSpans"];
  ASSERT_EQ(scope_spans.size(), 1u);
  EXPECT_EQ(scope_spans[0]["scope"],
            json::parse(R"({"name": "agenthub.broker", "version": "0.1.0"})"));
  EXPECT_EQ(scope_spans[0]["schemaUrl"], "https://opentelemetry.io/schemas/1.21.0");
  EXPECT_EQ(scope_spans[0]["spans"].size(), 1u);
}

TEST(OtlpJsonTest, MissingResourceAndScopeAreOmitted) {
  json resource_spans = EncodeOne(MakeSpan())["resourceSpans"][0];
  EXPECT_FALSE(resource_spans.contains("resource"));
  EXPECT_FALSE(resource_spans.contains("schemaUrl"));
  EXPECT_FALSE(resource_spans["scopeSpans"][0].contains("scope"));
}

TEST(OtlpJsonTest, SpansOfOneResourceAndScopeShareOneGroupInBatchOrder) {
  auto resource = std::make_shared<Resource>(Attributes{{"service.name", "a"}});
  auto scope = std::make_shared<InstrumentationScope>(InstrumentationScope{"lib", "", ""});
  SpanData first = MakeSpan("first");
  SpanData second = MakeSpan("second");
  for (SpanData* span : {&first, &second}) {
    span->resource = resource;
    span->scope = scope;
  }
  const SpanData* batch[] = {&first, &second};
  json request = EncodeTracesRequestJson(batch);
  ASSERT_EQ(request["resourceSpans"].size(), 1u);
  ASSERT_EQ(request["resourceSpans"][0]["scopeSpans"].size(), 1u);
  json spans = request["resourceSpans"][0]["scopeSpans"][0]["spans"];
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0]["name"], "first");
  EXPECT_EQ(spans[1]["name"], "second");
}

TEST(OtlpJsonTest, EqualResourcesBehindDifferentPointersAreOneGroup) {
  SpanData first = MakeSpan("first");
  SpanData second = MakeSpan("second");
  first.resource = std::make_shared<Resource>(Attributes{{"service.name", "a"}});
  second.resource = std::make_shared<Resource>(Attributes{{"service.name", "a"}});
  first.scope = std::make_shared<InstrumentationScope>(InstrumentationScope{"lib", "1", ""});
  second.scope = std::make_shared<InstrumentationScope>(InstrumentationScope{"lib", "1", ""});
  const SpanData* batch[] = {&first, &second};
  json request = EncodeTracesRequestJson(batch);
  ASSERT_EQ(request["resourceSpans"].size(), 1u);
  ASSERT_EQ(request["resourceSpans"][0]["scopeSpans"].size(), 1u);
  EXPECT_EQ(request["resourceSpans"][0]["scopeSpans"][0]["spans"].size(), 2u);
}

TEST(OtlpJsonTest, DifferentResourcesAreSeparateGroupsInOrderOfFirstAppearance) {
  auto broker = std::make_shared<Resource>(Attributes{{"service.name", "broker"}});
  auto agent = std::make_shared<Resource>(Attributes{{"service.name", "agent"}});
  SpanData a = MakeSpan("a");
  SpanData b = MakeSpan("b");
  SpanData c = MakeSpan("c");
  a.resource = broker;
  b.resource = agent;
  c.resource = broker;
  const SpanData* batch[] = {&a, &b, &c};
  json resource_spans = EncodeTracesRequestJson(batch)["resourceSpans"];
  ASSERT_EQ(resource_spans.size(), 2u);
  EXPECT_EQ(resource_spans[0]["resource"]["attributes"][0]["value"]["stringValue"], "broker");
  EXPECT_EQ(resource_spans[1]["resource"]["attributes"][0]["value"]["stringValue"], "agent");
  json broker_spans = resource_spans[0]["scopeSpans"][0]["spans"];
  ASSERT_EQ(broker_spans.size(), 2u);
  EXPECT_EQ(broker_spans[0]["name"], "a");
  EXPECT_EQ(broker_spans[1]["name"], "c");
}

TEST(OtlpJsonTest, DifferentScopesOfOneResourceAreSeparateScopeSpans) {
  auto resource = std::make_shared<Resource>(Attributes{{"service.name", "a"}});
  SpanData a = MakeSpan("a");
  SpanData b = MakeSpan("b");
  a.resource = b.resource = resource;
  a.scope = std::make_shared<InstrumentationScope>(InstrumentationScope{"client", "1", ""});
  b.scope = std::make_shared<InstrumentationScope>(InstrumentationScope{"client", "2", ""});
  const SpanData* batch[] = {&a, &b};
  json scope_spans = EncodeTracesRequestJson(batch)["resourceSpans"][0]["scopeSpans"];
  ASSERT_EQ(scope_spans.size(), 2u);
  EXPECT_EQ(scope_spans[0]["scope"]["version"], "1");
  EXPECT_EQ(scope_spans[1]["scope"]["version"], "2");
}

TEST(OtlpJsonTest, NullEntriesInTheBatchAreSkipped) {
  SpanData span = MakeSpan();
  const SpanData* batch[] = {nullptr, &span, nullptr};
  json request = EncodeTracesRequestJson(batch);
  ASSERT_EQ(request["resourceSpans"].size(), 1u);
  EXPECT_EQ(request["resourceSpans"][0]["scopeSpans"][0]["spans"].size(), 1u);
}

// Field names are lowerCamelCase; a snake_case key would be ignored by
// receivers as unknown.
void ExpectNoSnakeCaseKeys(const json& value, const std::string& where) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      EXPECT_EQ(key.find('_'), std::string::npos) << where << "." << key;
      ExpectNoSnakeCaseKeys(child, where + "." + key);
    }
  } else if (value.is_array()) {
    for (const auto& child : value) ExpectNoSnakeCaseKeys(child, where + "[]");
  }
}

TEST(OtlpJsonTest, EveryKeyIsLowerCamelCase) {
  SpanData span = MakeSpan();
  span.parent_span_id = Span(kParentHex);
  span.attributes = {{"a_b", 1}};  // attribute keys are data, not field names
  span.dropped_attributes = 1;
  span.events.push_back({"e", span.start_time, {{"k", "v"}}, 1});
  span.dropped_events = 1;
  span.links.push_back({span.context, {{"k", "v"}}, 1});
  span.dropped_links = 1;
  span.status = {StatusCode::kError, "x"};
  span.resource = std::make_shared<Resource>(Attributes{{"service.name", "a"}}, "s");
  span.scope = std::make_shared<InstrumentationScope>(InstrumentationScope{"n", "v", "s"});
  json request = EncodeOne(span);
  request["resourceSpans"][0]["scopeSpans"][0]["spans"][0].erase("attributes");
  ExpectNoSnakeCaseKeys(request, "");
}

TEST(OtlpJsonTest, OutputSurvivesASerializationRoundTrip) {
  SpanData span = MakeSpan();
  span.attributes = {{"greeting", "héllo \"world\"\n"}};
  json request = EncodeOne(span);
  EXPECT_EQ(json::parse(request.dump()), request);
}

}  // namespace
}  // namespace agenthub::telemetry
