// Limits on what one span may hold (OpenTelemetry span limits). Defaults are
// the specification's: 128 of everything, unlimited attribute value length.
// Anything over a limit is dropped (and counted on the span), never an error.
#pragma once

#include <cstddef>
#include <limits>

namespace agenthub::telemetry {

struct SpanLimits {
  static constexpr size_t kUnlimited = std::numeric_limits<size_t>::max();

  size_t attribute_count = 128;                // OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT
  size_t attribute_value_length = kUnlimited;  // OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT
  size_t event_count = 128;                    // OTEL_SPAN_EVENT_COUNT_LIMIT
  size_t link_count = 128;                     // OTEL_SPAN_LINK_COUNT_LIMIT
  size_t attributes_per_event = 128;           // OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT
  size_t attributes_per_link = 128;            // OTEL_LINK_ATTRIBUTE_COUNT_LIMIT

  // Defaults overridden by OTEL_SPAN_* variables, which in turn fall back to
  // the general OTEL_ATTRIBUTE_COUNT_LIMIT / OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT.
  static SpanLimits FromEnvironment();
};

}  // namespace agenthub::telemetry
