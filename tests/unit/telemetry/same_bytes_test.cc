// SameBytes agrees with std::string_view equality for every length it
// special-cases (0-3 bytewise, 4-7 and 8-16 by overlapping words, longer by
// memcmp) and for a difference at every position.
#include "telemetry/common/same_bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace agenthub::telemetry::internal {
namespace {

TEST(SameBytes, MatchesStringViewEqualityForEveryLengthAndPosition) {
  for (size_t n = 0; n <= 40; ++n) {
    std::string a(n, 'x');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + i % 26);
    const std::string same = a;
    EXPECT_TRUE(SameBytes(a, same)) << "length " << n;
    for (size_t i = 0; i < n; ++i) {
      std::string other = a;
      other[i] = static_cast<char>(other[i] ^ 0x20);
      EXPECT_FALSE(SameBytes(a, other)) << "length " << n << " differing at " << i;
    }
    EXPECT_FALSE(SameBytes(a, a + "z")) << "length " << n;
  }
}

TEST(SameBytes, ComparesViewsIntoLargerBuffersOnlyWithinTheirLength) {
  const std::string buffer = "task.type=greeting";
  EXPECT_TRUE(SameBytes(std::string_view(buffer).substr(0, 9), "task.type"));
  EXPECT_FALSE(SameBytes(std::string_view(buffer).substr(0, 9), "task.typ"));
  EXPECT_TRUE(SameBytes(std::string_view(buffer).substr(10), "greeting"));
}

}  // namespace
}  // namespace agenthub::telemetry::internal
