// How OTLP values read as Jaeger tags, shared by the store's tag search and
// the query API's JSON, so that a tag shown for a span is a tag that finds
// it.
//
// Jaeger has no span kind, status or scope fields; its OTLP translation
// carries them as tags, which we derive the same way:
//   span.kind                  "client" | "server" | "producer" | "consumer" |
//                              "internal" (absent when unspecified)
//   otel.status_code           "OK" | "ERROR" (absent when unset)
//   otel.status_description    the status message, when there is one
//   error                      true, when the status is ERROR
//   otel.scope.name / .version the instrumentation scope
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "collector/store/stored_data.h"
#include "opentelemetry/proto/common/v1/common.pb.h"

namespace agenthub::collector {

// An AnyValue as plain JSON: strings, booleans, numbers (64-bit integers as
// numbers), bytes as base64, arrays and key-value lists as JSON arrays and
// objects. Nesting deeper than a sane bound is cut off with null.
nlohmann::json AnyValueToJson(const opentelemetry::proto::common::v1::AnyValue& value);

// An AnyValue as the string a tag search compares with: strings as is,
// booleans "true"/"false", numbers in decimal, bytes base64, arrays and
// key-value lists as their JSON text.
std::string AnyValueToString(const opentelemetry::proto::common::v1::AnyValue& value);

// The derived tags listed above, as OTLP key-values.
google::protobuf::RepeatedPtrField<opentelemetry::proto::common::v1::KeyValue> DerivedSpanTags(
    const opentelemetry::proto::trace::v1::Span& span, const StoredScope& scope);

// "client", "server", ...; "" for SPAN_KIND_UNSPECIFIED and unknown values.
std::string_view SpanKindName(int kind);

// Whether the span carries `key` with a value that reads as `value`: in its
// attributes, its derived tags, its resource's attributes, or an event's
// attributes (Jaeger searches its logs' fields too).
bool SpanHasTag(const StoredSpan& span, std::string_view key, std::string_view value);

}  // namespace agenthub::collector
