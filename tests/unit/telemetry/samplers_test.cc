// The built-in samplers (OpenTelemetry SDK sampling) and our rate-limited
// sampler: decisions, delegation and descriptions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/trace/rate_limiter.h"
#include "telemetry/trace/sampler.h"

namespace agenthub::telemetry {
namespace {

using std::chrono::steady_clock;

// Everything a sampler reads, owned in one place (SamplingParameters only
// holds references).
struct Call {
  SpanContext parent;
  TraceId trace_id;
  Attributes attributes;
  std::vector<SpanLink> links;

  SamplingParameters Params() const {
    return {parent, trace_id, "operation", SpanKind::kServer, attributes, links};
  }
};

// A trace id whose rightmost 8 bytes are `low` (big-endian) and whose
// leftmost 8 bytes are `high`.
TraceId MakeTraceId(uint64_t low, uint64_t high = 0x0102030405060708ULL) {
  std::array<uint8_t, 16> bytes{};
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<uint8_t>(high);
    bytes[8 + i] = static_cast<uint8_t>(low);
    high >>= 8;
    low >>= 8;
  }
  return TraceId(bytes);
}

bool Samples(Sampler& sampler, const TraceId& trace_id) {
  Call call{.trace_id = trace_id};
  return sampler.ShouldSample(call.Params()).decision == SamplingDecision::kRecordAndSample;
}

SpanContext Parent(bool remote, bool sampled) {
  return SpanContext(MakeTraceId(42), SpanId({1, 2, 3, 4, 5, 6, 7, 8}),
                     TraceFlags{sampled ? TraceFlags::kSampled : uint8_t{0}}, remote);
}

// Random ids from a fixed seed, so statistical tests are reproducible.
std::vector<TraceId> RandomTraceIds(size_t n) {
  std::mt19937_64 rng(20240611);
  std::vector<TraceId> ids;
  ids.reserve(n);
  for (size_t i = 0; i < n; ++i) ids.push_back(MakeTraceId(rng(), rng()));
  return ids;
}

// --- AlwaysOn / AlwaysOff ---------------------------------------------------

TEST(AlwaysOnSamplerTest, RecordsAndSamplesEverySpan) {
  auto sampler = MakeAlwaysOnSampler();
  for (const SpanContext& parent : {SpanContext(), Parent(true, false), Parent(false, false)}) {
    Call call{.parent = parent, .trace_id = MakeTraceId(7)};
    SamplingResult result = sampler->ShouldSample(call.Params());
    EXPECT_EQ(result.decision, SamplingDecision::kRecordAndSample);
    EXPECT_THAT(result.attributes, ::testing::IsEmpty());
    EXPECT_EQ(result.trace_state, std::nullopt);  // the parent's tracestate is kept
  }
}

TEST(AlwaysOffSamplerTest, DropsEverySpan) {
  auto sampler = MakeAlwaysOffSampler();
  for (const SpanContext& parent : {SpanContext(), Parent(true, true), Parent(false, true)}) {
    Call call{.parent = parent, .trace_id = MakeTraceId(7)};
    EXPECT_EQ(sampler->ShouldSample(call.Params()).decision, SamplingDecision::kDrop);
  }
}

TEST(AlwaysSamplersTest, DescriptionsAreTheSpecificationNames) {
  EXPECT_EQ(MakeAlwaysOnSampler()->Description(), "AlwaysOnSampler");
  EXPECT_EQ(MakeAlwaysOffSampler()->Description(), "AlwaysOffSampler");
}

// --- TraceIdRatioBased --------------------------------------------------------

// The rule: sample when (rightmost 8 bytes, big-endian) >> 1 < uint64(ratio * 2^63).
TEST(TraceIdRatioBasedSamplerTest, HalfRatioSplitsAtTwoToThe62) {
  auto sampler = MakeTraceIdRatioBasedSampler(0.5);  // threshold 2^62
  // 0x7FFF...FF >> 1 = 2^62 - 1: just below.
  EXPECT_TRUE(Samples(*sampler, MakeTraceId(0x7FFFFFFFFFFFFFFFULL)));
  // 0x8000...00 >> 1 = 2^62: at the threshold, not below it.
  EXPECT_FALSE(Samples(*sampler, MakeTraceId(0x8000000000000000ULL)));
  EXPECT_TRUE(Samples(*sampler, MakeTraceId(0)));
  EXPECT_FALSE(Samples(*sampler, MakeTraceId(0xFFFFFFFFFFFFFFFFULL)));
}

TEST(TraceIdRatioBasedSamplerTest, SmallestRatioSamplesOnlyTheTwoLowestValues) {
  auto sampler = MakeTraceIdRatioBasedSampler(std::ldexp(1.0, -63));  // threshold 1
  EXPECT_TRUE(Samples(*sampler, MakeTraceId(0)));
  EXPECT_TRUE(Samples(*sampler, MakeTraceId(1)));  // 1 >> 1 = 0
  EXPECT_FALSE(Samples(*sampler, MakeTraceId(2)));
}

TEST(TraceIdRatioBasedSamplerTest, QuarterRatioThresholdIsTwoToThe61) {
  auto sampler = MakeTraceIdRatioBasedSampler(0.25);
  EXPECT_TRUE(Samples(*sampler, MakeTraceId((uint64_t{1} << 62) - 1)));  // >> 1 = 2^61 - 1
  EXPECT_FALSE(Samples(*sampler, MakeTraceId(uint64_t{1} << 62)));       // >> 1 = 2^61
}

TEST(TraceIdRatioBasedSamplerTest, RatioOneSamplesEvenTheLargestId) {
  auto sampler = MakeTraceIdRatioBasedSampler(1.0);
  EXPECT_TRUE(Samples(*sampler, MakeTraceId(0xFFFFFFFFFFFFFFFFULL)));
  for (const TraceId& id : RandomTraceIds(1000)) EXPECT_TRUE(Samples(*sampler, id));
}

TEST(TraceIdRatioBasedSamplerTest, RatioZeroSamplesNothingNotEvenTheSmallestId) {
  auto sampler = MakeTraceIdRatioBasedSampler(0.0);
  EXPECT_FALSE(Samples(*sampler, MakeTraceId(0)));
  for (const TraceId& id : RandomTraceIds(1000)) EXPECT_FALSE(Samples(*sampler, id));
}

TEST(TraceIdRatioBasedSamplerTest, OnlyTheRightmostEightBytesMatter) {
  auto sampler = MakeTraceIdRatioBasedSampler(0.5);
  for (uint64_t high : {uint64_t{0}, uint64_t{1}, ~uint64_t{0}}) {
    EXPECT_TRUE(Samples(*sampler, MakeTraceId(0x7FFFFFFFFFFFFFFFULL, high)));
    EXPECT_FALSE(Samples(*sampler, MakeTraceId(0x8000000000000000ULL, high)));
  }
}

TEST(TraceIdRatioBasedSamplerTest, IgnoresTheParentSampledFlag) {
  auto sampler = MakeTraceIdRatioBasedSampler(0.5);
  Call unsampled_parent{.parent = Parent(false, false), .trace_id = MakeTraceId(0)};
  Call sampled_parent{.parent = Parent(true, true), .trace_id = MakeTraceId(~uint64_t{0})};
  EXPECT_EQ(sampler->ShouldSample(unsampled_parent.Params()).decision,
            SamplingDecision::kRecordAndSample);
  EXPECT_EQ(sampler->ShouldSample(sampled_parent.Params()).decision, SamplingDecision::kDrop);
}

TEST(TraceIdRatioBasedSamplerTest, DecisionIsDeterministicPerTraceId) {
  auto first = MakeTraceIdRatioBasedSampler(0.3);
  auto second = MakeTraceIdRatioBasedSampler(0.3);
  for (const TraceId& id : RandomTraceIds(10000)) {
    const bool decision = Samples(*first, id);
    EXPECT_EQ(Samples(*first, id), decision);
    EXPECT_EQ(Samples(*second, id), decision);
  }
}

TEST(TraceIdRatioBasedSamplerTest, HigherRatioSamplesASupersetOfALowerOne) {
  const std::vector<TraceId> ids = RandomTraceIds(10000);
  const std::vector<double> ratios = {0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.99, 1.0};
  std::vector<bool> previous(ids.size(), false);
  for (double ratio : ratios) {
    auto sampler = MakeTraceIdRatioBasedSampler(ratio);
    for (size_t i = 0; i < ids.size(); ++i) {
      const bool sampled = Samples(*sampler, ids[i]);
      if (previous[i]) {
        ASSERT_TRUE(sampled) << "ratio " << ratio << " dropped id " << i;
      }
      previous[i] = sampled;
    }
  }
}

TEST(TraceIdRatioBasedSamplerTest, SamplesRoughlyTheRatioOfRandomIds) {
  const std::vector<TraceId> ids = RandomTraceIds(100000);
  for (double ratio : {0.01, 0.1, 0.25, 0.5, 0.9}) {
    auto sampler = MakeTraceIdRatioBasedSampler(ratio);
    size_t sampled = 0;
    for (const TraceId& id : ids) sampled += Samples(*sampler, id) ? 1 : 0;
    // Five standard deviations of a binomial count: generous, yet it would
    // catch an off-by-a-factor-of-two threshold.
    const double expected = ratio * static_cast<double>(ids.size());
    const double tolerance = 5 * std::sqrt(expected * (1 - ratio));
    EXPECT_NEAR(static_cast<double>(sampled), expected, tolerance) << "ratio " << ratio;
  }
}

TEST(TraceIdRatioBasedSamplerTest, RatioOutsideZeroToOneIsClamped) {
  auto above = MakeTraceIdRatioBasedSampler(2.0);
  auto below = MakeTraceIdRatioBasedSampler(-0.5);
  EXPECT_TRUE(Samples(*above, MakeTraceId(0xFFFFFFFFFFFFFFFFULL)));
  EXPECT_FALSE(Samples(*below, MakeTraceId(0)));
  EXPECT_EQ(above->Description(), "TraceIdRatioBased{1}");
  EXPECT_EQ(below->Description(), "TraceIdRatioBased{0}");
}

TEST(TraceIdRatioBasedSamplerTest, NanRatioSamplesNothing) {
  auto sampler = MakeTraceIdRatioBasedSampler(std::nan(""));
  EXPECT_FALSE(Samples(*sampler, MakeTraceId(0)));
  EXPECT_EQ(sampler->Description(), "TraceIdRatioBased{0}");
}

TEST(TraceIdRatioBasedSamplerTest, DescriptionPrintsTheShortestExactDecimal) {
  EXPECT_EQ(MakeTraceIdRatioBasedSampler(0.25)->Description(), "TraceIdRatioBased{0.25}");
  EXPECT_EQ(MakeTraceIdRatioBasedSampler(0.1)->Description(), "TraceIdRatioBased{0.1}");
  EXPECT_EQ(MakeTraceIdRatioBasedSampler(0.0001)->Description(), "TraceIdRatioBased{0.0001}");
  EXPECT_EQ(MakeTraceIdRatioBasedSampler(1.0 / 3)->Description(),
            "TraceIdRatioBased{0.3333333333333333}");
  EXPECT_EQ(MakeTraceIdRatioBasedSampler(1.0)->Description(), "TraceIdRatioBased{1}");
}

// --- ParentBased --------------------------------------------------------------

// A delegate that names itself in the result, so a test can tell which of
// the five delegates decided.
class NamedSampler final : public Sampler {
 public:
  NamedSampler(std::string name, SamplingDecision decision)
      : name_(std::move(name)), decision_(decision) {}
  SamplingResult ShouldSample(const SamplingParameters&) override {
    SamplingResult result{decision_};
    result.attributes.emplace_back("delegate", name_);
    result.trace_state = TraceState().Set("delegate", name_);
    return result;
  }
  std::string Description() const override { return name_; }

 private:
  std::string name_;
  SamplingDecision decision_;
};

std::shared_ptr<Sampler> Named(std::string name,
                               SamplingDecision decision = SamplingDecision::kRecordOnly) {
  return std::make_shared<NamedSampler>(std::move(name), decision);
}

std::shared_ptr<Sampler> AllNamedParentBased() {
  return MakeParentBasedSampler(Named("root"), {.remote_parent_sampled = Named("remote-sampled"),
                                                .remote_parent_not_sampled = Named("remote-not"),
                                                .local_parent_sampled = Named("local-sampled"),
                                                .local_parent_not_sampled = Named("local-not")});
}

std::string DecidingDelegate(Sampler& sampler, const SpanContext& parent) {
  Call call{.parent = parent, .trace_id = MakeTraceId(9)};
  SamplingResult result = sampler.ShouldSample(call.Params());
  const AttributeValue* name = FindAttribute(result.attributes, "delegate");
  return name != nullptr ? AttributeValueToString(*name) : "<none>";
}

TEST(ParentBasedSamplerTest, RootSpanIsDecidedByTheRootSampler) {
  auto sampler = AllNamedParentBased();
  EXPECT_EQ(DecidingDelegate(*sampler, SpanContext::Invalid()), "root");
}

TEST(ParentBasedSamplerTest, InvalidParentCountsAsRootEvenWhenFlaggedSampled) {
  auto sampler = AllNamedParentBased();
  const SpanContext invalid(TraceId(), SpanId(), TraceFlags{TraceFlags::kSampled}, true);
  EXPECT_EQ(DecidingDelegate(*sampler, invalid), "root");
}

TEST(ParentBasedSamplerTest, RemoteSampledParentGoesToRemoteParentSampled) {
  EXPECT_EQ(DecidingDelegate(*AllNamedParentBased(), Parent(true, true)), "remote-sampled");
}

TEST(ParentBasedSamplerTest, RemoteUnsampledParentGoesToRemoteParentNotSampled) {
  EXPECT_EQ(DecidingDelegate(*AllNamedParentBased(), Parent(true, false)), "remote-not");
}

TEST(ParentBasedSamplerTest, LocalSampledParentGoesToLocalParentSampled) {
  EXPECT_EQ(DecidingDelegate(*AllNamedParentBased(), Parent(false, true)), "local-sampled");
}

TEST(ParentBasedSamplerTest, LocalUnsampledParentGoesToLocalParentNotSampled) {
  EXPECT_EQ(DecidingDelegate(*AllNamedParentBased(), Parent(false, false)), "local-not");
}

TEST(ParentBasedSamplerTest, ReturnsTheDelegateResultUnchanged) {
  auto sampler = AllNamedParentBased();
  Call call{.parent = Parent(true, true), .trace_id = MakeTraceId(9)};
  SamplingResult result = sampler->ShouldSample(call.Params());
  EXPECT_EQ(result.decision, SamplingDecision::kRecordOnly);
  ASSERT_TRUE(result.trace_state.has_value());
  EXPECT_EQ(result.trace_state->Get("delegate"), "remote-sampled");
}

TEST(ParentBasedSamplerTest, DefaultDelegatesFollowTheParentSampledFlag) {
  // A root that never samples proves the children were not sent to it.
  auto sampler = MakeParentBasedSampler(MakeAlwaysOffSampler());
  auto decision = [&](const SpanContext& parent) {
    Call call{.parent = parent, .trace_id = MakeTraceId(9)};
    return sampler->ShouldSample(call.Params()).decision;
  };
  EXPECT_EQ(decision(SpanContext::Invalid()), SamplingDecision::kDrop);
  EXPECT_EQ(decision(Parent(true, true)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decision(Parent(true, false)), SamplingDecision::kDrop);
  EXPECT_EQ(decision(Parent(false, true)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decision(Parent(false, false)), SamplingDecision::kDrop);
}

TEST(ParentBasedSamplerTest, UnsetOptionsKeepTheirDefaultsBesideSetOnes) {
  auto sampler = MakeParentBasedSampler(MakeAlwaysOnSampler(),
                                        {.local_parent_not_sampled = Named("local-not")});
  EXPECT_EQ(DecidingDelegate(*sampler, Parent(false, false)), "local-not");
  Call remote_unsampled{.parent = Parent(true, false), .trace_id = MakeTraceId(9)};
  EXPECT_EQ(sampler->ShouldSample(remote_unsampled.Params()).decision, SamplingDecision::kDrop);
}

TEST(ParentBasedSamplerTest, NullRootActsAsAlwaysOn) {
  auto sampler = MakeParentBasedSampler(nullptr);
  EXPECT_TRUE(Samples(*sampler, MakeTraceId(9)));
  EXPECT_THAT(sampler->Description(), ::testing::StartsWith("ParentBased{root=AlwaysOnSampler,"));
}

TEST(ParentBasedSamplerTest, DescriptionListsAllFiveDelegates) {
  EXPECT_EQ(MakeParentBasedSampler(MakeTraceIdRatioBasedSampler(0.5))->Description(),
            "ParentBased{root=TraceIdRatioBased{0.5},remoteParentSampled=AlwaysOnSampler,"
            "remoteParentNotSampled=AlwaysOffSampler,localParentSampled=AlwaysOnSampler,"
            "localParentNotSampled=AlwaysOffSampler}");
  EXPECT_EQ(AllNamedParentBased()->Description(),
            "ParentBased{root=root,remoteParentSampled=remote-sampled,"
            "remoteParentNotSampled=remote-not,localParentSampled=local-sampled,"
            "localParentNotSampled=local-not}");
}

// --- RateLimiter (the algorithm, on a clock the test drives) ------------------

constexpr int64_t kSecond = 1'000'000'000;

int Acquire(internal::RateLimiter& limiter, int64_t now_ns, int attempts) {
  int granted = 0;
  for (int i = 0; i < attempts; ++i) granted += limiter.TryAcquire(now_ns) ? 1 : 0;
  return granted;
}

TEST(RateLimiterTest, StartsWithAFullBurst) {
  internal::RateLimiter limiter(10, 10);
  EXPECT_EQ(Acquire(limiter, 0, 100), 10);
}

TEST(RateLimiterTest, EarnsOnePermitPerInterval) {
  internal::RateLimiter limiter(10, 10);
  ASSERT_EQ(Acquire(limiter, 0, 100), 10);
  EXPECT_EQ(Acquire(limiter, kSecond / 10 - 1, 100), 0);
  EXPECT_EQ(Acquire(limiter, kSecond / 10, 100), 1);
  EXPECT_EQ(Acquire(limiter, kSecond / 2, 100), 4);
}

TEST(RateLimiterTest, IdleTimeRefillsOnlyUpToTheBurst) {
  internal::RateLimiter limiter(10, 10);
  ASSERT_EQ(Acquire(limiter, 0, 100), 10);
  EXPECT_EQ(Acquire(limiter, 3600 * kSecond, 100), 10);
}

TEST(RateLimiterTest, SteadyLoadNeverExceedsBurstPlusRateTimesElapsed) {
  internal::RateLimiter limiter(100, 100);
  int granted = 0;
  // 10 seconds of attempts every millisecond: 100 burst + 100/s * 10 s.
  for (int64_t t = 0; t <= 10 * kSecond; t += kSecond / 1000) granted += Acquire(limiter, t, 3);
  EXPECT_EQ(granted, 100 + 1000);
}

TEST(RateLimiterTest, FractionalRateStillGrantsOnePermitAtATime) {
  internal::RateLimiter limiter(0.5, 1);  // one permit per two seconds
  EXPECT_EQ(Acquire(limiter, 0, 10), 1);
  EXPECT_EQ(Acquire(limiter, 2 * kSecond - 1, 10), 0);
  EXPECT_EQ(Acquire(limiter, 2 * kSecond, 10), 1);
}

TEST(RateLimiterTest, RateThatDoesNotDivideASecondKeepsItsBurst) {
  internal::RateLimiter limiter(7, 7);  // interval rounds to 142857143 ns
  EXPECT_EQ(Acquire(limiter, 0, 100), 7);
}

TEST(RateLimiterTest, ZeroNegativeAndNanRatesGrantNothing) {
  for (double rate : {0.0, -5.0, std::nan("")}) {
    internal::RateLimiter limiter(rate, 1);
    EXPECT_EQ(Acquire(limiter, 0, 10), 0) << rate;
    EXPECT_EQ(Acquire(limiter, 100 * kSecond, 10), 0) << rate;
  }
}

// --- RateLimited sampler (real clock: coarse bounds only) ---------------------

// Upper bound on grants after `elapsed`: the burst plus what the rate earns,
// plus one for a permit earned at the very edge.
int64_t MaxGrants(double rate, steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  return static_cast<int64_t>(std::max(1.0, rate) + rate * seconds) + 1;
}

int SampledCount(Sampler& sampler, int attempts) {
  int sampled = 0;
  for (int i = 0; i < attempts; ++i) sampled += Samples(sampler, MakeTraceId(i + 1)) ? 1 : 0;
  return sampled;
}

TEST(RateLimitedSamplerTest, SamplesTheBurstThenDrops) {
  auto sampler = MakeRateLimitedSampler(10);
  const auto start = steady_clock::now();
  const int sampled = SampledCount(*sampler, 1000);
  EXPECT_GE(sampled, 10);
  EXPECT_LE(sampled, MaxGrants(10, steady_clock::now() - start));
}

TEST(RateLimitedSamplerTest, RefillsOverTime) {
  auto sampler = MakeRateLimitedSampler(10);
  const auto start = steady_clock::now();
  SampledCount(*sampler, 1000);  // exhaust the burst
  // At 10 per second, 300 ms earn at least 3 traces, however late we wake.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int refilled = SampledCount(*sampler, 1000);
  EXPECT_GE(refilled, 3);
  EXPECT_LE(refilled, MaxGrants(10, steady_clock::now() - start));
}

TEST(RateLimitedSamplerTest, RateBelowOnePerSecondStillSamplesOneTrace) {
  auto sampler = MakeRateLimitedSampler(0.1);
  EXPECT_EQ(SampledCount(*sampler, 100), 1);
}

TEST(RateLimitedSamplerTest, ZeroRateSamplesNothing) {
  auto sampler = MakeRateLimitedSampler(0);
  EXPECT_EQ(SampledCount(*sampler, 100), 0);
}

TEST(RateLimitedSamplerTest, LimitHoldsAcrossThreads) {
  constexpr double kRate = 1000;
  auto sampler = MakeRateLimitedSampler(kRate);
  std::atomic<int64_t> sampled{0};
  std::vector<std::thread> threads;
  const auto start = steady_clock::now();
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] { sampled += SampledCount(*sampler, 50000); });
  }
  for (std::thread& thread : threads) thread.join();
  const auto elapsed = steady_clock::now() - start;
  EXPECT_GE(sampled.load(), static_cast<int64_t>(kRate));  // the burst is there from the start
  EXPECT_LE(sampled.load(), MaxGrants(kRate, elapsed));
}

TEST(RateLimitedSamplerTest, DescriptionNamesTheRate) {
  EXPECT_EQ(MakeRateLimitedSampler(100)->Description(), "RateLimitingSampler{100}");
  EXPECT_EQ(MakeRateLimitedSampler(0.5)->Description(), "RateLimitingSampler{0.5}");
  EXPECT_EQ(MakeRateLimitedSampler(-3)->Description(), "RateLimitingSampler{0}");
}

}  // namespace
}  // namespace agenthub::telemetry
