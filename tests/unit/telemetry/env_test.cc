// Reading OTEL_* style variables per the OpenTelemetry configuration
// specification: empty means unset, booleans are case-insensitive, invalid
// values warn and give the default, lists are trimmed and lowercased.
#include "telemetry/common/env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/scoped_env.h"

namespace agenthub::telemetry {
namespace {

using testing::DiagnosticCapture;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::ScopedEnv;

constexpr char kVar[] = "AGENTHUB_ENV_TEST_VALUE";

TEST(GetEnvTest, UnsetVariableIsNullopt) {
  ScopedEnv env(kVar, std::nullopt);
  EXPECT_EQ(GetEnv(kVar), std::nullopt);
}

TEST(GetEnvTest, EmptyValueCountsAsUnset) {
  ScopedEnv env(kVar, "");
  EXPECT_EQ(GetEnv(kVar), std::nullopt);
}

TEST(GetEnvTest, ReturnsValueVerbatim) {
  ScopedEnv env(kVar, "  Mixed Case  ");
  EXPECT_EQ(GetEnv(kVar), "  Mixed Case  ");
}

TEST(GetEnvBoolTest, UnsetOrEmptyGivesDefaultWithoutWarning) {
  DiagnosticCapture diagnostics;
  {
    ScopedEnv env(kVar, std::nullopt);
    EXPECT_TRUE(GetEnvBool(kVar, true));
    EXPECT_FALSE(GetEnvBool(kVar, false));
  }
  {
    ScopedEnv env(kVar, "");
    EXPECT_TRUE(GetEnvBool(kVar, true));
  }
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(GetEnvBoolTest, TrueAndFalseAreCaseInsensitive) {
  DiagnosticCapture diagnostics;
  for (const char* text : {"true", "TRUE", "True", " true "}) {
    ScopedEnv env(kVar, text);
    EXPECT_TRUE(GetEnvBool(kVar, false)) << text;
  }
  for (const char* text : {"false", "FALSE", "False"}) {
    ScopedEnv env(kVar, text);
    EXPECT_FALSE(GetEnvBool(kVar, true)) << text;
  }
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(GetEnvBoolTest, OtherValuesWarnAndGiveDefault) {
  for (const char* text : {"1", "yes", "on", "t"}) {
    DiagnosticCapture diagnostics;
    ScopedEnv env(kVar, text);
    EXPECT_FALSE(GetEnvBool(kVar, false)) << text;
    EXPECT_TRUE(diagnostics.HasWarningContaining({kVar, text})) << text;
  }
}

TEST(GetEnvNonNegativeIntTest, ParsesDecimalIntegers) {
  DiagnosticCapture diagnostics;
  {
    ScopedEnv env(kVar, "42");
    EXPECT_EQ(GetEnvNonNegativeInt(kVar, 7), 42);
  }
  {
    ScopedEnv env(kVar, "0");
    EXPECT_EQ(GetEnvNonNegativeInt(kVar, 7), 0);
  }
  {
    ScopedEnv env(kVar, " 2147483647 ");
    EXPECT_EQ(GetEnvNonNegativeInt(kVar, 7), 2147483647);
  }
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(GetEnvNonNegativeIntTest, UnsetGivesDefaultWithoutWarning) {
  DiagnosticCapture diagnostics;
  ScopedEnv env(kVar, std::nullopt);
  EXPECT_EQ(GetEnvNonNegativeInt(kVar, 7), 7);
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(GetEnvNonNegativeIntTest, InvalidValuesWarnAndGiveDefault) {
  for (const char* text : {"-1", "abc", "12abc", "1.5", "99999999999999999999"}) {
    DiagnosticCapture diagnostics;
    ScopedEnv env(kVar, text);
    EXPECT_EQ(GetEnvNonNegativeInt(kVar, 7), 7) << text;
    EXPECT_TRUE(diagnostics.HasWarningContaining({kVar, text})) << text;
  }
}

TEST(GetEnvMillisTest, ReadsMilliseconds) {
  ScopedEnv env(kVar, "1500");
  EXPECT_EQ(GetEnvMillis(kVar, std::chrono::milliseconds(5)), std::chrono::milliseconds(1500));
}

TEST(GetEnvMillisTest, NegativeWarnsAndGivesDefault) {
  DiagnosticCapture diagnostics;
  ScopedEnv env(kVar, "-100");
  EXPECT_EQ(GetEnvMillis(kVar, std::chrono::milliseconds(5)), std::chrono::milliseconds(5));
  EXPECT_TRUE(diagnostics.HasWarningContaining({kVar, "-100"}));
}

TEST(GetEnvListTest, EntriesAreTrimmedAndLowercased) {
  ScopedEnv env(kVar, " TraceContext ,Baggage,\tB3 ");
  EXPECT_THAT(GetEnvList(kVar), ElementsAre("tracecontext", "baggage", "b3"));
}

TEST(GetEnvListTest, EmptyEntriesAreSkipped) {
  ScopedEnv env(kVar, ",a,, ,b,");
  EXPECT_THAT(GetEnvList(kVar), ElementsAre("a", "b"));
}

TEST(GetEnvListTest, UnsetGivesEmptyList) {
  ScopedEnv env(kVar, std::nullopt);
  EXPECT_THAT(GetEnvList(kVar), IsEmpty());
}

TEST(TrimSpacesTest, TrimsSpacesAndTabsOnlyAtTheEnds) {
  EXPECT_EQ(TrimSpaces(" \ta b\t "), "a b");
  EXPECT_EQ(TrimSpaces("   "), "");
  EXPECT_EQ(TrimSpaces(""), "");
}

TEST(ToLowerAsciiTest, LowercasesAsciiAndLeavesOtherBytes) {
  EXPECT_EQ(ToLowerAscii("OTEL_Value-1"), "otel_value-1");
  EXPECT_EQ(ToLowerAscii("\xC3\x89"), "\xC3\x89");  // "É" in UTF-8 is not ASCII
}

}  // namespace
}  // namespace agenthub::telemetry
