// SpanLimits::FromEnvironment: the OTEL_SPAN_* / OTEL_EVENT_* / OTEL_LINK_*
// limits, their general OTEL_ATTRIBUTE_* fallbacks, and invalid values.
#include "telemetry/trace/span_limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/scoped_env.h"

namespace agenthub::telemetry {
namespace {

using testing::DiagnosticCapture;
using ::testing::IsEmpty;
using testing::ScopedEnv;

constexpr const char* kAllVariables[] = {
    "OTEL_ATTRIBUTE_COUNT_LIMIT",       "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",  "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_SPAN_EVENT_COUNT_LIMIT",      "OTEL_SPAN_LINK_COUNT_LIMIT",
    "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
};

// Unsets every limit variable for the test, then applies the given ones.
class LimitsEnv {
 public:
  LimitsEnv(std::initializer_list<std::pair<const char*, const char*>> values) {
    for (const char* name : kAllVariables) {
      scopes_.push_back(std::make_unique<ScopedEnv>(name, std::nullopt));
    }
    for (const auto& [name, value] : values) {
      scopes_.push_back(std::make_unique<ScopedEnv>(name, value));
    }
  }

 private:
  std::vector<std::unique_ptr<ScopedEnv>> scopes_;  // destroyed in reverse order
};

TEST(SpanLimitsTest, DefaultsAreTheSpecificationValues) {
  SpanLimits limits;
  EXPECT_EQ(limits.attribute_count, 128u);
  EXPECT_EQ(limits.attribute_value_length, SpanLimits::kUnlimited);
  EXPECT_EQ(limits.event_count, 128u);
  EXPECT_EQ(limits.link_count, 128u);
  EXPECT_EQ(limits.attributes_per_event, 128u);
  EXPECT_EQ(limits.attributes_per_link, 128u);
}

TEST(SpanLimitsFromEnvironmentTest, NothingSetGivesTheDefaults) {
  LimitsEnv env({});
  DiagnosticCapture diagnostics;
  SpanLimits limits = SpanLimits::FromEnvironment();
  SpanLimits defaults;
  EXPECT_EQ(limits.attribute_count, defaults.attribute_count);
  EXPECT_EQ(limits.attribute_value_length, SpanLimits::kUnlimited);
  EXPECT_EQ(limits.event_count, defaults.event_count);
  EXPECT_EQ(limits.link_count, defaults.link_count);
  EXPECT_EQ(limits.attributes_per_event, defaults.attributes_per_event);
  EXPECT_EQ(limits.attributes_per_link, defaults.attributes_per_link);
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(SpanLimitsFromEnvironmentTest, ReadsEverySpanVariable) {
  LimitsEnv env({{"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "10"},
                 {"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "20"},
                 {"OTEL_SPAN_EVENT_COUNT_LIMIT", "30"},
                 {"OTEL_SPAN_LINK_COUNT_LIMIT", "40"},
                 {"OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "50"},
                 {"OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "60"}});
  SpanLimits limits = SpanLimits::FromEnvironment();
  EXPECT_EQ(limits.attribute_count, 10u);
  EXPECT_EQ(limits.attribute_value_length, 20u);
  EXPECT_EQ(limits.event_count, 30u);
  EXPECT_EQ(limits.link_count, 40u);
  EXPECT_EQ(limits.attributes_per_event, 50u);
  EXPECT_EQ(limits.attributes_per_link, 60u);
}

TEST(SpanLimitsFromEnvironmentTest, GeneralAttributeCountCoversSpanEventAndLinkAttributes) {
  LimitsEnv env({{"OTEL_ATTRIBUTE_COUNT_LIMIT", "16"}});
  SpanLimits limits = SpanLimits::FromEnvironment();
  EXPECT_EQ(limits.attribute_count, 16u);
  EXPECT_EQ(limits.attributes_per_event, 16u);
  EXPECT_EQ(limits.attributes_per_link, 16u);
  EXPECT_EQ(limits.event_count, 128u);  // not an attribute limit
  EXPECT_EQ(limits.link_count, 128u);
}

TEST(SpanLimitsFromEnvironmentTest, GeneralValueLengthAppliesToSpans) {
  LimitsEnv env({{"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "256"}});
  EXPECT_EQ(SpanLimits::FromEnvironment().attribute_value_length, 256u);
}

TEST(SpanLimitsFromEnvironmentTest, ModelSpecificLimitWinsOverGeneral) {
  LimitsEnv env({{"OTEL_ATTRIBUTE_COUNT_LIMIT", "16"},
                 {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "8"},
                 {"OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "4"},
                 {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "100"},
                 {"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "50"}});
  SpanLimits limits = SpanLimits::FromEnvironment();
  EXPECT_EQ(limits.attribute_count, 8u);
  EXPECT_EQ(limits.attributes_per_event, 4u);
  EXPECT_EQ(limits.attributes_per_link, 16u);
  EXPECT_EQ(limits.attribute_value_length, 50u);
}

TEST(SpanLimitsFromEnvironmentTest, ZeroIsAValidLimit) {
  LimitsEnv env({{"OTEL_SPAN_EVENT_COUNT_LIMIT", "0"}, {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "0"}});
  SpanLimits limits = SpanLimits::FromEnvironment();
  EXPECT_EQ(limits.event_count, 0u);
  EXPECT_EQ(limits.attribute_value_length, 0u);
}

TEST(SpanLimitsFromEnvironmentTest, InvalidValueWarnsAndKeepsTheDefault) {
  for (const char* value : {"-1", "many", "12.5", "7x"}) {
    LimitsEnv env({{"OTEL_SPAN_LINK_COUNT_LIMIT", value}});
    DiagnosticCapture diagnostics;
    EXPECT_EQ(SpanLimits::FromEnvironment().link_count, 128u) << value;
    EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_SPAN_LINK_COUNT_LIMIT", value})) << value;
  }
}

// Invalid means "not set", so the general variable still applies.
TEST(SpanLimitsFromEnvironmentTest, InvalidModelSpecificValueFallsBackToGeneral) {
  LimitsEnv env({{"OTEL_ATTRIBUTE_COUNT_LIMIT", "16"},
                 {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "lots"},
                 {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "64"},
                 {"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "-3"}});
  DiagnosticCapture diagnostics;
  SpanLimits limits = SpanLimits::FromEnvironment();
  EXPECT_EQ(limits.attribute_count, 16u);
  EXPECT_EQ(limits.attribute_value_length, 64u);
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "lots"}));
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "-3"}));
}

TEST(SpanLimitsFromEnvironmentTest, InvalidGeneralValueWarnsAndKeepsTheDefaults) {
  LimitsEnv env(
      {{"OTEL_ATTRIBUTE_COUNT_LIMIT", "none"}, {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "-1"}});
  DiagnosticCapture diagnostics;
  SpanLimits limits = SpanLimits::FromEnvironment();
  EXPECT_EQ(limits.attribute_count, 128u);
  EXPECT_EQ(limits.attributes_per_event, 128u);
  EXPECT_EQ(limits.attribute_value_length, SpanLimits::kUnlimited);
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_ATTRIBUTE_COUNT_LIMIT", "none"}));
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "-1"}));
}

TEST(SpanLimitsFromEnvironmentTest, AcceptsTheFullThirtyOneBitRange) {
  LimitsEnv env({{"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "2147483647"}});
  EXPECT_EQ(SpanLimits::FromEnvironment().attribute_value_length, 2147483647u);
}

}  // namespace
}  // namespace agenthub::telemetry
