// B3Propagator: Zipkin B3 single and multi headers.
#include "telemetry/propagation/b3.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "telemetry/propagation/map_carrier.h"

namespace agenthub::telemetry {
namespace {

using Headers = std::map<std::string, std::string>;

constexpr char kTraceId[] = "80f198ee56343ba864fe8b2a57d3eff7";
constexpr char kSpanId[] = "e457b5a2e4d86bd1";
constexpr char kParentId[] = "05e3ac9a4f6e3b90";

SpanContext ExtractFrom(const Headers& headers, const Context& base = Context()) {
  MapCarrier carrier(headers);
  return B3Propagator().Extract(carrier, base).span().context();
}

SpanContext ExtractSingle(const std::string& b3) { return ExtractFrom({{"b3", b3}}); }

Context ContextWith(bool sampled) {
  return Context().WithSpan(
      Span(SpanContext(*TraceId::FromHex(kTraceId), *SpanId::FromHex(kSpanId),
                       TraceFlags{sampled ? TraceFlags::kSampled : uint8_t{0}},
                       /*remote=*/false)));
}

Headers Inject(B3Propagator::InjectEncoding encoding, bool sampled) {
  Headers headers;
  MapCarrier carrier(headers);
  B3Propagator(encoding).Inject(ContextWith(sampled), carrier);
  return headers;
}

// --- Single header ----------------------------------------------------------------

TEST(B3SingleExtractTest, TraceIdAndSpanIdWithoutSamplingIsDeferredAndUnsampled) {
  SpanContext sc = ExtractSingle(std::string(kTraceId) + "-" + kSpanId);
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.trace_id().ToHex(), kTraceId);
  EXPECT_EQ(sc.span_id().ToHex(), kSpanId);
  EXPECT_FALSE(sc.IsSampled());
  EXPECT_TRUE(sc.IsRemote());
}

TEST(B3SingleExtractTest, SamplingStateOneIsSampled) {
  EXPECT_TRUE(ExtractSingle(std::string(kTraceId) + "-" + kSpanId + "-1").IsSampled());
}

TEST(B3SingleExtractTest, SamplingStateZeroIsNotSampled) {
  SpanContext sc = ExtractSingle(std::string(kTraceId) + "-" + kSpanId + "-0");
  ASSERT_TRUE(sc.IsValid());
  EXPECT_FALSE(sc.IsSampled());
}

TEST(B3SingleExtractTest, DebugImpliesSampled) {
  EXPECT_TRUE(ExtractSingle(std::string(kTraceId) + "-" + kSpanId + "-d").IsSampled());
}

TEST(B3SingleExtractTest, ParentSpanIdIsAcceptedAndIgnored) {
  SpanContext sc = ExtractSingle(std::string(kTraceId) + "-" + kSpanId + "-1-" + kParentId);
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.span_id().ToHex(), kSpanId);
}

TEST(B3SingleExtractTest, SixtyFourBitTraceIdIsLeftPaddedWithZeros) {
  SpanContext sc = ExtractSingle(std::string("64fe8b2a57d3eff7-") + kSpanId + "-1");
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.trace_id().ToHex(), "000000000000000064fe8b2a57d3eff7");
}

TEST(B3SingleExtractTest, UppercaseHexIsAccepted) {
  SpanContext sc = ExtractSingle("80F198EE56343BA864FE8B2A57D3EFF7-E457B5A2E4D86BD1-1");
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.trace_id().ToHex(), kTraceId);
}

TEST(B3SingleExtractTest, SamplingOnlyHeadersCarryNoSpanContext) {
  EXPECT_FALSE(ExtractSingle("0").IsValid());
  EXPECT_FALSE(ExtractSingle("1").IsValid());
  EXPECT_FALSE(ExtractSingle("d").IsValid());
}

TEST(B3SingleExtractTest, InvalidSamplingStateIsRejected) {
  EXPECT_FALSE(ExtractSingle(std::string(kTraceId) + "-" + kSpanId + "-2").IsValid());
  EXPECT_FALSE(ExtractSingle(std::string(kTraceId) + "-" + kSpanId + "-true").IsValid());
  EXPECT_FALSE(ExtractSingle(std::string(kTraceId) + "-" + kSpanId + "-").IsValid());
}

TEST(B3SingleExtractTest, MalformedIdsAreRejected) {
  EXPECT_FALSE(ExtractSingle(std::string("80f198ee56343ba8-") + "e457b5a2e4d86bd").IsValid());
  EXPECT_FALSE(ExtractSingle(std::string("80f198ee56343ba864fe8b2a57d3eff-") + kSpanId).IsValid());
  EXPECT_FALSE(ExtractSingle(std::string("80f198ee56343ba864fe8b2a57d3effz-") + kSpanId).IsValid());
  EXPECT_FALSE(ExtractSingle(std::string(kTraceId) + "-" + kSpanId + "-1-bad").IsValid());
}

TEST(B3SingleExtractTest, TooManyFieldsAreRejected) {
  EXPECT_FALSE(
      ExtractSingle(std::string(kTraceId) + "-" + kSpanId + "-1-" + kParentId + "-x").IsValid());
}

TEST(B3SingleExtractTest, AllZeroIdsAreRejected) {
  EXPECT_FALSE(ExtractSingle(std::string(32, '0') + "-" + kSpanId + "-1").IsValid());
  EXPECT_FALSE(ExtractSingle(std::string(16, '0') + "-" + kSpanId + "-1").IsValid());
  EXPECT_FALSE(ExtractSingle(std::string(kTraceId) + "-" + std::string(16, '0') + "-1").IsValid());
}

// --- Multi header ----------------------------------------------------------------

TEST(B3MultiExtractTest, ReadsTraceIdSpanIdAndSampled) {
  SpanContext sc =
      ExtractFrom({{"x-b3-traceid", kTraceId}, {"x-b3-spanid", kSpanId}, {"x-b3-sampled", "1"}});
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.trace_id().ToHex(), kTraceId);
  EXPECT_EQ(sc.span_id().ToHex(), kSpanId);
  EXPECT_TRUE(sc.IsSampled());
  EXPECT_TRUE(sc.IsRemote());
}

TEST(B3MultiExtractTest, HeaderNamesAreCaseInsensitive) {
  SpanContext sc =
      ExtractFrom({{"X-B3-TraceId", kTraceId}, {"X-B3-SpanId", kSpanId}, {"X-B3-Sampled", "1"}});
  EXPECT_TRUE(sc.IsSampled());
}

TEST(B3MultiExtractTest, SampledZeroIsNotSampled) {
  SpanContext sc =
      ExtractFrom({{"x-b3-traceid", kTraceId}, {"x-b3-spanid", kSpanId}, {"x-b3-sampled", "0"}});
  ASSERT_TRUE(sc.IsValid());
  EXPECT_FALSE(sc.IsSampled());
}

TEST(B3MultiExtractTest, LegacyTrueAndFalseAreAccepted) {
  EXPECT_TRUE(
      ExtractFrom({{"x-b3-traceid", kTraceId}, {"x-b3-spanid", kSpanId}, {"x-b3-sampled", "true"}})
          .IsSampled());
  SpanContext no = ExtractFrom(
      {{"x-b3-traceid", kTraceId}, {"x-b3-spanid", kSpanId}, {"x-b3-sampled", "false"}});
  EXPECT_TRUE(no.IsValid());
  EXPECT_FALSE(no.IsSampled());
}

TEST(B3MultiExtractTest, AbsentSampledIsDeferredAndUnsampled) {
  SpanContext sc = ExtractFrom({{"x-b3-traceid", kTraceId}, {"x-b3-spanid", kSpanId}});
  ASSERT_TRUE(sc.IsValid());
  EXPECT_FALSE(sc.IsSampled());
}

TEST(B3MultiExtractTest, DebugFlagImpliesSampled) {
  EXPECT_TRUE(
      ExtractFrom({{"x-b3-traceid", kTraceId}, {"x-b3-spanid", kSpanId}, {"x-b3-flags", "1"}})
          .IsSampled());
}

TEST(B3MultiExtractTest, SixtyFourBitTraceIdIsLeftPaddedWithZeros) {
  SpanContext sc = ExtractFrom({{"x-b3-traceid", "64fe8b2a57d3eff7"}, {"x-b3-spanid", kSpanId}});
  EXPECT_EQ(sc.trace_id().ToHex(), "000000000000000064fe8b2a57d3eff7");
}

TEST(B3MultiExtractTest, MissingSpanIdIsRejected) {
  EXPECT_FALSE(ExtractFrom({{"x-b3-traceid", kTraceId}, {"x-b3-sampled", "1"}}).IsValid());
}

TEST(B3MultiExtractTest, InvalidSampledValueIsRejected) {
  EXPECT_FALSE(
      ExtractFrom({{"x-b3-traceid", kTraceId}, {"x-b3-spanid", kSpanId}, {"x-b3-sampled", "yes"}})
          .IsValid());
}

TEST(B3MultiExtractTest, MalformedIdsAreRejected) {
  EXPECT_FALSE(ExtractFrom({{"x-b3-traceid", "xyz"}, {"x-b3-spanid", kSpanId}}).IsValid());
  EXPECT_FALSE(ExtractFrom({{"x-b3-traceid", kTraceId}, {"x-b3-spanid", "123"}}).IsValid());
}

// --- Precedence and context handling ------------------------------------------------

TEST(B3ExtractTest, SingleHeaderTakesPrecedenceOverMulti) {
  SpanContext sc = ExtractFrom({{"b3", std::string(kTraceId) + "-" + kSpanId + "-1"},
                                {"x-b3-traceid", "11111111111111111111111111111111"},
                                {"x-b3-spanid", "2222222222222222"}});
  EXPECT_EQ(sc.trace_id().ToHex(), kTraceId);
}

TEST(B3ExtractTest, InvalidSingleHeaderFallsBackToMulti) {
  SpanContext sc = ExtractFrom({{"b3", "garbage"},
                                {"x-b3-traceid", "11111111111111111111111111111111"},
                                {"x-b3-spanid", "2222222222222222"}});
  EXPECT_EQ(sc.trace_id().ToHex(), "11111111111111111111111111111111");
}

TEST(B3ExtractTest, NoHeadersLeaveTheContextUnchanged) {
  const Context base = ContextWith(true);
  EXPECT_EQ(ExtractFrom({}, base), base.span().context());
}

TEST(B3ExtractTest, InvalidHeadersLeaveTheContextUnchanged) {
  const Context base = ContextWith(true);
  EXPECT_EQ(ExtractFrom({{"b3", "nope"}, {"x-b3-traceid", "nope"}}, base), base.span().context());
}

// --- Inject --------------------------------------------------------------------------

TEST(B3InjectTest, SingleHeaderIsTheDefault) {
  Headers headers;
  MapCarrier carrier(headers);
  B3Propagator().Inject(ContextWith(true), carrier);
  EXPECT_EQ(headers, (Headers{{"b3", std::string(kTraceId) + "-" + kSpanId + "-1"}}));
}

TEST(B3InjectTest, SingleHeaderWritesZeroWhenNotSampled) {
  EXPECT_EQ(Inject(B3Propagator::InjectEncoding::kSingleHeader, false)["b3"],
            std::string(kTraceId) + "-" + kSpanId + "-0");
}

TEST(B3InjectTest, MultiHeaderWritesTraceIdSpanIdAndSampled) {
  EXPECT_EQ(Inject(B3Propagator::InjectEncoding::kMultiHeader, true),
            (Headers{{"x-b3-traceid", kTraceId}, {"x-b3-spanid", kSpanId}, {"x-b3-sampled", "1"}}));
}

TEST(B3InjectTest, MultiHeaderWritesZeroWhenNotSampled) {
  EXPECT_EQ(Inject(B3Propagator::InjectEncoding::kMultiHeader, false)["x-b3-sampled"], "0");
}

TEST(B3InjectTest, WritesNothingWithoutAValidSpan) {
  Headers headers;
  MapCarrier carrier(headers);
  B3Propagator().Inject(Context(), carrier);
  EXPECT_TRUE(headers.empty());
}

TEST(B3RoundTripTest, SingleAndMultiBothRoundTrip) {
  for (auto encoding :
       {B3Propagator::InjectEncoding::kSingleHeader, B3Propagator::InjectEncoding::kMultiHeader}) {
    Headers headers;
    MapCarrier carrier(headers);
    B3Propagator propagator(encoding);
    propagator.Inject(ContextWith(true), carrier);
    SpanContext sc = propagator.Extract(carrier, Context()).span().context();
    EXPECT_EQ(sc.trace_id().ToHex(), kTraceId);
    EXPECT_EQ(sc.span_id().ToHex(), kSpanId);
    EXPECT_TRUE(sc.IsSampled());
  }
}

TEST(B3FieldsTest, FieldsListEverySingleAndMultiHeader) {
  EXPECT_EQ(B3Propagator().Fields(),
            (std::vector<std::string>{"b3", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled",
                                      "x-b3-flags", "x-b3-parentspanid"}));
}

}  // namespace
}  // namespace agenthub::telemetry
