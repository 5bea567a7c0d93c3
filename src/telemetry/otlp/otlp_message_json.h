// OTLP/JSON ("JSON Protobuf Encoding" in the OTLP specification) for any
// OTLP protobuf message, both ways: the http/json protocol's encoding of
// the messages trace_proto.h, logs_proto.h and metrics_proto.h build, and
// the collector's reading of what it receives. Built on protobuf's proto3
// JSON mapping plus OTLP's deviations from it:
//   - trace_id, span_id and parent_span_id (in Span, Span.Link, LogRecord
//     and Exemplar) are hex strings, not base64. We write lowercase; we read
//     either case, as the specification says they are case-insensitive;
//   - enums are written as integers (readers also accept names, as the
//     proto3 mapping does);
//   - keys are lowerCamelCase; 64-bit integers are decimal strings (readers
//     also accept numbers);
//   - unknown fields are ignored when reading, so newer producers work.
//
// Reading is meant for bytes from the network (our collector's OTLP/HTTP
// receiver): any malformed input gives false and a message saying what and,
// for ids, where ("resourceSpans[0].scopeSpans[0].spans[2].traceId: ...").
#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

namespace agenthub::telemetry {

// Writes `message` as compact OTLP/JSON. False (with *error) only when
// protobuf refuses the message, which well-formed OTLP messages never cause.
bool ToOtlpJson(const google::protobuf::Message& message, std::string* out,
                std::string* error = nullptr);

// Convenience: the JSON, or "" on failure.
std::string ToOtlpJson(const google::protobuf::Message& message);

// Replaces the contents of *message with what `json` describes.
bool ParseJson(std::string_view json, google::protobuf::Message* message, std::string* error);

}  // namespace agenthub::telemetry
