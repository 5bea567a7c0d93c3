// Finished spans as OTLP protobuf messages (opentelemetry.proto.trace.v1),
// ready for OTLP/gRPC, OTLP/HTTP binary or (through otlp_json_codec.h)
// OTLP/HTTP JSON.
//
// The attribute, resource and scope helpers are public because the metrics
// and logs encoders build the same common messages.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <google/protobuf/arena.h>
#include <google/protobuf/repeated_ptr_field.h>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "opentelemetry/proto/common/v1/common.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"
#include "telemetry/common/attribute.h"
#include "telemetry/resource/resource.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

namespace otlp_pb {
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::common::v1::AnyValue;
using opentelemetry::proto::common::v1::KeyValue;
using KeyValues = google::protobuf::RepeatedPtrField<KeyValue>;
}  // namespace otlp_pb

// Span.flags / Span.Link.flags: the W3C trace flags in bits 0-7, then
// CONTEXT_HAS_IS_REMOTE (always set: the SDK always knows) and, for a
// remote parent or linked context, CONTEXT_IS_REMOTE. A root span's absent
// parent counts as known and not remote.
uint32_t OtlpSpanFlags(TraceFlags trace_flags, bool remote);

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

// The binary protobuf encoding of the request FillTraceRequest builds, byte
// for byte, written straight from the spans without building messages first:
// several times faster, so OTLP/gRPC and http/protobuf exports use it.
// Replaces the contents of *out, reusing its capacity.
void SerializeTraceRequest(std::span<const SpanData* const> spans, std::string* out);

namespace internal {

// Spans grouped as FillTraceRequest describes; shared by both encoders so
// that they group identically.
struct OtlpScopeGroup {
  const InstrumentationScope* scope;
  std::vector<const SpanData*> spans;
};
struct OtlpResourceGroup {
  const Resource* resource;
  std::vector<OtlpScopeGroup> scopes;
};
std::vector<OtlpResourceGroup> GroupByResourceAndScope(std::span<const SpanData* const> spans);

}  // namespace internal
}  // namespace agenthub::telemetry
