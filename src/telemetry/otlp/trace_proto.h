// Finished spans as OTLP protobuf messages (opentelemetry.proto.trace.v1):
// the message path, for what needs messages rather than bytes: the http/json
// protocol (through otlp_message_json.h) and tests. Binary exports skip the
// messages (trace_wire_writer.h writes the same bytes several times faster),
// and the JSON-lines exporter, in the protobuf-free core SDK, has its own
// encoder (export/jsonl_span_encoder.h).
//
// The attribute, resource and scope helpers are public because the metrics
// and logs encoders build the same common messages.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <google/protobuf/arena.h>
#include <google/protobuf/repeated_ptr_field.h>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "opentelemetry/proto/common/v1/common.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"
#include "telemetry/common/attribute.h"
#include "telemetry/export/otlp_span_fields.h"
#include "telemetry/resource/resource.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

namespace otlp_pb {
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::common::v1::AnyValue;
using opentelemetry::proto::common::v1::KeyValue;
using KeyValues = google::protobuf::RepeatedPtrField<KeyValue>;
}  // namespace otlp_pb

// A scalar or a homogeneous array (as ArrayValue of scalars).
void FillAnyValue(const AttributeValue& value, otlp_pb::AnyValue* out);

// Appends one KeyValue per attribute, in order.
void FillKeyValues(const Attributes& attributes, otlp_pb::KeyValues* out);

// Resource attributes. Its schema URL belongs to the enclosing
// Resource{Spans,Metrics,Logs}.schema_url, which callers set.
void FillResource(const Resource& resource, opentelemetry::proto::resource::v1::Resource* out);

// Scope name and version; its schema URL belongs to Scope{Spans,...}.
void FillInstrumentationScope(const InstrumentationScope& scope,
                              opentelemetry::proto::common::v1::InstrumentationScope* out);

// Every field of one span.
void FillSpan(const SpanData& span, opentelemetry::proto::trace::v1::Span* out);

// Appends `spans` to `out`, grouped by resource (the same pointer, else equal
// contents) and within that by scope; groups keep the order of first
// appearance and spans their batch order. Null entries are skipped; a span
// without resource or scope goes to a group that leaves that field unset.
void FillTraceRequest(std::span<const SpanData* const> spans,
                      otlp_pb::ExportTraceServiceRequest* out);

// The same request allocated on `arena` (faster: one arena block instead of
// a heap allocation per message). The arena owns the result.
otlp_pb::ExportTraceServiceRequest* EncodeTraceRequest(std::span<const SpanData* const> spans,
                                                       google::protobuf::Arena* arena);

}  // namespace agenthub::telemetry
