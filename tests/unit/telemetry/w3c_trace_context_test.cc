// W3CTraceContextPropagator: traceparent/tracestate per the W3C Trace
// Context Recommendation, including every malformed form it lists.
#include "telemetry/propagation/w3c_trace_context.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "telemetry/propagation/map_carrier.h"

namespace agenthub::telemetry {
namespace {

using Headers = std::map<std::string, std::string>;

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpanId[] = "00f067aa0ba902b7";
constexpr char kValid[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

SpanContext ExtractFrom(const Headers& headers, const Context& base = Context()) {
  MapCarrier carrier(headers);
  return W3CTraceContextPropagator().Extract(carrier, base).span().context();
}

SpanContext ExtractTraceParent(const std::string& traceparent) {
  return ExtractFrom({{"traceparent", traceparent}});
}

bool IsRejected(const std::string& traceparent) {
  return !ExtractTraceParent(traceparent).IsValid();
}

Context ContextWith(const SpanContext& span_context) {
  return Context().WithSpan(Span(span_context));
}

SpanContext MakeSpanContext(uint8_t flags, TraceState state = {}) {
  return SpanContext(*TraceId::FromHex(kTraceId), *SpanId::FromHex(kSpanId), TraceFlags{flags},
                     /*remote=*/false, std::move(state));
}

// --- Extract: valid headers -------------------------------------------------

TEST(W3CTraceContextExtractTest, ValidTraceparentGivesTheRemoteParent) {
  SpanContext sc = ExtractTraceParent(kValid);
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.trace_id().ToHex(), kTraceId);
  EXPECT_EQ(sc.span_id().ToHex(), kSpanId);
  EXPECT_TRUE(sc.IsSampled());
  EXPECT_TRUE(sc.IsRemote());
}

TEST(W3CTraceContextExtractTest, UnsampledFlagIsKept) {
  SpanContext sc = ExtractTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(sc.IsValid());
  EXPECT_FALSE(sc.IsSampled());
}

TEST(W3CTraceContextExtractTest, Version00KeepsAllEightFlagBits) {
  SpanContext sc = ExtractTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09");
  EXPECT_EQ(sc.trace_flags().value, 0x09);
}

TEST(W3CTraceContextExtractTest, SurroundingSpacesAndTabsAreIgnored) {
  const std::string valid = kValid;
  EXPECT_TRUE(ExtractTraceParent(" " + valid).IsValid());
  EXPECT_TRUE(ExtractTraceParent("\t" + valid).IsValid());
  EXPECT_TRUE(ExtractTraceParent(valid + " ").IsValid());
  EXPECT_TRUE(ExtractTraceParent("\t " + valid + " \t").IsValid());
}

TEST(W3CTraceContextExtractTest, HeaderNameIsCaseInsensitive) {
  EXPECT_TRUE(ExtractFrom({{"TraceParent", kValid}}).IsValid());
  EXPECT_TRUE(ExtractFrom({{"TRACEPARENT", kValid}}).IsValid());
}

TEST(W3CTraceContextExtractTest, MissingTraceparentLeavesTheContextUnchanged) {
  const Context base = ContextWith(MakeSpanContext(1));
  EXPECT_EQ(ExtractFrom({}, base), base.span().context());
}

// --- Extract: future versions ----------------------------------------------

TEST(W3CTraceContextExtractTest, FutureVersionOfExactly55CharactersIsAccepted) {
  SpanContext sc = ExtractTraceParent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.trace_id().ToHex(), kTraceId);
}

TEST(W3CTraceContextExtractTest, FutureVersionWithDashAndExtraFieldsIsAccepted) {
  EXPECT_TRUE(ExtractTraceParent(
                  "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds")
                  .IsValid());
}

TEST(W3CTraceContextExtractTest, FutureVersionWithExtraDataNotAfterADashIsRejected) {
  EXPECT_TRUE(IsRejected("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.what-next"));
  EXPECT_TRUE(IsRejected("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-012"));
}

TEST(W3CTraceContextExtractTest, FutureVersionKeepsOnlyTheSampledFlag) {
  SpanContext sc = ExtractTraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff");
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.trace_flags().value, TraceFlags::kSampled);
}

TEST(W3CTraceContextExtractTest, FutureVersionShorterThan55CharactersIsRejected) {
  EXPECT_TRUE(IsRejected("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"));
}

// --- Extract: malformed traceparent -----------------------------------------

TEST(W3CTraceContextExtractTest, VersionFfIsRejected) {
  EXPECT_TRUE(IsRejected("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
}

TEST(W3CTraceContextExtractTest, Version00WithTrailingDataIsRejected) {
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01."));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
}

TEST(W3CTraceContextExtractTest, VersionWithIllegalCharactersIsRejected) {
  EXPECT_TRUE(IsRejected(".0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("0.-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
}

TEST(W3CTraceContextExtractTest, UppercaseVersionIsRejected) {
  EXPECT_TRUE(IsRejected("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
}

TEST(W3CTraceContextExtractTest, VersionOfWrongLengthIsRejected) {
  EXPECT_TRUE(IsRejected("0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("000-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("0000-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
}

TEST(W3CTraceContextExtractTest, TraceIdOfWrongLengthIsRejected) {
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01"));
}

TEST(W3CTraceContextExtractTest, SpanIdOfWrongLengthIsRejected) {
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b77-01"));
}

TEST(W3CTraceContextExtractTest, FlagsOfWrongLengthAreRejected) {
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-001"));
}

TEST(W3CTraceContextExtractTest, EmptyAndTruncatedValuesAreRejected) {
  EXPECT_TRUE(IsRejected(""));
  EXPECT_TRUE(IsRejected("00"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736"));
}

TEST(W3CTraceContextExtractTest, UppercaseHexInIdsIsRejected) {
  EXPECT_TRUE(IsRejected("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01"));
}

TEST(W3CTraceContextExtractTest, UppercaseHexInFlagsIsRejected) {
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A"));
}

TEST(W3CTraceContextExtractTest, NonHexCharactersAreRejected) {
  EXPECT_TRUE(IsRejected("00-.bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-.0f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-.0"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0."));
}

TEST(W3CTraceContextExtractTest, DashesOutOfPlaceAreRejected) {
  EXPECT_TRUE(IsRejected("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01"));
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01"));
}

TEST(W3CTraceContextExtractTest, AllZeroTraceIdIsRejected) {
  EXPECT_TRUE(IsRejected("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
}

TEST(W3CTraceContextExtractTest, AllZeroSpanIdIsRejected) {
  EXPECT_TRUE(IsRejected("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
}

TEST(W3CTraceContextExtractTest, TwoTraceparentHeadersCombinedAreRejected) {
  // A carrier joins repeated headers with ','; two traceparents are invalid.
  EXPECT_TRUE(IsRejected(std::string(kValid) + "," + kValid));
}

TEST(W3CTraceContextExtractTest, InvalidTraceparentLeavesTheContextUnchanged) {
  const Context base = ContextWith(MakeSpanContext(0));
  SpanContext sc = ExtractFrom({{"traceparent", "garbage"}, {"tracestate", "a=1"}}, base);
  EXPECT_EQ(sc, base.span().context());
}

// --- Extract: tracestate ------------------------------------------------------

TEST(W3CTraceContextExtractTest, TracestateIsExtractedWithTheParent) {
  SpanContext sc = ExtractFrom({{"traceparent", kValid}, {"tracestate", "rojo=1,congo=2"}});
  EXPECT_EQ(sc.trace_state().ToHeader(), "rojo=1,congo=2");
}

TEST(W3CTraceContextExtractTest, TracestateWithoutTraceparentIsIgnored) {
  SpanContext sc = ExtractFrom({{"tracestate", "foo=1"}});
  EXPECT_FALSE(sc.IsValid());
  EXPECT_TRUE(sc.trace_state().empty());
}

TEST(W3CTraceContextExtractTest, TracestateWithOwsIsAccepted) {
  SpanContext sc = ExtractFrom({{"traceparent", kValid}, {"tracestate", "\t foo=1 \t , bar=2 "}});
  EXPECT_EQ(sc.trace_state().ToHeader(), "foo=1,bar=2");
}

TEST(W3CTraceContextExtractTest, EmptyTracestateGivesAnEmptyState) {
  SpanContext sc = ExtractFrom({{"traceparent", kValid}, {"tracestate", ""}});
  EXPECT_TRUE(sc.IsValid());
  EXPECT_TRUE(sc.trace_state().empty());
}

TEST(W3CTraceContextExtractTest, MultiTenantKeysAreAccepted) {
  SpanContext sc = ExtractFrom({{"traceparent", kValid}, {"tracestate", "fw529a3039@dt=x,a@b=y"}});
  EXPECT_EQ(sc.trace_state().Get("fw529a3039@dt"), "x");
  EXPECT_EQ(sc.trace_state().Get("a@b"), "y");
}

TEST(W3CTraceContextExtractTest, TracestateWith33MembersIsDroppedButTheParentKept) {
  std::string state;
  for (int i = 1; i <= 33; ++i) state += (i > 1 ? ",bar" : "bar") + std::to_string(i) + "=1";
  SpanContext sc = ExtractFrom({{"traceparent", kValid}, {"tracestate", state}});
  EXPECT_TRUE(sc.IsValid());
  EXPECT_TRUE(sc.trace_state().empty());
}

TEST(W3CTraceContextExtractTest, TracestateWithABadKeyIsDroppedButTheParentKept) {
  SpanContext sc = ExtractFrom({{"traceparent", kValid}, {"tracestate", "foo=1,Bad=2"}});
  EXPECT_TRUE(sc.IsValid());
  EXPECT_TRUE(sc.trace_state().empty());
}

TEST(W3CTraceContextExtractTest, TracestateWithABadValueIsDroppedButTheParentKept) {
  SpanContext sc = ExtractFrom({{"traceparent", kValid}, {"tracestate", "foo=bar=baz"}});
  EXPECT_TRUE(sc.IsValid());
  EXPECT_TRUE(sc.trace_state().empty());
}

TEST(W3CTraceContextExtractTest, TracestateWithDuplicateKeysIsDroppedButTheParentKept) {
  SpanContext sc = ExtractFrom({{"traceparent", kValid}, {"tracestate", "foo=1,foo=2"}});
  EXPECT_TRUE(sc.IsValid());
  EXPECT_TRUE(sc.trace_state().empty());
}

// --- Inject -------------------------------------------------------------------

TEST(W3CTraceContextInjectTest, WritesVersion00Traceparent) {
  Headers headers;
  MapCarrier carrier(headers);
  W3CTraceContextPropagator().Inject(ContextWith(MakeSpanContext(1)), carrier);
  EXPECT_EQ(headers["traceparent"], kValid);
}

TEST(W3CTraceContextInjectTest, WritesUnsampledFlag) {
  Headers headers;
  MapCarrier carrier(headers);
  W3CTraceContextPropagator().Inject(ContextWith(MakeSpanContext(0)), carrier);
  EXPECT_EQ(headers["traceparent"], "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
}

TEST(W3CTraceContextInjectTest, ClearsReservedFlags) {
  Headers headers;
  MapCarrier carrier(headers);
  W3CTraceContextPropagator().Inject(ContextWith(MakeSpanContext(0xff)), carrier);
  EXPECT_EQ(headers["traceparent"].substr(53), "03");
}

TEST(W3CTraceContextInjectTest, WritesTracestateWhenNotEmpty) {
  Headers headers;
  MapCarrier carrier(headers);
  W3CTraceContextPropagator().Inject(
      ContextWith(MakeSpanContext(1, *TraceState::Parse("rojo=1,congo=2"))), carrier);
  EXPECT_EQ(headers["tracestate"], "rojo=1,congo=2");
}

TEST(W3CTraceContextInjectTest, OmitsEmptyTracestate) {
  Headers headers;
  MapCarrier carrier(headers);
  W3CTraceContextPropagator().Inject(ContextWith(MakeSpanContext(1)), carrier);
  EXPECT_EQ(headers.count("tracestate"), 0u);
}

TEST(W3CTraceContextInjectTest, WritesNothingWithoutAValidSpan) {
  Headers headers;
  MapCarrier carrier(headers);
  W3CTraceContextPropagator().Inject(Context(), carrier);
  EXPECT_TRUE(headers.empty());
}

TEST(W3CTraceContextInjectTest, ReplacesAnOlderTraceparent) {
  Headers headers = {{"traceparent", "old"}};
  MapCarrier carrier(headers);
  W3CTraceContextPropagator().Inject(ContextWith(MakeSpanContext(1)), carrier);
  EXPECT_EQ(headers["traceparent"], kValid);
}

// --- Round trips and fields -----------------------------------------------------

TEST(W3CTraceContextRoundTripTest, InjectThenExtractGivesTheSameIdsFlagsAndState) {
  const SpanContext original = MakeSpanContext(1, *TraceState::Parse("a@b=x,c=y"));
  Headers headers;
  MapCarrier carrier(headers);
  W3CTraceContextPropagator propagator;
  propagator.Inject(ContextWith(original), carrier);
  SpanContext extracted = propagator.Extract(carrier, Context()).span().context();
  EXPECT_EQ(extracted.trace_id(), original.trace_id());
  EXPECT_EQ(extracted.span_id(), original.span_id());
  EXPECT_EQ(extracted.trace_flags(), original.trace_flags());
  EXPECT_EQ(extracted.trace_state(), original.trace_state());
  EXPECT_TRUE(extracted.IsRemote());
}

TEST(W3CTraceContextRoundTripTest, ExtractThenInjectReproducesTheHeaders) {
  Headers in = {{"traceparent", kValid}, {"tracestate", "congo=t61rcWkgMzE"}};
  W3CTraceContextPropagator propagator;
  MapCarrier in_carrier(in);
  Context context = propagator.Extract(in_carrier, Context());
  Headers out;
  MapCarrier out_carrier(out);
  propagator.Inject(context, out_carrier);
  EXPECT_EQ(out, in);
}

TEST(W3CTraceContextFieldsTest, FieldsAreTraceparentAndTracestate) {
  EXPECT_EQ(W3CTraceContextPropagator().Fields(),
            (std::vector<std::string>{"traceparent", "tracestate"}));
}

}  // namespace
}  // namespace agenthub::telemetry
