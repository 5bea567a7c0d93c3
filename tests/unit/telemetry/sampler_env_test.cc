// SamplerFromEnvironment: OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as
// the OpenTelemetry SDK environment-variable specification defines them, plus
// our ratelimited samplers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "support/scoped_env.h"
#include "telemetry/trace/sampler.h"

namespace agenthub::telemetry {
namespace {

using testing::DiagnosticCapture;
using ::testing::IsEmpty;
using testing::ScopedEnv;

std::string ParentBased(const std::string& root) {
  return "ParentBased{root=" + root +
         ",remoteParentSampled=AlwaysOnSampler,remoteParentNotSampled=AlwaysOffSampler,"
         "localParentSampled=AlwaysOnSampler,localParentNotSampled=AlwaysOffSampler}";
}

const std::string kDefault = ParentBased("AlwaysOnSampler");

// Sets both variables for one test and reports what SamplerFromEnvironment
// made of them.
struct SamplerEnv {
  SamplerEnv(std::optional<std::string> sampler, std::optional<std::string> arg)
      : sampler_env("OTEL_TRACES_SAMPLER", std::move(sampler)),
        arg_env("OTEL_TRACES_SAMPLER_ARG", std::move(arg)) {}

  std::string Description() const { return SamplerFromEnvironment()->Description(); }

  ScopedEnv sampler_env;
  ScopedEnv arg_env;
};

TEST(SamplerFromEnvironmentTest, UnsetMeansParentBasedAlwaysOn) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv(std::nullopt, std::nullopt).Description(), kDefault);
  EXPECT_EQ(SamplerEnv("", std::nullopt).Description(), kDefault);
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(SamplerFromEnvironmentTest, ArgWithoutSamplerIsIgnored) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv(std::nullopt, "0.5").Description(), kDefault);
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(SamplerFromEnvironmentTest, EverySpecifiedValueWithoutArg) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv("always_on", std::nullopt).Description(), "AlwaysOnSampler");
  EXPECT_EQ(SamplerEnv("always_off", std::nullopt).Description(), "AlwaysOffSampler");
  EXPECT_EQ(SamplerEnv("traceidratio", std::nullopt).Description(), "TraceIdRatioBased{1}");
  EXPECT_EQ(SamplerEnv("parentbased_always_on", std::nullopt).Description(), kDefault);
  EXPECT_EQ(SamplerEnv("parentbased_always_off", std::nullopt).Description(),
            ParentBased("AlwaysOffSampler"));
  EXPECT_EQ(SamplerEnv("parentbased_traceidratio", std::nullopt).Description(),
            ParentBased("TraceIdRatioBased{1}"));
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(SamplerFromEnvironmentTest, RatioSamplersTakeTheirArg) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv("traceidratio", "0.25").Description(), "TraceIdRatioBased{0.25}");
  EXPECT_EQ(SamplerEnv("parentbased_traceidratio", "0.001").Description(),
            ParentBased("TraceIdRatioBased{0.001}"));
  EXPECT_EQ(SamplerEnv("traceidratio", "0").Description(), "TraceIdRatioBased{0}");
  EXPECT_EQ(SamplerEnv("traceidratio", "1").Description(), "TraceIdRatioBased{1}");
  EXPECT_EQ(SamplerEnv("traceidratio", " 0.5 ").Description(), "TraceIdRatioBased{0.5}");
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(SamplerFromEnvironmentTest, InvalidRatioWarnsAndUsesOne) {
  for (const char* arg : {"abc", "1.5", "-0.1", "nan", "inf", "0.5x"}) {
    DiagnosticCapture diagnostics;
    EXPECT_EQ(SamplerEnv("traceidratio", arg).Description(), "TraceIdRatioBased{1}") << arg;
    EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_TRACES_SAMPLER_ARG", arg})) << arg;
  }
}

TEST(SamplerFromEnvironmentTest, InvalidRatioForParentBasedWarnsAndUsesOne) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv("parentbased_traceidratio", "2").Description(),
            ParentBased("TraceIdRatioBased{1}"));
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_TRACES_SAMPLER_ARG=2"}));
}

TEST(SamplerFromEnvironmentTest, ArgIsIgnoredBySamplersWithoutOne) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv("always_on", "0.1").Description(), "AlwaysOnSampler");
  EXPECT_EQ(SamplerEnv("parentbased_always_off", "junk").Description(),
            ParentBased("AlwaysOffSampler"));
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(SamplerFromEnvironmentTest, RateLimitedDefaultsToOneHundredPerSecond) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv("ratelimited", std::nullopt).Description(), "RateLimitingSampler{100}");
  EXPECT_EQ(SamplerEnv("parentbased_ratelimited", std::nullopt).Description(),
            ParentBased("RateLimitingSampler{100}"));
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(SamplerFromEnvironmentTest, RateLimitedTakesTracesPerSecond) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv("ratelimited", "50").Description(), "RateLimitingSampler{50}");
  EXPECT_EQ(SamplerEnv("parentbased_ratelimited", "2.5").Description(),
            ParentBased("RateLimitingSampler{2.5}"));
  EXPECT_EQ(SamplerEnv("ratelimited", "0").Description(), "RateLimitingSampler{0}");
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(SamplerFromEnvironmentTest, InvalidRateWarnsAndUsesOneHundred) {
  for (const char* arg : {"fast", "-5", "inf", "10/s"}) {
    DiagnosticCapture diagnostics;
    EXPECT_EQ(SamplerEnv("ratelimited", arg).Description(), "RateLimitingSampler{100}") << arg;
    EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_TRACES_SAMPLER_ARG", arg})) << arg;
  }
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv("parentbased_ratelimited", "-1").Description(),
            ParentBased("RateLimitingSampler{100}"));
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_TRACES_SAMPLER_ARG=-1"}));
}

// The configuration specification: enum values SHOULD be case-insensitive.
TEST(SamplerFromEnvironmentTest, NamesAreCaseInsensitiveAndTrimmed) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv("ALWAYS_OFF", std::nullopt).Description(), "AlwaysOffSampler");
  EXPECT_EQ(SamplerEnv("ParentBased_TraceIdRatio", "0.5").Description(),
            ParentBased("TraceIdRatioBased{0.5}"));
  EXPECT_EQ(SamplerEnv(" always_on ", std::nullopt).Description(), "AlwaysOnSampler");
  EXPECT_THAT(diagnostics.Warnings(), IsEmpty());
}

TEST(SamplerFromEnvironmentTest, SpecifiedButUnsupportedSamplersWarnAndFallBack) {
  for (const char* name : {"jaeger_remote", "parentbased_jaeger_remote", "xray"}) {
    DiagnosticCapture diagnostics;
    EXPECT_EQ(SamplerEnv(name, "endpoint=http://localhost:14250").Description(), kDefault);
    EXPECT_TRUE(diagnostics.HasWarningContaining(
        {"OTEL_TRACES_SAMPLER", name, "falling back to parentbased_always_on"}))
        << name;
  }
}

TEST(SamplerFromEnvironmentTest, UnknownSamplerWarnsWithTheValueAsWrittenAndFallsBack) {
  DiagnosticCapture diagnostics;
  EXPECT_EQ(SamplerEnv("Always_Sometimes", std::nullopt).Description(), kDefault);
  EXPECT_TRUE(diagnostics.HasWarningContaining(
      {"OTEL_TRACES_SAMPLER=Always_Sometimes", "falling back to parentbased_always_on"}));
}

TEST(SamplerFromEnvironmentTest, SamplerFromEnvironmentSamplesAccordingly) {
  SamplerEnv env("always_off", std::nullopt);
  auto sampler = SamplerFromEnvironment();
  SpanContext parent;
  TraceId trace_id = NewTraceId();
  Attributes attributes;
  std::vector<SpanLink> links;
  EXPECT_EQ(sampler->ShouldSample({parent, trace_id, "op", SpanKind::kInternal, attributes, links})
                .decision,
            SamplingDecision::kDrop);
}

}  // namespace
}  // namespace agenthub::telemetry
