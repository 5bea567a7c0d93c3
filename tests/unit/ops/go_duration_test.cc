// Durations in the health JSON read exactly like Go's time.Duration.String().
#include "ops/go_duration.h"

#include <gtest/gtest.h>

namespace agenthub::ops {
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

}  // namespace
}  // namespace agenthub::ops
