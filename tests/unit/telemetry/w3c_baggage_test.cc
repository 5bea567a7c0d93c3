// W3CBaggagePropagator: the W3C `baggage` header.
#include "telemetry/propagation/w3c_baggage.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "telemetry/propagation/map_carrier.h"

namespace agenthub::telemetry {
namespace {

using Headers = std::map<std::string, std::string>;

Baggage ExtractHeader(const std::string& header, const Context& base = Context()) {
  Headers headers = {{"baggage", header}};
  MapCarrier carrier(headers);
  return W3CBaggagePropagator().Extract(carrier, base).baggage();
}

std::string InjectBaggage(const Baggage& baggage) {
  Headers headers;
  MapCarrier carrier(headers);
  W3CBaggagePropagator().Inject(Context().WithBaggage(baggage), carrier);
  auto it = headers.find("baggage");
  return it == headers.end() ? "<absent>" : it->second;
}

Baggage RoundTrip(const Baggage& baggage) {
  Headers headers;
  MapCarrier carrier(headers);
  W3CBaggagePropagator propagator;
  propagator.Inject(Context().WithBaggage(baggage), carrier);
  return propagator.Extract(carrier, Context()).baggage();
}

// n members "kNNN=<value of value_size bytes>".
Baggage ManyMembers(int n, size_t value_size = 1) {
  std::vector<Baggage::Entry> entries;
  for (int i = 0; i < n; ++i) {
    char key[16];
    std::snprintf(key, sizeof(key), "k%03d", i);
    entries.push_back({key, std::string(value_size, 'v'), ""});
  }
  return Baggage::FromEntries(std::move(entries));
}

// --- Extract --------------------------------------------------------------------

TEST(W3CBaggageExtractTest, ParsesKeyValuePairs) {
  Baggage b = ExtractHeader("userId=alice,serverNode=DF%2028,isProduction=false");
  EXPECT_EQ(b.Get("userId"), "alice");
  EXPECT_EQ(b.Get("serverNode"), "DF 28");
  EXPECT_EQ(b.Get("isProduction"), "false");
}

TEST(W3CBaggageExtractTest, OwsAroundKeysValuesAndMembersIsTrimmed) {
  Baggage b = ExtractHeader(" userId =   alice ,\tserverNode = DF%2028\t");
  EXPECT_EQ(b.Get("userId"), "alice");
  EXPECT_EQ(b.Get("serverNode"), "DF 28");
}

TEST(W3CBaggageExtractTest, PropertiesAreKeptAsMetadata) {
  Baggage b = ExtractHeader("key1=value1;property1;property2, key3=value3; propKey=propValue");
  ASSERT_NE(b.Find("key1"), nullptr);
  EXPECT_EQ(b.Find("key1")->value, "value1");
  EXPECT_EQ(b.Find("key1")->metadata, "property1;property2");
  EXPECT_EQ(b.Find("key3")->metadata, "propKey=propValue");
}

TEST(W3CBaggageExtractTest, ValueMayContainEqualsSigns) {
  EXPECT_EQ(ExtractHeader("k=a=b==").Get("k"), "a=b==");
}

TEST(W3CBaggageExtractTest, EmptyValueIsAllowed) { EXPECT_EQ(ExtractHeader("k=").Get("k"), ""); }

TEST(W3CBaggageExtractTest, PercentDecodesUtf8) {
  EXPECT_EQ(ExtractHeader("city=M%C3%BCnchen").Get("city"), "M\xC3\xBCnchen");
}

TEST(W3CBaggageExtractTest, PercentDecodingAcceptsLowercaseHex) {
  EXPECT_EQ(ExtractHeader("k=%2c%3b").Get("k"), ",;");
}

TEST(W3CBaggageExtractTest, PlusIsNotASpace) { EXPECT_EQ(ExtractHeader("k=a+b").Get("k"), "a+b"); }

TEST(W3CBaggageExtractTest, DecodedBytesThatAreNotUtf8BecomeReplacementCharacters) {
  EXPECT_EQ(ExtractHeader("k=a%FFb").Get("k"),
            "a\xEF\xBF\xBD"
            "b");
  // A truncated two-byte sequence is one replacement character.
  EXPECT_EQ(ExtractHeader("k=%C3").Get("k"), "\xEF\xBF\xBD");
}

TEST(W3CBaggageExtractTest, MalformedPercentSequenceSkipsOnlyThatMember) {
  Baggage b = ExtractHeader("a=1,bad=%zz,c=%4,d=4");
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.Get("a"), "1");
  EXPECT_EQ(b.Get("d"), "4");
}

TEST(W3CBaggageExtractTest, MemberWithoutEqualsIsSkipped) {
  Baggage b = ExtractHeader("a=1,novalue,c=3");
  EXPECT_EQ(b.size(), 2u);
  EXPECT_FALSE(b.Get("novalue"));
}

TEST(W3CBaggageExtractTest, MemberWithNonTokenKeyIsSkipped) {
  Baggage b = ExtractHeader("a=1,b c=2,\"q\"=3,(x)=4,=5");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b.Get("a"), "1");
}

TEST(W3CBaggageExtractTest, MemberWithCharacterOutsideBaggageOctetsIsSkipped) {
  Baggage b = ExtractHeader("a=1,b=x y,c=q\"uote,d=back\\slash,e=caf\xC3\xA9,f=6");
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.Get("f"), "6");
}

TEST(W3CBaggageExtractTest, MemberWithMalformedPropertyIsSkipped) {
  Baggage b = ExtractHeader("a=1;=x,b=2;p q,c=3;ok");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b.Find("c")->metadata, "ok");
}

TEST(W3CBaggageExtractTest, EmptyMembersAreSkipped) {
  Baggage b = ExtractHeader(",a=1,, ,b=2,");
  EXPECT_EQ(b.size(), 2u);
}

TEST(W3CBaggageExtractTest, RepeatedKeyKeepsTheLastValue) {
  Baggage b = ExtractHeader("a=1,b=2,a=3");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b.Get("a"), "3");
}

TEST(W3CBaggageExtractTest, PresentHeaderReplacesTheContextBaggage) {
  const Context base = Context().WithBaggage(Baggage().Set("local", "1"));
  Baggage b = ExtractHeader("remote=2", base);
  EXPECT_FALSE(b.Get("local"));
  EXPECT_EQ(b.Get("remote"), "2");
}

TEST(W3CBaggageExtractTest, UnparsableHeaderGivesEmptyBaggage) {
  const Context base = Context().WithBaggage(Baggage().Set("local", "1"));
  EXPECT_TRUE(ExtractHeader("garbage;;;", base).empty());
}

TEST(W3CBaggageExtractTest, AbsentHeaderLeavesTheContextBaggage) {
  const Context base = Context().WithBaggage(Baggage().Set("local", "1"));
  Headers headers;
  MapCarrier carrier(headers);
  EXPECT_EQ(W3CBaggagePropagator().Extract(carrier, base).baggage().Get("local"), "1");
}

TEST(W3CBaggageExtractTest, SixtyFourMembersInEightKilobytesAreAllKept) {
  // 64 members of 4 + 1 + 122 bytes plus 63 commas: exactly 8191 bytes.
  const std::string header = W3CBaggagePropagator::Serialize(ManyMembers(64, 122));
  ASSERT_LE(header.size(), 8192u);
  ASSERT_GE(header.size(), 8100u);
  EXPECT_EQ(ExtractHeader(header).size(), 64u);
}

TEST(W3CBaggageExtractTest, MembersBeyondTheCountLimitAreDroppedWhole) {
  std::string header;
  for (int i = 0; i < 200; ++i) header += (i ? ",k" : "k") + std::to_string(i) + "=v";
  Baggage b = ExtractHeader(header);
  EXPECT_EQ(b.size(), W3CBaggagePropagator::kMaxMembers);
  EXPECT_EQ(b.Get("k179"), "v");
  EXPECT_FALSE(b.Get("k180"));
}

TEST(W3CBaggageExtractTest, MemberBeyondTheByteLimitIsDroppedWhole) {
  const std::string big(5000, 'x');
  Baggage b = ExtractHeader("a=" + big + ",b=" + big + ",c=small");
  EXPECT_EQ(b.Get("a"), big);
  EXPECT_FALSE(b.Get("b"));
  EXPECT_EQ(b.Get("c"), "small");
}

// --- Inject ---------------------------------------------------------------------

TEST(W3CBaggageInjectTest, WritesMembersInOrder) {
  EXPECT_EQ(InjectBaggage(Baggage().Set("a", "1").Set("b", "2")), "a=1,b=2");
}

TEST(W3CBaggageInjectTest, WritesMetadataAfterASemicolon) {
  EXPECT_EQ(InjectBaggage(Baggage().Set("a", "1", "p1;p2=x")), "a=1;p1;p2=x");
}

TEST(W3CBaggageInjectTest, PercentEncodesCharactersOutsideBaggageOctets) {
  EXPECT_EQ(InjectBaggage(Baggage().Set("k", "a b,c;d\\e\"f")), "k=a%20b%2Cc%3Bd%5Ce%22f");
}

TEST(W3CBaggageInjectTest, PercentEncodesThePercentSign) {
  EXPECT_EQ(InjectBaggage(Baggage().Set("k", "100%")), "k=100%25");
}

TEST(W3CBaggageInjectTest, PercentEncodesNonAsciiBytes) {
  EXPECT_EQ(InjectBaggage(Baggage().Set("city", "M\xC3\xBCnchen")), "city=M%C3%BCnchen");
}

TEST(W3CBaggageInjectTest, LeavesBaggageOctetsAsTheyAre) {
  EXPECT_EQ(InjectBaggage(Baggage().Set("k", "a=b/c:d?e&f+g")), "k=a=b/c:d?e&f+g");
}

TEST(W3CBaggageInjectTest, SkipsEntriesWhoseKeyIsNotAToken) {
  EXPECT_EQ(InjectBaggage(Baggage().Set("bad key", "1").Set("ok", "2")), "ok=2");
}

TEST(W3CBaggageInjectTest, DropsInvalidMetadataButKeepsTheEntry) {
  EXPECT_EQ(InjectBaggage(Baggage().Set("k", "v", "not, valid")), "k=v");
}

TEST(W3CBaggageInjectTest, WritesNothingForEmptyBaggage) {
  EXPECT_EQ(InjectBaggage(Baggage()), "<absent>");
}

TEST(W3CBaggageInjectTest, SixtyFourMembersInEightKilobytesAreAllSent) {
  const std::string header = InjectBaggage(ManyMembers(64, 122));
  EXPECT_EQ(header.size(), 64u * (4 + 1 + 122) + 63);
}

TEST(W3CBaggageInjectTest, MembersBeyondTheCountLimitAreDroppedWhole) {
  Baggage sent = RoundTrip(ManyMembers(200));
  EXPECT_EQ(sent.size(), W3CBaggagePropagator::kMaxMembers);
  EXPECT_TRUE(sent.Get("k179"));
  EXPECT_FALSE(sent.Get("k180"));
}

TEST(W3CBaggageInjectTest, NeverExceedsTheByteLimitAndNeverTruncatesAMember) {
  // 100 members of 4 + 1 + 100 bytes: only whole members up to 8192 bytes.
  const std::string header = InjectBaggage(ManyMembers(100, 100));
  EXPECT_LE(header.size(), W3CBaggagePropagator::kMaxBytes);
  EXPECT_EQ((header.size() + 1) % 106, 0u);  // whole "kNNN=v...v," members only
}

// --- Round trips ------------------------------------------------------------------

TEST(W3CBaggageRoundTripTest, ReservedCharactersSurvive) {
  const std::string value = " ,;=%\"\\\t\r\n!#$&'()*+/:<>?@[]^`{|}~";
  EXPECT_EQ(RoundTrip(Baggage().Set("k", value)).Get("k"), value);
}

TEST(W3CBaggageRoundTripTest, UnicodeSurvives) {
  const std::string value = "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x9A\x80";
  EXPECT_EQ(RoundTrip(Baggage().Set("k", value)).Get("k"), value);
}

TEST(W3CBaggageRoundTripTest, MetadataSurvives) {
  Baggage b = RoundTrip(Baggage().Set("k", "v", "p1;p2=x"));
  ASSERT_NE(b.Find("k"), nullptr);
  EXPECT_EQ(b.Find("k")->metadata, "p1;p2=x");
}

TEST(W3CBaggageRoundTripTest, EntriesAndOrderSurvive) {
  const Baggage original = ManyMembers(64, 20);
  EXPECT_EQ(RoundTrip(original), original);
}

TEST(W3CBaggageFieldsTest, FieldIsBaggage) {
  EXPECT_EQ(W3CBaggagePropagator().Fields(), (std::vector<std::string>{"baggage"}));
}

}  // namespace
}  // namespace agenthub::telemetry
