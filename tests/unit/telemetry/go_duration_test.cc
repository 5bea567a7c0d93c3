// Go durations: the health JSON writes them exactly like Go's
// time.Duration.String(); Jaeger's parameters and our flags read them as
// time.ParseDuration does.
#include "telemetry/common/go_duration.h"

#include <gtest/gtest.h>

namespace agenthub::telemetry {
namespace {

using namespace std::chrono_literals;

TEST(GoDuration, ZeroIsZeroSeconds) { EXPECT_EQ(FormatGoDuration(0ns), "0s"); }

TEST(GoDuration, BelowOneSecondUsesTheLargestFittingUnit) {
  EXPECT_EQ(FormatGoDuration(850ns), "850ns");
  EXPECT_EQ(FormatGoDuration(1500ns), "1.5\xC2\xB5s");
  EXPECT_EQ(FormatGoDuration(12345678ns), "12.345678ms");
  EXPECT_EQ(FormatGoDuration(200ms), "200ms");
}

TEST(GoDuration, SecondsAndAboveUseHoursMinutesSeconds) {
  EXPECT_EQ(FormatGoDuration(2500ms), "2.5s");
  EXPECT_EQ(FormatGoDuration(90s), "1m30s");
  EXPECT_EQ(FormatGoDuration(1h), "1h0m0s");
  EXPECT_EQ(FormatGoDuration(3h + 12s + 500ms), "3h0m12.5s");
}

TEST(GoDuration, NegativeDurationsGetAMinusSign) {
  EXPECT_EQ(FormatGoDuration(-1500ms), "-1.5s");
  EXPECT_EQ(FormatGoDuration(std::chrono::nanoseconds::min()), "-2562047h47m16.854775808s");
}

TEST(GoDuration, ParsesJaegerDurations) {
  EXPECT_EQ(ParseGoDuration("1.2s"), 1200000000);
  EXPECT_EQ(ParseGoDuration("100ms"), 100000000);
  EXPECT_EQ(ParseGoDuration("1h30m"), 5400000000000);
  EXPECT_EQ(ParseGoDuration("500us"), 500000);
  EXPECT_EQ(ParseGoDuration("500\xc2\xb5s"), 500000);
  EXPECT_EQ(ParseGoDuration("7ns"), 7);
  EXPECT_EQ(ParseGoDuration("0"), 0);
  EXPECT_EQ(ParseGoDuration("24h"), 86400000000000);
  EXPECT_FALSE(ParseGoDuration(""));
  EXPECT_FALSE(ParseGoDuration("5"));
  EXPECT_FALSE(ParseGoDuration("ms"));
  EXPECT_FALSE(ParseGoDuration("1.2.3s"));
  EXPECT_FALSE(ParseGoDuration("9999999999h"));
}

// Found by fuzz/duration_fuzzer.cc: the parser summed in double, so
// durations past 2^53 ns lost nanoseconds and the int64 extremes did not
// read back from what FormatGoDuration writes.
TEST(GoDuration, ReadsBackExactlyWhatFormatGoDurationWrites) {
  for (int64_t ns : {INT64_MAX, INT64_MIN, INT64_MIN + 1, int64_t{3472328296227679792},
                     (int64_t{1} << 53) + 1, int64_t{-1}, int64_t{999}, int64_t{1'000'000'001}}) {
    const std::string text = FormatGoDuration(std::chrono::nanoseconds(ns));
    EXPECT_EQ(ParseGoDuration(text), ns) << text;
  }
}

TEST(GoDuration, RefusesWhatGoRefuses) {
  EXPECT_EQ(ParseGoDuration("2562047h47m16.854775807s"), INT64_MAX);
  EXPECT_FALSE(ParseGoDuration("2562047h47m16.854775808s"));  // one past INT64_MAX
  EXPECT_EQ(ParseGoDuration("-2562047h47m16.854775808s"), INT64_MIN);
  EXPECT_FALSE(ParseGoDuration("."));
  EXPECT_FALSE(ParseGoDuration("1sm"));  // unknown unit "sm"
  EXPECT_FALSE(ParseGoDuration("-"));
  EXPECT_EQ(ParseGoDuration(".5s"), 500000000);
  EXPECT_EQ(ParseGoDuration("1.s"), 1000000000);
  EXPECT_EQ(ParseGoDuration("+3\xce\xbcs"), 3000);
  EXPECT_EQ(ParseGoDuration("0.0000000000000000000001s"), 0);
}

}  // namespace
}  // namespace agenthub::telemetry
