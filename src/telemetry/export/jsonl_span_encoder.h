// OTLP/JSON of finished spans, built straight from SpanData with nlohmann
// JSON, for the JSON-lines exporter (jsonl_span_exporter.h). It exists
// beside the protobuf path (otlp/trace_proto.h + otlp/otlp_message_json.h)
// because the core SDK library links no protobuf, so a process can write
// spans as JSON lines without it.
//
// The encoding is the OTLP specification's "JSON Protobuf Encoding": the
// proto3 JSON mapping of the OTLP messages, with OTLP's deviations:
//   - trace and span ids are lowercase hex strings, not base64;
//   - enums are integers, never their names;
//   - keys are the lowerCamelCase field names;
//   - 64-bit integers (fixed64 times, int64 values) are decimal strings.
//
// Fields holding their proto3 default (empty string, zero count, empty list,
// unset status) are omitted, as the proto3 JSON mapping does, except the ones
// every span semantically requires: traceId, spanId, name, kind, flags and the
// start/end times.
//
// The attribute and resource helpers are public because the metrics and logs
// OTLP/JSON encoders share them.
#pragma once

#include <cstdint>
#include <span>

#include <nlohmann/json.hpp>

#include "telemetry/common/attribute.h"
#include "telemetry/export/otlp_span_fields.h"
#include "telemetry/resource/resource.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

// A 64-bit integer as the decimal string OTLP/JSON requires.
nlohmann::json EncodeUint64Json(uint64_t value);
nlohmann::json EncodeInt64Json(int64_t value);

// AnyValue: {"stringValue"}, {"boolValue"}, {"intValue": "<decimal>"},
// {"doubleValue"} (NaN and infinities as the strings "NaN", "Infinity",
// "-Infinity", per the proto3 JSON mapping) or {"arrayValue": {"values": []}}.
nlohmann::json EncodeAnyValueJson(const AttributeValue& value);

// A JSON array of KeyValue: [{"key": k, "value": AnyValue}, ...], in order.
nlohmann::json EncodeAttributesJson(const Attributes& attributes);

// Resource: {"attributes": [...]}. Its schema URL belongs to the enclosing
// Resource{Spans,Metrics,Logs}.schemaUrl, so callers emit it there.
nlohmann::json EncodeResourceJson(const Resource& resource);

// InstrumentationScope: {"name", "version"}. Its schema URL belongs to the
// enclosing Scope{Spans,Metrics,Logs}.schemaUrl.
nlohmann::json EncodeScopeJson(const InstrumentationScope& scope);

// One Span message.
nlohmann::json EncodeSpanJson(const SpanData& span);

// An ExportTraceServiceRequest: {"resourceSpans": [...]}. Spans are grouped
// by resource (the same pointer, else equal contents) and within that by
// scope, groups in order of first appearance, spans in batch order. Null
// entries in `spans` are skipped; a span without a resource or scope lands in
// a group that omits the "resource" or "scope" field.
nlohmann::json EncodeTracesRequestJson(std::span<const SpanData* const> spans);

}  // namespace agenthub::telemetry
