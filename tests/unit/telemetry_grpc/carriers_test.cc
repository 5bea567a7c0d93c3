// Carriers for gRPC metadata and protobuf Structs, and trace_headers inside
// AgentHub message metadata.
#include <gmock/gmock.h>
#include <grpcpp/client_context.h>
#include <grpcpp/test/client_context_test_peer.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "telemetry/grpc/grpc.h"
#include "telemetry/propagation/propagators.h"
#include "telemetry/propagation/w3c_trace_context.h"

namespace agenthub::telemetry {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpanId[] = "00f067aa0ba902b7";
constexpr char kTraceParent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

Context SampledContext() {
  return Context()
      .WithSpan(Span(SpanContext(*TraceId::FromHex(kTraceId), *SpanId::FromHex(kSpanId),
                                 TraceFlags{TraceFlags::kSampled}, /*remote=*/false,
                                 *TraceState::Parse("congo=t61rcWkgMzE"))))
      .WithBaggage(Baggage().Set("user.tier", "premium"));
}

Value StringValue(const std::string& s) {
  Value v;
  v.set_string_value(s);
  return v;
}

// --- StructCarrier -----------------------------------------------------------------

TEST(StructCarrierTest, SetWritesAStringValue) {
  Struct fields;
  StructCarrier carrier(&fields);
  carrier.Set("traceparent", kTraceParent);
  ASSERT_EQ(fields.fields().count("traceparent"), 1u);
  EXPECT_EQ(fields.fields().at("traceparent").string_value(), kTraceParent);
}

TEST(StructCarrierTest, SetReplacesANonStringValue) {
  Struct fields;
  (*fields.mutable_fields())["k"].set_number_value(3);
  StructCarrier carrier(&fields);
  carrier.Set("k", "v");
  EXPECT_EQ(fields.fields().at("k").string_value(), "v");
}

TEST(StructCarrierTest, GetReadsAStringValue) {
  Struct fields;
  (*fields.mutable_fields())["baggage"] = StringValue("a=1");
  EXPECT_EQ(StructCarrier(fields).Get("baggage"), "a=1");
}

TEST(StructCarrierTest, GetOfANonStringValueIsEmpty) {
  Struct fields;
  (*fields.mutable_fields())["traceparent"].set_number_value(42);
  (*fields.mutable_fields())["tracestate"].set_bool_value(true);
  EXPECT_EQ(StructCarrier(fields).Get("traceparent"), "");
  EXPECT_EQ(StructCarrier(fields).Get("tracestate"), "");
}

TEST(StructCarrierTest, GetOfAnAbsentKeyIsEmpty) {
  Struct fields;
  EXPECT_EQ(StructCarrier(fields).Get("traceparent"), "");
}

TEST(StructCarrierTest, GetIgnoresKeyCase) {
  Struct fields;
  (*fields.mutable_fields())["Traceparent"] = StringValue(kTraceParent);
  EXPECT_EQ(StructCarrier(fields).Get("traceparent"), kTraceParent);
}

TEST(StructCarrierTest, GetViewPointsIntoTheStringValue) {
  Struct fields;
  (*fields.mutable_fields())["traceparent"] = StringValue(kTraceParent);
  std::optional<std::string_view> view = StructCarrier(fields).GetView("traceparent");
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->data(), fields.fields().at("traceparent").string_value().data());
  EXPECT_EQ(*view, kTraceParent);
}

TEST(StructCarrierTest, GetViewOfANonStringValueIsEmpty) {
  Struct fields;
  (*fields.mutable_fields())["traceparent"].set_number_value(42);
  EXPECT_EQ(StructCarrier(fields).GetView("traceparent"), std::string_view());
}

TEST(StructCarrierTest, GetViewOfAnAbsentKeyIsEmpty) {
  Struct fields;
  EXPECT_EQ(StructCarrier(fields).GetView("traceparent"), std::string_view());
}

TEST(StructCarrierTest, GetViewIgnoresKeyCase) {
  Struct fields;
  (*fields.mutable_fields())["Traceparent"] = StringValue(kTraceParent);
  EXPECT_EQ(StructCarrier(fields).GetView("traceparent"), kTraceParent);
}

TEST(StructCarrierTest, ReadOnlyCarrierIgnoresSet) {
  Struct fields;
  StructCarrier carrier(static_cast<const Struct&>(fields));
  carrier.Set("k", "v");
  EXPECT_TRUE(fields.fields().empty());
}

// --- trace_headers inside message metadata ---------------------------------------------

TEST(TraceHeadersTest, InjectWritesANestedStructOfStrings) {
  Struct metadata;
  InjectTraceHeaders(SampledContext(), &metadata, *DefaultPropagator());
  const Value& headers = metadata.fields().at("trace_headers");
  ASSERT_EQ(headers.kind_case(), Value::kStructValue);
  const auto& fields = headers.struct_value().fields();
  EXPECT_EQ(fields.at("traceparent").string_value(), kTraceParent);
  EXPECT_EQ(fields.at("tracestate").string_value(), "congo=t61rcWkgMzE");
  EXPECT_EQ(fields.at("baggage").string_value(), "user.tier=premium");
}

TEST(TraceHeadersTest, InjectKeepsOtherMetadataFields) {
  Struct metadata;
  (*metadata.mutable_fields())["source"] = StringValue("publisher");
  InjectTraceHeaders(SampledContext(), &metadata, *DefaultPropagator());
  EXPECT_EQ(metadata.fields().at("source").string_value(), "publisher");
}

TEST(TraceHeadersTest, InjectReplacesEarlierTraceHeaders) {
  Struct metadata;
  Struct stale;
  (*stale.mutable_fields())["traceparent"] = StringValue("stale");
  (*stale.mutable_fields())["x-other"] = StringValue("stale");
  *(*metadata.mutable_fields())["trace_headers"].mutable_struct_value() = stale;
  InjectTraceHeaders(SampledContext(), &metadata, *DefaultPropagator());
  const auto& fields = metadata.fields().at("trace_headers").struct_value().fields();
  EXPECT_EQ(fields.at("traceparent").string_value(), kTraceParent);
  EXPECT_EQ(fields.count("x-other"), 0u);
}

TEST(TraceHeadersTest, InjectOfAnEmptyContextRemovesTraceHeaders) {
  Struct metadata;
  (*metadata.mutable_fields())["trace_headers"].mutable_struct_value();
  InjectTraceHeaders(Context(), &metadata, *DefaultPropagator());
  EXPECT_EQ(metadata.fields().count("trace_headers"), 0u);
}

TEST(TraceHeadersTest, RoundTripRestoresSpanContextAndBaggage) {
  Struct metadata;
  InjectTraceHeaders(SampledContext(), &metadata, *DefaultPropagator());
  Context extracted = ExtractTraceHeaders(metadata, *DefaultPropagator(), Context());
  const SpanContext& sc = extracted.span().context();
  EXPECT_EQ(sc.trace_id().ToHex(), kTraceId);
  EXPECT_EQ(sc.span_id().ToHex(), kSpanId);
  EXPECT_TRUE(sc.IsSampled());
  EXPECT_TRUE(sc.IsRemote());
  EXPECT_EQ(sc.trace_state().Get("congo"), "t61rcWkgMzE");
  EXPECT_EQ(extracted.baggage().Get("user.tier"), "premium");
}

TEST(TraceHeadersTest, RoundTripSurvivesProtobufSerialization) {
  Struct metadata;
  InjectTraceHeaders(SampledContext(), &metadata, *DefaultPropagator());
  Struct received;
  ASSERT_TRUE(received.ParseFromString(metadata.SerializeAsString()));
  Context extracted = ExtractTraceHeaders(received, *DefaultPropagator(), Context());
  EXPECT_EQ(extracted.span().context().trace_id().ToHex(), kTraceId);
}

TEST(TraceHeadersTest, ExtractWithoutTraceHeadersReturnsTheBase) {
  Struct metadata;
  const Context base = SampledContext();
  Context extracted = ExtractTraceHeaders(metadata, *DefaultPropagator(), base);
  EXPECT_EQ(extracted.span().context(), base.span().context());
  EXPECT_EQ(extracted.baggage(), base.baggage());
}

TEST(TraceHeadersTest, ExtractIgnoresTraceHeadersThatAreNotAStruct) {
  Struct metadata;
  (*metadata.mutable_fields())["trace_headers"] = StringValue(kTraceParent);
  Context extracted = ExtractTraceHeaders(metadata, *DefaultPropagator(), Context());
  EXPECT_FALSE(extracted.span().context().IsValid());
}

TEST(TraceHeadersTest, ExtractReadsHeadersWrittenByOtherSdks) {
  // What the original Go AgentHub writes: string fields in a nested Struct.
  Struct headers;
  (*headers.mutable_fields())["traceparent"] = StringValue(kTraceParent);
  Struct metadata;
  *(*metadata.mutable_fields())["trace_headers"].mutable_struct_value() = headers;
  Context extracted = ExtractTraceHeaders(metadata, W3CTraceContextPropagator(), Context());
  EXPECT_EQ(extracted.span().context().span_id().ToHex(), kSpanId);
}

// --- gRPC metadata carriers ---------------------------------------------------------------

TEST(ServerMetadataCarrierTest, GetReadsAValue) {
  const std::string key = "traceparent";
  const std::string value = kTraceParent;
  ServerMetadataCarrier::Metadata metadata = {{grpc::string_ref(key), grpc::string_ref(value)}};
  EXPECT_EQ(ServerMetadataCarrier(metadata).Get("traceparent"), kTraceParent);
}

TEST(ServerMetadataCarrierTest, GetJoinsRepeatedValuesWithCommas) {
  const std::string key = "tracestate";
  const std::string first = "a=1";
  const std::string second = "b=2";
  ServerMetadataCarrier::Metadata metadata = {{grpc::string_ref(key), grpc::string_ref(first)},
                                              {grpc::string_ref(key), grpc::string_ref(second)}};
  EXPECT_EQ(ServerMetadataCarrier(metadata).Get("tracestate"), "a=1,b=2");
}

TEST(ServerMetadataCarrierTest, GetOfAnAbsentKeyIsEmpty) {
  ServerMetadataCarrier::Metadata metadata;
  EXPECT_EQ(ServerMetadataCarrier(metadata).Get("traceparent"), "");
}

TEST(ServerMetadataCarrierTest, GetViewOfASingleValuePointsIntoTheMetadata) {
  const std::string key = "traceparent";
  const std::string value = kTraceParent;
  ServerMetadataCarrier::Metadata metadata = {{grpc::string_ref(key), grpc::string_ref(value)}};
  std::optional<std::string_view> view = ServerMetadataCarrier(metadata).GetView("traceparent");
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->data(), value.data());
  EXPECT_EQ(*view, kTraceParent);
}

TEST(ServerMetadataCarrierTest, GetViewOfRepeatedValuesIsUnavailable) {
  const std::string key = "tracestate";
  const std::string first = "a=1";
  const std::string second = "b=2";
  ServerMetadataCarrier::Metadata metadata = {{grpc::string_ref(key), grpc::string_ref(first)},
                                              {grpc::string_ref(key), grpc::string_ref(second)}};
  EXPECT_EQ(ServerMetadataCarrier(metadata).GetView("tracestate"), std::nullopt);
}

TEST(ServerMetadataCarrierTest, GetViewOfAnAbsentKeyIsEmpty) {
  ServerMetadataCarrier::Metadata metadata;
  EXPECT_EQ(ServerMetadataCarrier(metadata).GetView("traceparent"), std::string_view());
}

TEST(ServerMetadataCarrierTest, ExtractJoinsRepeatedTraceStateLines) {
  const std::string parent_key = "traceparent";
  const std::string parent = kTraceParent;
  const std::string state_key = "tracestate";
  const std::string first = "rojo=1";
  const std::string second = "congo=2";
  ServerMetadataCarrier::Metadata metadata = {
      {grpc::string_ref(parent_key), grpc::string_ref(parent)},
      {grpc::string_ref(state_key), grpc::string_ref(first)},
      {grpc::string_ref(state_key), grpc::string_ref(second)}};
  Context extracted =
      W3CTraceContextPropagator().Extract(ServerMetadataCarrier(metadata), Context());
  EXPECT_EQ(extracted.span().context().trace_state().ToHeader(), "rojo=1,congo=2");
}

TEST(ServerMetadataCarrierTest, ExtractsTheRemoteParent) {
  const std::string key = "traceparent";
  const std::string value = kTraceParent;
  ServerMetadataCarrier::Metadata metadata = {{grpc::string_ref(key), grpc::string_ref(value)}};
  Context extracted =
      W3CTraceContextPropagator().Extract(ServerMetadataCarrier(metadata), Context());
  EXPECT_EQ(extracted.span().context().trace_id().ToHex(), kTraceId);
}

TEST(ServerMetadataCarrierTest, SetDoesNothing) {
  ServerMetadataCarrier::Metadata metadata;
  ServerMetadataCarrier carrier(metadata);
  carrier.Set("k", "v");
  EXPECT_TRUE(metadata.empty());
}

TEST(ClientMetadataCarrierTest, GetIsAlwaysEmpty) {
  grpc::ClientContext context;
  ClientMetadataCarrier carrier(&context);
  carrier.Set("traceparent", kTraceParent);
  EXPECT_EQ(carrier.Get("traceparent"), "");
}

TEST(ClientMetadataCarrierTest, GetViewIsAlwaysEmpty) {
  grpc::ClientContext context;
  ClientMetadataCarrier carrier(&context);
  carrier.Set("traceparent", kTraceParent);
  EXPECT_EQ(carrier.GetView("traceparent"), std::string_view());
}

TEST(ClientMetadataCarrierTest, SetAddsOutgoingMetadata) {
  grpc::ClientContext context;
  ClientMetadataCarrier carrier(&context);
  carrier.Set("traceparent", kTraceParent);
  auto sent = grpc::testing::ClientContextTestPeer(&context).GetSendInitialMetadata();
  ASSERT_EQ(sent.count("traceparent"), 1u);
  EXPECT_EQ(sent.find("traceparent")->second, kTraceParent);
}

TEST(ClientMetadataCarrierTest, InjectWritesEveryPropagatedHeader) {
  grpc::ClientContext context;
  ClientMetadataCarrier carrier(&context);
  DefaultPropagator()->Inject(SampledContext(), carrier);
  auto sent = grpc::testing::ClientContextTestPeer(&context).GetSendInitialMetadata();
  EXPECT_EQ(sent.find("traceparent")->second, kTraceParent);
  EXPECT_EQ(sent.find("tracestate")->second, "congo=t61rcWkgMzE");
  EXPECT_EQ(sent.find("baggage")->second, "user.tier=premium");
}

}  // namespace
}  // namespace agenthub::telemetry
