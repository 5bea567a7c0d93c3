// OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (OpenTelemetry SDK environment
// variables).
//
// Following the configuration specification: sampler names are enums, so they
// are matched case-insensitively (surrounding spaces ignored); an unknown
// name warns and is ignored, which means the default parentbased_always_on;
// an argument that is invalid for the chosen sampler warns and is ignored,
// which means that sampler's default argument. Warnings quote the value the
// user wrote. The argument is read only for samplers that take one.
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "telemetry/common/decimal.h"
#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"
#include "telemetry/trace/sampler.h"

namespace agenthub::telemetry {
namespace {

constexpr std::string_view kSamplerVar = "OTEL_TRACES_SAMPLER";
constexpr std::string_view kArgVar = "OTEL_TRACES_SAMPLER_ARG";
constexpr double kDefaultRatio = 1.0;
constexpr double kDefaultTracesPerSecond = 100.0;

std::shared_ptr<Sampler> DefaultSampler() { return MakeParentBasedSampler(MakeAlwaysOnSampler()); }

// OTEL_TRACES_SAMPLER_ARG when it parses to a number in [min, max]; otherwise
// a warning and the default.
double NumericArg(std::string_view sampler, std::string_view expected, double min, double max,
                  double default_value) {
  const std::optional<std::string> text = GetEnv(kArgVar);
  if (!text) return default_value;
  const std::optional<double> value = ParseDecimal(*text);
  if (value && *value >= min && *value <= max) return *value;
  ReportWarning(std::string(kArgVar) + "=" + *text + " is not " + std::string(expected) + " for " +
                std::string(sampler) + "; using " + FormatDecimal(default_value));
  return default_value;
}

double RatioArg(std::string_view sampler) {
  return NumericArg(sampler, "a ratio in [0, 1]", 0.0, 1.0, kDefaultRatio);
}

double TracesPerSecondArg(std::string_view sampler) {
  return NumericArg(sampler, "a non-negative number of traces per second", 0.0,
                    std::numeric_limits<double>::max(), kDefaultTracesPerSecond);
}

// Names the specification defines for samplers this SDK does not implement:
// they deserve a clearer warning than a typo does.
bool IsKnownButUnsupported(std::string_view name) {
  return name == "jaeger_remote" || name == "parentbased_jaeger_remote" || name == "xray";
}

}  // namespace

std::shared_ptr<Sampler> SamplerFromEnvironment() {
  const std::optional<std::string> raw = GetEnv(kSamplerVar);
  if (!raw) return DefaultSampler();
  const std::string name = ToLowerAscii(TrimSpaces(*raw));

  if (name == "always_on") return MakeAlwaysOnSampler();
  if (name == "always_off") return MakeAlwaysOffSampler();
  if (name == "traceidratio") return MakeTraceIdRatioBasedSampler(RatioArg(name));
  if (name == "parentbased_always_on") return DefaultSampler();
  if (name == "parentbased_always_off") return MakeParentBasedSampler(MakeAlwaysOffSampler());
  if (name == "parentbased_traceidratio") {
    return MakeParentBasedSampler(MakeTraceIdRatioBasedSampler(RatioArg(name)));
  }
  if (name == "ratelimited") return MakeRateLimitedSampler(TracesPerSecondArg(name));
  if (name == "parentbased_ratelimited") {
    return MakeParentBasedSampler(MakeRateLimitedSampler(TracesPerSecondArg(name)));
  }

  const std::string problem =
      IsKnownButUnsupported(name) ? " is not supported by this SDK" : " is not a known sampler";
  ReportWarning(std::string(kSamplerVar) + "=" + *raw + problem +
                "; falling back to parentbased_always_on");
  return DefaultSampler();
}

}  // namespace agenthub::telemetry
