// Spans as OTLP protobuf: every field of trace.proto's Span, the W3C and
// remote-parent flag bits, attribute values of every type, and grouping by
// resource then scope. Each test inspects what a collector would receive:
// the request after serialization and parsing.
#include "telemetry/otlp/trace_proto.h"
#include "telemetry/otlp/trace_wire_writer.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace agenthub::telemetry {
namespace {

namespace trace_pb = opentelemetry::proto::trace::v1;
using otlp_pb::ExportTraceServiceRequest;

constexpr char kTraceHex[] = "0af7651916cd43dd8448eb211c80319c";
constexpr char kSpanHex[] = "b7ad6b7169203331";
constexpr char kParentHex[] = "00f067aa0ba902b7";
constexpr char kLinkTraceHex[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kLinkSpanHex[] = "53995c3f42cd8ad8";
constexpr uint64_t kStart = 1'700'000'000'123'456'789ULL;
constexpr uint64_t kEnd = 1'700'000'000'987'654'321ULL;

std::string Bytes(const char* hex) {
  std::string out;
  for (size_t i = 0; hex[i] != '\0'; i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex + i, 2), nullptr, 16)));
  }
  return out;
}

std::shared_ptr<const Resource> MakeResource(std::string service) {
  return std::make_shared<Resource>(
      Attributes{{"service.name", std::move(service)}, {"host.name", "box"}},
      "https://opentelemetry.io/schemas/1.24.0");
}

std::shared_ptr<const InstrumentationScope> MakeScope(std::string name) {
  return std::make_shared<InstrumentationScope>(
      InstrumentationScope{std::move(name), "1.2.3", "https://example.com/scope-schema"});
}

SpanData BasicSpan(std::shared_ptr<const Resource> resource = MakeResource("svc"),
                   std::shared_ptr<const InstrumentationScope> scope = MakeScope("lib")) {
  SpanData span;
  span.context = SpanContext(*TraceId::FromHex(kTraceHex), *SpanId::FromHex(kSpanHex),
                             TraceFlags{TraceFlags::kSampled}, false);
  span.name = "op";
  span.start_time = FromUnixNanos(kStart);
  span.end_time = FromUnixNanos(kEnd);
  span.resource = std::move(resource);
  span.scope = std::move(scope);
  return span;
}

// A span with every field set to something other than its default.
SpanData FullSpan() {
  SpanData span = BasicSpan();
  span.context = SpanContext(*TraceId::FromHex(kTraceHex), *SpanId::FromHex(kSpanHex),
                             TraceFlags{TraceFlags::kSampled}, false,
                             *TraceState::Parse("vendor=value,other=x"));
  span.parent_span_id = *SpanId::FromHex(kParentHex);
  span.parent_is_remote = true;
  span.name = "route_task";
  span.kind = SpanKind::kServer;
  span.attributes = {{"flag", true},
                     {"count", int64_t{-42}},
                     {"ratio", 0.25},
                     {"text", "hello"},
                     {"flags", AttributeValue(std::vector<bool>{true, false})},
                     {"counts", AttributeValue(std::vector<int64_t>{1, 2, 3})},
                     {"ratios", AttributeValue(std::vector<double>{1.5, -2.5})},
                     {"texts", AttributeValue(std::vector<std::string>{"a", "b"})}};
  span.dropped_attributes = 2;
  span.events.push_back(
      SpanEvent{"exception", FromUnixNanos(kStart + 1000), {{"exception.message", "boom"}}, 1});
  span.dropped_events = 3;
  span.links.push_back(
      SpanLink{SpanContext(*TraceId::FromHex(kLinkTraceHex), *SpanId::FromHex(kLinkSpanHex),
                           TraceFlags{TraceFlags::kSampled}, true, *TraceState::Parse("a=b")),
               {{"link.reason", "batch"}},
               4});
  span.dropped_links = 5;
  span.status = SpanStatus{StatusCode::kError, "failed"};
  return span;
}

// What a collector receives: the request encoded, sent and decoded again.
ExportTraceServiceRequest Received(const std::vector<const SpanData*>& spans) {
  ExportTraceServiceRequest request;
  FillTraceRequest(spans, &request);
  std::string wire;
  EXPECT_TRUE(request.SerializeToString(&wire));
  ExportTraceServiceRequest received;
  EXPECT_TRUE(received.ParseFromString(wire));
  return received;
}

trace_pb::Span OnlySpan(const SpanData& span) {
  ExportTraceServiceRequest request = Received({&span});
  EXPECT_EQ(request.resource_spans_size(), 1);
  EXPECT_EQ(request.resource_spans(0).scope_spans_size(), 1);
  EXPECT_EQ(request.resource_spans(0).scope_spans(0).spans_size(), 1);
  return request.resource_spans(0).scope_spans(0).spans(0);
}

TEST(TraceProtoTest, IdsAreRawBytes) {
  const trace_pb::Span span = OnlySpan(FullSpan());
  EXPECT_EQ(span.trace_id(), Bytes(kTraceHex));
  EXPECT_EQ(span.trace_id().size(), 16u);
  EXPECT_EQ(span.span_id(), Bytes(kSpanHex));
  EXPECT_EQ(span.parent_span_id(), Bytes(kParentHex));
}

TEST(TraceProtoTest, RootSpanHasEmptyParentSpanId) {
  EXPECT_TRUE(OnlySpan(BasicSpan()).parent_span_id().empty());
}

TEST(TraceProtoTest, TraceStateIsTheW3CHeaderValue) {
  EXPECT_EQ(OnlySpan(FullSpan()).trace_state(), "vendor=value,other=x");
  EXPECT_EQ(OnlySpan(BasicSpan()).trace_state(), "");
}

TEST(TraceProtoTest, FlagsCarryW3CFlagsAndRemoteParentBits) {
  // Sampled, parent remoteness known (0x100) and remote (0x200).
  EXPECT_EQ(OnlySpan(FullSpan()).flags(), 0x301u);
  // A root span: remoteness known, not remote; unsampled.
  SpanData root = BasicSpan();
  root.context =
      SpanContext(*TraceId::FromHex(kTraceHex), *SpanId::FromHex(kSpanHex), TraceFlags{}, false);
  EXPECT_EQ(OnlySpan(root).flags(), 0x100u);
}

TEST(TraceProtoTest, OtlpSpanFlagsKeepsOnlyTheLowEightBitsOfTraceFlags) {
  EXPECT_EQ(OtlpSpanFlags(TraceFlags{0xFF}, false), 0x1FFu);
  EXPECT_EQ(OtlpSpanFlags(TraceFlags{0x01}, true), 0x301u);
}

TEST(TraceProtoTest, NameAndTimesAreCarried) {
  const trace_pb::Span span = OnlySpan(FullSpan());
  EXPECT_EQ(span.name(), "route_task");
  EXPECT_EQ(span.start_time_unix_nano(), kStart);
  EXPECT_EQ(span.end_time_unix_nano(), kEnd);
}

TEST(TraceProtoTest, KindIsOtlpEnumWhichStartsAtUnspecified) {
  const std::pair<SpanKind, trace_pb::Span::SpanKind> kinds[] = {
      {SpanKind::kInternal, trace_pb::Span::SPAN_KIND_INTERNAL},
      {SpanKind::kServer, trace_pb::Span::SPAN_KIND_SERVER},
      {SpanKind::kClient, trace_pb::Span::SPAN_KIND_CLIENT},
      {SpanKind::kProducer, trace_pb::Span::SPAN_KIND_PRODUCER},
      {SpanKind::kConsumer, trace_pb::Span::SPAN_KIND_CONSUMER}};
  for (const auto& [ours, theirs] : kinds) {
    SpanData span = BasicSpan();
    span.kind = ours;
    EXPECT_EQ(OnlySpan(span).kind(), theirs) << SpanKindName(ours);
  }
}

TEST(TraceProtoTest, AttributesOfEveryTypeIncludingArrays) {
  const trace_pb::Span span = OnlySpan(FullSpan());
  ASSERT_EQ(span.attributes_size(), 8);
  EXPECT_EQ(span.attributes(0).key(), "flag");
  EXPECT_TRUE(span.attributes(0).value().bool_value());
  EXPECT_EQ(span.attributes(1).value().int_value(), -42);
  EXPECT_EQ(span.attributes(2).value().double_value(), 0.25);
  EXPECT_EQ(span.attributes(3).value().string_value(), "hello");
  const auto& bools = span.attributes(4).value().array_value();
  ASSERT_EQ(bools.values_size(), 2);
  EXPECT_TRUE(bools.values(0).bool_value());
  EXPECT_FALSE(bools.values(1).bool_value());
  EXPECT_EQ(bools.values(1).value_case(), otlp_pb::AnyValue::kBoolValue);
  const auto& ints = span.attributes(5).value().array_value();
  ASSERT_EQ(ints.values_size(), 3);
  EXPECT_EQ(ints.values(2).int_value(), 3);
  const auto& doubles = span.attributes(6).value().array_value();
  ASSERT_EQ(doubles.values_size(), 2);
  EXPECT_EQ(doubles.values(1).double_value(), -2.5);
  const auto& strings = span.attributes(7).value().array_value();
  ASSERT_EQ(strings.values_size(), 2);
  EXPECT_EQ(strings.values(0).string_value(), "a");
  EXPECT_EQ(strings.values(1).string_value(), "b");
}

TEST(TraceProtoTest, EmptyArrayIsAnEmptyArrayValue) {
  otlp_pb::AnyValue value;
  FillAnyValue(AttributeValue(std::vector<int64_t>{}), &value);
  EXPECT_EQ(value.value_case(), otlp_pb::AnyValue::kArrayValue);
  EXPECT_EQ(value.array_value().values_size(), 0);
}

TEST(TraceProtoTest, DroppedCountsAreCarried) {
  const trace_pb::Span span = OnlySpan(FullSpan());
  EXPECT_EQ(span.dropped_attributes_count(), 2u);
  EXPECT_EQ(span.dropped_events_count(), 3u);
  EXPECT_EQ(span.dropped_links_count(), 5u);
}

TEST(TraceProtoTest, EventsCarryTimeNameAttributesAndDroppedCount) {
  const trace_pb::Span span = OnlySpan(FullSpan());
  ASSERT_EQ(span.events_size(), 1);
  const auto& event = span.events(0);
  EXPECT_EQ(event.name(), "exception");
  EXPECT_EQ(event.time_unix_nano(), kStart + 1000);
  ASSERT_EQ(event.attributes_size(), 1);
  EXPECT_EQ(event.attributes(0).key(), "exception.message");
  EXPECT_EQ(event.attributes(0).value().string_value(), "boom");
  EXPECT_EQ(event.dropped_attributes_count(), 1u);
}

TEST(TraceProtoTest, LinksCarryContextAttributesDroppedCountAndFlags) {
  const trace_pb::Span span = OnlySpan(FullSpan());
  ASSERT_EQ(span.links_size(), 1);
  const auto& link = span.links(0);
  EXPECT_EQ(link.trace_id(), Bytes(kLinkTraceHex));
  EXPECT_EQ(link.span_id(), Bytes(kLinkSpanHex));
  EXPECT_EQ(link.trace_state(), "a=b");
  ASSERT_EQ(link.attributes_size(), 1);
  EXPECT_EQ(link.attributes(0).value().string_value(), "batch");
  EXPECT_EQ(link.dropped_attributes_count(), 4u);
  EXPECT_EQ(link.flags(), 0x301u);  // sampled, linked context known remote
}

TEST(TraceProtoTest, ErrorStatusCarriesCodeAndMessage) {
  const trace_pb::Span span = OnlySpan(FullSpan());
  ASSERT_TRUE(span.has_status());
  EXPECT_EQ(span.status().code(), trace_pb::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(span.status().message(), "failed");
}

TEST(TraceProtoTest, OkStatusIsCarriedAndUnsetStatusIsOmitted) {
  SpanData ok = BasicSpan();
  ok.status = SpanStatus{StatusCode::kOk, ""};
  EXPECT_EQ(OnlySpan(ok).status().code(), trace_pb::Status::STATUS_CODE_OK);
  EXPECT_FALSE(OnlySpan(BasicSpan()).has_status());
}

TEST(TraceProtoTest, ResourceAttributesAndSchemaUrlAreCarried) {
  const SpanData span = BasicSpan();
  const ExportTraceServiceRequest request = Received({&span});
  const auto& resource_spans = request.resource_spans(0);
  EXPECT_EQ(resource_spans.schema_url(), "https://opentelemetry.io/schemas/1.24.0");
  ASSERT_EQ(resource_spans.resource().attributes_size(), 2);
  EXPECT_EQ(resource_spans.resource().attributes(0).key(), "service.name");
  EXPECT_EQ(resource_spans.resource().attributes(0).value().string_value(), "svc");
}

TEST(TraceProtoTest, ScopeNameVersionAndSchemaUrlAreCarried) {
  const SpanData span = BasicSpan();
  const ExportTraceServiceRequest request = Received({&span});
  const auto& scope_spans = request.resource_spans(0).scope_spans(0);
  EXPECT_EQ(scope_spans.scope().name(), "lib");
  EXPECT_EQ(scope_spans.scope().version(), "1.2.3");
  EXPECT_EQ(scope_spans.schema_url(), "https://example.com/scope-schema");
}

TEST(TraceProtoTest, SpansAreGroupedByResourceThenScopeInOrderOfFirstAppearance) {
  auto svc_a = MakeResource("a");
  auto svc_b = MakeResource("b");
  auto lib1 = MakeScope("lib1");
  auto lib2 = MakeScope("lib2");
  SpanData s1 = BasicSpan(svc_a, lib1);
  SpanData s2 = BasicSpan(svc_b, lib1);
  SpanData s3 = BasicSpan(svc_a, lib2);
  SpanData s4 = BasicSpan(svc_a, lib1);
  s1.name = "1";
  s2.name = "2";
  s3.name = "3";
  s4.name = "4";
  const ExportTraceServiceRequest request = Received({&s1, &s2, &s3, &s4});
  ASSERT_EQ(request.resource_spans_size(), 2);
  const auto& a = request.resource_spans(0);
  EXPECT_EQ(a.resource().attributes(0).value().string_value(), "a");
  ASSERT_EQ(a.scope_spans_size(), 2);
  EXPECT_EQ(a.scope_spans(0).scope().name(), "lib1");
  ASSERT_EQ(a.scope_spans(0).spans_size(), 2);
  EXPECT_EQ(a.scope_spans(0).spans(0).name(), "1");
  EXPECT_EQ(a.scope_spans(0).spans(1).name(), "4");
  EXPECT_EQ(a.scope_spans(1).scope().name(), "lib2");
  EXPECT_EQ(a.scope_spans(1).spans(0).name(), "3");
  const auto& b = request.resource_spans(1);
  EXPECT_EQ(b.resource().attributes(0).value().string_value(), "b");
  ASSERT_EQ(b.scope_spans_size(), 1);
  EXPECT_EQ(b.scope_spans(0).spans(0).name(), "2");
}

TEST(TraceProtoTest, EqualResourcesAndScopesShareAGroupEvenAsDistinctObjects) {
  SpanData s1 = BasicSpan(MakeResource("svc"), MakeScope("lib"));
  SpanData s2 = BasicSpan(MakeResource("svc"), MakeScope("lib"));
  const ExportTraceServiceRequest request = Received({&s1, &s2});
  ASSERT_EQ(request.resource_spans_size(), 1);
  ASSERT_EQ(request.resource_spans(0).scope_spans_size(), 1);
  EXPECT_EQ(request.resource_spans(0).scope_spans(0).spans_size(), 2);
}

TEST(TraceProtoTest, MissingResourceOrScopeLeavesThatFieldUnset) {
  SpanData span = BasicSpan(nullptr, nullptr);
  const ExportTraceServiceRequest request = Received({&span});
  ASSERT_EQ(request.resource_spans_size(), 1);
  EXPECT_FALSE(request.resource_spans(0).has_resource());
  EXPECT_FALSE(request.resource_spans(0).scope_spans(0).has_scope());
  EXPECT_EQ(request.resource_spans(0).scope_spans(0).spans_size(), 1);
}

TEST(TraceProtoTest, NullSpansAreSkippedAndAnEmptyBatchIsAnEmptyRequest) {
  SpanData span = BasicSpan();
  EXPECT_EQ(Received({nullptr, &span, nullptr}).resource_spans(0).scope_spans(0).spans_size(), 1);
  EXPECT_EQ(Received({}).resource_spans_size(), 0);
}

TEST(TraceProtoTest, ArenaEncodingEqualsHeapEncoding) {
  SpanData full = FullSpan();
  SpanData basic = BasicSpan(MakeResource("other"), MakeScope("lib"));
  const std::vector<const SpanData*> batch = {&full, &basic};
  ExportTraceServiceRequest heap;
  FillTraceRequest(batch, &heap);
  google::protobuf::Arena arena;
  const ExportTraceServiceRequest* on_arena = EncodeTraceRequest(batch, &arena);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(heap, *on_arena));
}

// SerializeTraceRequest skips the messages; it must produce the very bytes
// protobuf writes for them.
void ExpectSameBytesAsMessages(const std::vector<const SpanData*>& batch) {
  ExportTraceServiceRequest request;
  FillTraceRequest(batch, &request);
  std::string expected;
  ASSERT_TRUE(request.SerializeToString(&expected));
  std::string direct = "previous contents are replaced";
  SerializeTraceRequest(batch, &direct);
  EXPECT_EQ(direct, expected);
}

TEST(TraceProtoTest, DirectSerializationMatchesMessagesForAFullSpan) {
  SpanData span = FullSpan();
  ExpectSameBytesAsMessages({&span});
}

TEST(TraceProtoTest, DirectSerializationMatchesMessagesAcrossGroups) {
  SpanData s1 = FullSpan();
  SpanData s2 = BasicSpan(MakeResource("b"), MakeScope("lib2"));
  SpanData s3 = BasicSpan(nullptr, nullptr);
  SpanData s4 = BasicSpan(MakeResource("svc"), nullptr);
  ExpectSameBytesAsMessages({&s1, &s2, nullptr, &s3, &s4});
  ExpectSameBytesAsMessages({});
}

TEST(TraceProtoTest, DirectSerializationMatchesMessagesForDefaultsAndEdgeValues) {
  // Empty strings, zero times and counts, default-valued oneof members,
  // negative integers (10-byte varints), empty arrays, an empty resource.
  SpanData span = BasicSpan(std::make_shared<Resource>(), std::make_shared<InstrumentationScope>());
  span.name = "";
  span.start_time = FromUnixNanos(0);
  span.end_time = FromUnixNanos(0);
  span.attributes = {{"zero", int64_t{0}},
                     {"negative", int64_t{-1}},
                     {"false", false},
                     {"empty", ""},
                     {"nothing", AttributeValue(std::vector<std::string>{})},
                     {"empties", AttributeValue(std::vector<std::string>{"", ""})},
                     {"", "empty key"}};
  span.events.push_back(SpanEvent{"", FromUnixNanos(0), {}, 0});
  span.links.push_back(SpanLink{SpanContext(), {}, 0});
  span.status = SpanStatus{StatusCode::kOk, ""};
  std::string long_name(300, 'x');  // a two-byte length
  SpanData long_span = BasicSpan();
  long_span.name = long_name;
  ExpectSameBytesAsMessages({&span, &long_span});
}

}  // namespace
}  // namespace agenthub::telemetry
