// SpanLimits from the OTEL_* environment (OpenTelemetry SDK environment
// variables, attribute and span limits).
//
// Each model-specific variable (OTEL_SPAN_*, OTEL_EVENT_*, OTEL_LINK_*) wins
// when set; otherwise the general OTEL_ATTRIBUTE_* variable applies; otherwise
// the specification's default. The general variables cover every attribute
// collection of a span, including those of its events and links. An invalid
// value warns and counts as unset, so it falls back the same way.
#include "telemetry/trace/span_limits.h"

#include <cstdint>
#include <limits>
#include <string_view>

#include "telemetry/common/env.h"

namespace agenthub::telemetry {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// GetEnvNonNegativeInt works in int64_t, so "no limit" travels through it as
// the largest int64_t and comes back as SpanLimits::kUnlimited.
size_t LimitFromEnv(std::string_view name, size_t fallback) {
  const int64_t fallback_int =
      fallback >= static_cast<uint64_t>(kInt64Max) ? kInt64Max : static_cast<int64_t>(fallback);
  const int64_t value = GetEnvNonNegativeInt(name, fallback_int);
  return value == kInt64Max ? SpanLimits::kUnlimited : static_cast<size_t>(value);
}

}  // namespace

SpanLimits SpanLimits::FromEnvironment() {
  SpanLimits limits;
  const size_t attribute_count = LimitFromEnv("OTEL_ATTRIBUTE_COUNT_LIMIT", limits.attribute_count);
  const size_t value_length =
      LimitFromEnv("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", limits.attribute_value_length);

  limits.attribute_count = LimitFromEnv("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", attribute_count);
  limits.attribute_value_length =
      LimitFromEnv("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", value_length);
  limits.event_count = LimitFromEnv("OTEL_SPAN_EVENT_COUNT_LIMIT", limits.event_count);
  limits.link_count = LimitFromEnv("OTEL_SPAN_LINK_COUNT_LIMIT", limits.link_count);
  limits.attributes_per_event = LimitFromEnv("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", attribute_count);
  limits.attributes_per_link = LimitFromEnv("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", attribute_count);
  return limits;
}

}  // namespace agenthub::telemetry
