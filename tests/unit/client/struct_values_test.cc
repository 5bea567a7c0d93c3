// Struct helpers: building payloads, typed reads, attribute and text forms.
#include "client/struct_values.h"

#include <gtest/gtest.h>

namespace agenthub::client {
namespace {

TEST(StructValuesTest, MakeStructKeepsEveryKind) {
  const auto s = MakeStruct({{"name", "Claude"}, {"a", 42}, {"ratio", 0.5}, {"ok", true}});
  EXPECT_EQ(GetString(s, "name"), "Claude");
  EXPECT_EQ(GetNumber(s, "a"), 42.0);
  EXPECT_EQ(GetNumber(s, "ratio"), 0.5);
  EXPECT_EQ(GetBool(s, "ok"), true);
}

TEST(StructValuesTest, MissingOrMistypedFieldsAreEmpty) {
  const auto s = MakeStruct({{"name", "Claude"}, {"a", 1}});
  EXPECT_EQ(GetString(s, "a"), std::nullopt);
  EXPECT_EQ(GetNumber(s, "missing"), std::nullopt);
  EXPECT_EQ(GetBool(s, "name"), std::nullopt);
}

TEST(StructValuesTest, NumbersSentAsTextAreReadAsNumbers) {
  const auto s = MakeStruct({{"a", "42"}, {"b", "4x"}, {"c", ""}});
  EXPECT_EQ(GetNumber(s, "a"), 42.0);
  EXPECT_EQ(GetNumber(s, "b"), std::nullopt);
  EXPECT_EQ(GetNumber(s, "c"), std::nullopt);
}

TEST(StructValuesTest, WholeNumbersPrintWithoutAFraction) {
  const auto s = MakeStruct({{"a", 100}, {"b", 2.5}, {"n", MakeStruct({{"x", 1}})}});
  EXPECT_EQ(ValueToString(s.fields().at("a")), "100");
  EXPECT_EQ(ValueToString(s.fields().at("b")), "2.5");
  EXPECT_EQ(ValueToString(s.fields().at("n")), "{\"x\":1}");
}

TEST(StructValuesTest, AttributesKeepIntegersIntegral) {
  const auto s = MakeStruct({{"a", 3}, {"b", 2.5}, {"c", "x"}, {"d", false}});
  EXPECT_EQ(ValueToAttribute(s.fields().at("a")), telemetry::AttributeValue(int64_t{3}));
  EXPECT_EQ(ValueToAttribute(s.fields().at("b")), telemetry::AttributeValue(2.5));
  EXPECT_EQ(ValueToAttribute(s.fields().at("c")), telemetry::AttributeValue(std::string("x")));
  EXPECT_EQ(ValueToAttribute(s.fields().at("d")), telemetry::AttributeValue(false));
}

TEST(StructValuesTest, StructToJsonIsCompact) {
  EXPECT_EQ(StructToJson(MakeStruct({{"k", "v"}})), "{\"k\":\"v\"}");
  EXPECT_EQ(StructToJson({}), "{}");
}

}  // namespace
}  // namespace agenthub::client
