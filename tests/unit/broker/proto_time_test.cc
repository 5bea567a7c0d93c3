// Timestamps at the broker's edge: timestamp.proto's range, and a
// conversion to the system clock that saturates instead of overflowing.
#include "broker/proto_time.h"

#include <gtest/gtest.h>

namespace agenthub::broker {
namespace {

google::protobuf::Timestamp At(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  t.set_nanos(nanos);
  return t;
}

TEST(TimestampProblem, AcceptsTheWholeRangeOfTimestampProto) {
  EXPECT_FALSE(TimestampProblem(At(-62135596800)));             // 0001-01-01T00:00:00Z
  EXPECT_FALSE(TimestampProblem(At(253402300799, 999999999)));  // 9999-12-31T23:59:59.999999999Z
  EXPECT_FALSE(TimestampProblem(At(0)));
}

TEST(TimestampProblem, RefusesSecondsOutsideTheRange) {
  EXPECT_TRUE(TimestampProblem(At(-62135596801)));
  EXPECT_TRUE(TimestampProblem(At(253402300800)));
  EXPECT_TRUE(TimestampProblem(At(INT64_MAX)));
  EXPECT_TRUE(TimestampProblem(At(INT64_MIN)));
}

TEST(TimestampProblem, RefusesNanosOutsideASecond) {
  EXPECT_TRUE(TimestampProblem(At(0, -1)));
  EXPECT_TRUE(TimestampProblem(At(0, 1000000000)));
}

TEST(SaturatedTime, ConvertsTimesTheClockCanHoldExactly) {
  EXPECT_EQ(SaturatedTime(At(1700000000, 123)).time_since_epoch().count(),
            1700000000LL * 1000000000LL + 123);
  EXPECT_EQ(SaturatedTime(At(-1, 999999999)).time_since_epoch().count(), -1);
}

TEST(SaturatedTime, ATimeBeyondTheClocksRangeSaturatesInsteadOfWrapping) {
  EXPECT_EQ(SaturatedTime(At(253402300799, 999999999)), telemetry::Timestamp::max());
  EXPECT_EQ(SaturatedTime(At(-62135596800)), telemetry::Timestamp::min());
  EXPECT_EQ(SaturatedTime(At(INT64_MAX, 999999999)), telemetry::Timestamp::max());
  // The last second the clock can hold, plus nanos that tip it over.
  EXPECT_EQ(SaturatedTime(At(9223372036, 854775807)).time_since_epoch().count(), INT64_MAX);
  EXPECT_EQ(SaturatedTime(At(9223372036, 854775808)), telemetry::Timestamp::max());
}

}  // namespace
}  // namespace agenthub::broker
