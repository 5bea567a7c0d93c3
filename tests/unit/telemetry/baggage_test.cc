// Baggage: the immutable name/value list carried in a Context.
#include "telemetry/context/baggage.h"

#include <gtest/gtest.h>

namespace agenthub::telemetry {
namespace {

TEST(BaggageTest, DefaultIsEmpty) {
  Baggage baggage;
  EXPECT_TRUE(baggage.empty());
  EXPECT_EQ(baggage.size(), 0u);
  EXPECT_TRUE(baggage.entries().empty());
}

TEST(BaggageTest, SetAddsAnEntry) {
  Baggage baggage = Baggage().Set("user.tier", "premium");
  EXPECT_EQ(baggage.Get("user.tier"), "premium");
  EXPECT_EQ(baggage.size(), 1u);
}

TEST(BaggageTest, SetKeepsMetadata) {
  Baggage baggage = Baggage().Set("k", "v", "prop=1");
  ASSERT_NE(baggage.Find("k"), nullptr);
  EXPECT_EQ(baggage.Find("k")->metadata, "prop=1");
}

TEST(BaggageTest, SetReplacesAnExistingKeyInPlace) {
  Baggage baggage = Baggage().Set("a", "1").Set("b", "2").Set("a", "3");
  ASSERT_EQ(baggage.size(), 2u);
  EXPECT_EQ(baggage.entries()[0], (Baggage::Entry{"a", "3", ""}));
  EXPECT_EQ(baggage.entries()[1], (Baggage::Entry{"b", "2", ""}));
}

TEST(BaggageTest, SetWithEmptyKeyChangesNothing) {
  Baggage baggage = Baggage().Set("a", "1");
  EXPECT_EQ(baggage.Set("", "x"), baggage);
}

TEST(BaggageTest, SetLeavesTheOriginalUntouched) {
  Baggage original = Baggage().Set("a", "1");
  (void)original.Set("a", "2");
  EXPECT_EQ(original.Get("a"), "1");
}

TEST(BaggageTest, KeysAreCaseSensitive) {
  Baggage baggage = Baggage().Set("Key", "1");
  EXPECT_FALSE(baggage.Get("key"));
}

TEST(BaggageTest, RemoveDropsTheKey) {
  Baggage baggage = Baggage().Set("a", "1").Set("b", "2").Remove("a");
  EXPECT_FALSE(baggage.Get("a"));
  EXPECT_EQ(baggage.Get("b"), "2");
}

TEST(BaggageTest, RemoveOfAnAbsentKeyChangesNothing) {
  Baggage baggage = Baggage().Set("a", "1");
  EXPECT_EQ(baggage.Remove("z"), baggage);
}

TEST(BaggageTest, FromEntriesKeepsFirstPositionAndLastValueOfARepeatedKey) {
  Baggage baggage = Baggage::FromEntries({{"a", "1", ""}, {"b", "2", ""}, {"a", "3", "p"}});
  ASSERT_EQ(baggage.size(), 2u);
  EXPECT_EQ(baggage.entries()[0], (Baggage::Entry{"a", "3", "p"}));
  EXPECT_EQ(baggage.entries()[1], (Baggage::Entry{"b", "2", ""}));
}

TEST(BaggageTest, FromEntriesDropsEmptyKeys) {
  Baggage baggage = Baggage::FromEntries({{"", "1", ""}, {"b", "2", ""}});
  ASSERT_EQ(baggage.size(), 1u);
  EXPECT_EQ(baggage.Get("b"), "2");
}

TEST(BaggageTest, EqualityComparesEntriesInOrder) {
  EXPECT_EQ(Baggage().Set("a", "1"), Baggage().Set("a", "1"));
  EXPECT_NE(Baggage().Set("a", "1").Set("b", "2"), Baggage().Set("b", "2").Set("a", "1"));
}

}  // namespace
}  // namespace agenthub::telemetry
