// Backoff: delays grow by the multiplier within the jitter band, stop at the
// maximum, and start over after Reset.
#include "client/backoff.h"

#include <gtest/gtest.h>

namespace agenthub::client {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, WithoutJitterDelaysDoubleUntilTheMaximum) {
  Backoff backoff(
      {.initial = milliseconds(100), .max = milliseconds(500), .multiplier = 2.0, .jitter = 0.0});
  EXPECT_EQ(backoff.Next(), milliseconds(100));
  EXPECT_EQ(backoff.Next(), milliseconds(200));
  EXPECT_EQ(backoff.Next(), milliseconds(400));
  EXPECT_EQ(backoff.Next(), milliseconds(500));
  EXPECT_EQ(backoff.Next(), milliseconds(500));
  EXPECT_EQ(backoff.attempts(), 5);
}

TEST(BackoffTest, JitterStaysWithinItsBand) {
  Backoff backoff({.initial = milliseconds(1000), .max = milliseconds(1000), .jitter = 0.2});
  for (int i = 0; i < 200; ++i) {
    const auto d = backoff.Next();
    EXPECT_GE(d, milliseconds(800));
    EXPECT_LE(d, milliseconds(1000));  // never above the maximum
  }
}

TEST(BackoffTest, ResetStartsAgainFromTheInitialDelay) {
  Backoff backoff({.initial = milliseconds(10), .max = milliseconds(1000), .jitter = 0.0});
  backoff.Next();
  backoff.Next();
  backoff.Reset();
  EXPECT_EQ(backoff.attempts(), 0);
  EXPECT_EQ(backoff.Next(), milliseconds(10));
}

}  // namespace
}  // namespace agenthub::client
