// TraceState: the W3C tracestate list (Trace Context level 1 grammar).
#include "telemetry/trace/trace_state.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace agenthub::telemetry {
namespace {

std::string Members(int count) {
  std::string header;
  for (int i = 0; i < count; ++i) {
    if (i > 0) header += ',';
    header += "k" + std::to_string(i) + "=v";
  }
  return header;
}

TEST(TraceStateTest, ParsesMembersInOrder) {
  auto state = TraceState::Parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  ASSERT_TRUE(state);
  ASSERT_EQ(state->size(), 2u);
  EXPECT_EQ(state->entries()[0], (TraceState::Entry{"rojo", "00f067aa0ba902b7"}));
  EXPECT_EQ(state->entries()[1], (TraceState::Entry{"congo", "t61rcWkgMzE"}));
}

TEST(TraceStateTest, EmptyHeaderIsAValidEmptyState) {
  auto state = TraceState::Parse("");
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->empty());
}

TEST(TraceStateTest, EmptyAndWhitespaceOnlyMembersAreSkipped) {
  auto state = TraceState::Parse(" , foo=1,,\t,bar=2, ");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->ToHeader(), "foo=1,bar=2");
}

TEST(TraceStateTest, SpacesAndTabsAroundMembersAreIgnored) {
  auto state = TraceState::Parse("foo=1 \t , \t bar=2,\t \tbaz=3\t");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->Get("foo"), "1");
  EXPECT_EQ(state->Get("bar"), "2");
  EXPECT_EQ(state->Get("baz"), "3");
}

TEST(TraceStateTest, LeadingSpaceOfAValueIsPartOfTheValue) {
  auto state = TraceState::Parse("foo= bar");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->Get("foo"), " bar");
}

TEST(TraceStateTest, ThirtyTwoMembersAreAccepted) {
  auto state = TraceState::Parse(Members(32));
  ASSERT_TRUE(state);
  EXPECT_EQ(state->size(), 32u);
}

TEST(TraceStateTest, ThirtyThreeMembersInvalidateTheHeader) {
  EXPECT_FALSE(TraceState::Parse(Members(33)));
}

TEST(TraceStateTest, EmptyMembersDoNotCountTowardsTheLimit) {
  EXPECT_TRUE(TraceState::Parse(Members(32) + ",,,"));
}

TEST(TraceStateTest, DuplicateKeysInvalidateTheHeader) {
  EXPECT_FALSE(TraceState::Parse("foo=1,foo=1"));
  EXPECT_FALSE(TraceState::Parse("foo=1,bar=2,foo=3"));
}

TEST(TraceStateTest, MemberWithoutEqualsInvalidatesTheHeader) {
  EXPECT_FALSE(TraceState::Parse("foo=1,bar"));
}

TEST(TraceStateTest, EmptyValueInvalidatesTheHeader) {
  EXPECT_FALSE(TraceState::Parse("foo=,bar=3"));
}

TEST(TraceStateTest, EqualsInValueInvalidatesTheHeader) {
  EXPECT_FALSE(TraceState::Parse("foo=bar=baz"));
}

TEST(TraceStateTest, InvalidKeyInvalidatesTheWholeHeader) {
  EXPECT_FALSE(TraceState::Parse("foo =1"));
  EXPECT_FALSE(TraceState::Parse("FOO=1"));
  EXPECT_FALSE(TraceState::Parse("foo.bar=1"));
  EXPECT_FALSE(TraceState::Parse("bar=2,foo@=1"));
}

TEST(TraceStateTest, SimpleKeyMustStartWithLowercaseLetter) {
  EXPECT_TRUE(TraceState::IsValidKey("a0_-*/"));
  EXPECT_FALSE(TraceState::IsValidKey("0abc"));
  EXPECT_FALSE(TraceState::IsValidKey("_abc"));
  EXPECT_FALSE(TraceState::IsValidKey("Abc"));
  EXPECT_FALSE(TraceState::IsValidKey(""));
}

TEST(TraceStateTest, SimpleKeyAcceptsEveryAllowedCharacter) {
  EXPECT_TRUE(TraceState::IsValidKey("abcdefghijklmnopqrstuvwxyz0123456789_-*/"));
}

TEST(TraceStateTest, SimpleKeyIsAtMost256Characters) {
  EXPECT_TRUE(TraceState::IsValidKey(std::string(256, 'z')));
  EXPECT_FALSE(TraceState::IsValidKey(std::string(257, 'z')));
}

TEST(TraceStateTest, MultiTenantKeyHasTenantAndSystem) {
  EXPECT_TRUE(TraceState::IsValidKey("tenant@system"));
  EXPECT_TRUE(TraceState::IsValidKey("0tenant@s"));
  EXPECT_TRUE(TraceState::IsValidKey("abcdefghijklmnopqrstuvwxyz0123456789_-*/@a-z0-9_-*/"));
}

TEST(TraceStateTest, MultiTenantSystemMustStartWithLowercaseLetter) {
  EXPECT_FALSE(TraceState::IsValidKey("tenant@0system"));
}

TEST(TraceStateTest, MultiTenantTenantIsAtMost241Characters) {
  EXPECT_TRUE(TraceState::IsValidKey(std::string(241, 't') + "@" + std::string(14, 'v')));
  EXPECT_FALSE(TraceState::IsValidKey(std::string(242, 't') + "@v"));
}

TEST(TraceStateTest, MultiTenantSystemIsAtMost14Characters) {
  EXPECT_FALSE(TraceState::IsValidKey("t@" + std::string(15, 'v')));
}

TEST(TraceStateTest, MultiTenantKeyNeedsBothPartsAndOneAt) {
  EXPECT_FALSE(TraceState::IsValidKey("@foo"));
  EXPECT_FALSE(TraceState::IsValidKey("foo@"));
  EXPECT_FALSE(TraceState::IsValidKey("foo@@bar"));
  EXPECT_FALSE(TraceState::IsValidKey("foo@bar@baz"));
}

TEST(TraceStateTest, ValueAcceptsPrintableAsciiExceptCommaAndEquals) {
  std::string value;
  for (char c = 0x20; c <= 0x7e; ++c) {
    if (c != ',' && c != '=') value += c;
  }
  EXPECT_TRUE(TraceState::IsValidValue(value));
}

TEST(TraceStateTest, ValueRejectsControlAndNonAsciiCharacters) {
  EXPECT_FALSE(TraceState::IsValidValue("a\tb"));
  EXPECT_FALSE(TraceState::IsValidValue("a\x7f"));
  EXPECT_FALSE(TraceState::IsValidValue("caf\xc3\xa9"));
}

TEST(TraceStateTest, ValueMustNotEndWithSpace) {
  EXPECT_FALSE(TraceState::IsValidValue("abc "));
  EXPECT_FALSE(TraceState::IsValidValue(" "));
}

TEST(TraceStateTest, ValueIsOneTo256Characters) {
  EXPECT_FALSE(TraceState::IsValidValue(""));
  EXPECT_TRUE(TraceState::IsValidValue(std::string(256, 'v')));
  EXPECT_FALSE(TraceState::IsValidValue(std::string(257, 'v')));
}

TEST(TraceStateTest, ToHeaderJoinsMembersWithCommas) {
  auto state = TraceState::Parse(" a=1 , b=2 ");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->ToHeader(), "a=1,b=2");
}

TEST(TraceStateTest, EmptyStateSerializesToEmptyString) { EXPECT_EQ(TraceState().ToHeader(), ""); }

TEST(TraceStateTest, SetAddsNewKeyAtTheFront) {
  auto state = TraceState::Parse("a=1,b=2")->Set("c", "3");
  EXPECT_EQ(state.ToHeader(), "c=3,a=1,b=2");
}

TEST(TraceStateTest, SetMovesAnUpdatedKeyToTheFront) {
  auto state = TraceState::Parse("a=1,b=2,c=3")->Set("b", "9");
  EXPECT_EQ(state.ToHeader(), "b=9,a=1,c=3");
}

TEST(TraceStateTest, SetOnAFullStateDropsTheRightmostEntry) {
  auto full = TraceState::Parse(Members(32));
  ASSERT_TRUE(full);
  TraceState state = full->Set("new", "x");
  EXPECT_EQ(state.size(), 32u);
  EXPECT_EQ(state.entries().front().first, "new");
  EXPECT_FALSE(state.Get("k31"));
  EXPECT_TRUE(state.Get("k30"));
}

TEST(TraceStateTest, SetWithInvalidKeyOrValueChangesNothing) {
  auto state = TraceState::Parse("a=1");
  EXPECT_EQ(state->Set("Bad", "1"), *state);
  EXPECT_EQ(state->Set("ok", "bad,value"), *state);
}

TEST(TraceStateTest, SetLeavesTheOriginalUntouched) {
  auto state = TraceState::Parse("a=1");
  (void)state->Set("b", "2");
  EXPECT_EQ(state->ToHeader(), "a=1");
}

TEST(TraceStateTest, RemoveDropsTheKeyAndKeepsTheOrder) {
  auto state = TraceState::Parse("a=1,b=2,c=3")->Remove("b");
  EXPECT_EQ(state.ToHeader(), "a=1,c=3");
}

TEST(TraceStateTest, RemoveOfAnAbsentKeyChangesNothing) {
  auto state = TraceState::Parse("a=1");
  EXPECT_EQ(state->Remove("zzz"), *state);
}

TEST(TraceStateTest, GetOfAnAbsentKeyIsNullopt) { EXPECT_FALSE(TraceState().Get("a")); }

TEST(TraceStateTest, CopiesAreEqualAndIndependentOfTheOriginal) {
  auto original = std::make_unique<TraceState>(*TraceState::Parse("a=1,b=2"));
  TraceState copy = *original;
  TraceState assigned;
  assigned = copy;
  original.reset();
  EXPECT_EQ(copy.ToHeader(), "a=1,b=2");
  EXPECT_EQ(assigned, copy);
}

TEST(TraceStateTest, MovedFromStateIsEmpty) {
  TraceState state = *TraceState::Parse("a=1");
  TraceState moved = std::move(state);
  EXPECT_TRUE(state.empty());  // NOLINT(bugprone-use-after-move): specified behaviour
  EXPECT_EQ(moved.Get("a"), "1");
}

TEST(TraceStateTest, CopiesMayBeUsedAndDestroyedOnOtherThreads) {
  const TraceState shared = *TraceState::Parse("a=1,b=2,c=3");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&shared] {
      for (int i = 0; i < 1000; ++i) {
        TraceState copy = shared;
        ASSERT_EQ(copy.entries().size(), 3u);  // built once, read by all
        ASSERT_EQ(copy.Get("b"), "2");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(shared.ToHeader(), "a=1,b=2,c=3");
}

}  // namespace
}  // namespace agenthub::telemetry
