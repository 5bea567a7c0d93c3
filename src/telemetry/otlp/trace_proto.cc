#include "telemetry/otlp/trace_proto.h"

#include <string>
#include <type_traits>
#include <vector>

#include "telemetry/export/resource_scope_groups.h"

namespace agenthub::telemetry {
namespace {

namespace common_pb = opentelemetry::proto::common::v1;
namespace trace_pb = opentelemetry::proto::trace::v1;

template <size_t N>
void SetId(const Id<N>& id, std::string* out) {
  out->assign(reinterpret_cast<const char*>(id.bytes().data()), N);
}

void SetScalar(bool v, common_pb::AnyValue* out) { out->set_bool_value(v); }
void SetScalar(int64_t v, common_pb::AnyValue* out) { out->set_int_value(v); }
void SetScalar(double v, common_pb::AnyValue* out) { out->set_double_value(v); }
void SetScalar(const std::string& v, common_pb::AnyValue* out) { out->set_string_value(v); }

template <typename T>
void SetArray(const std::vector<T>& values, common_pb::AnyValue* out) {
  auto* array = out->mutable_array_value()->mutable_values();
  array->Reserve(static_cast<int>(values.size()));
  for (const auto& element : values) {
    // Binds std::vector<bool>'s proxies to a bool, and strings without a copy.
    const T& scalar = element;
    SetScalar(scalar, array->Add());
  }
}

void FillEvent(const SpanEvent& event, trace_pb::Span::Event* out) {
  out->set_time_unix_nano(UnixNanos(event.time));
  out->set_name(event.name);
  FillKeyValues(event.attributes, out->mutable_attributes());
  out->set_dropped_attributes_count(event.dropped_attributes);
}

void FillLink(const SpanLink& link, trace_pb::Span::Link* out) {
  SetId(link.context.trace_id(), out->mutable_trace_id());
  SetId(link.context.span_id(), out->mutable_span_id());
  if (!link.context.trace_state().empty()) {
    out->set_trace_state(link.context.trace_state().ToHeader());
  }
  FillKeyValues(link.attributes, out->mutable_attributes());
  out->set_dropped_attributes_count(link.dropped_attributes);
  out->set_flags(OtlpSpanFlags(link.context.trace_flags(), link.context.IsRemote()));
}

}  // namespace

void FillAnyValue(const AttributeValue& value, otlp_pb::AnyValue* out) {
  std::visit(
      [out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<bool>> ||
                      std::is_same_v<T, std::vector<int64_t>> ||
                      std::is_same_v<T, std::vector<double>> ||
                      std::is_same_v<T, std::vector<std::string>>) {
          SetArray(v, out);
        } else {
          SetScalar(v, out);
        }
      },
      value);
}

void FillKeyValues(const Attributes& attributes, otlp_pb::KeyValues* out) {
  out->Reserve(out->size() + static_cast<int>(attributes.size()));
  for (const Attribute& attribute : attributes) {
    otlp_pb::KeyValue* kv = out->Add();
    kv->set_key(attribute.key);
    FillAnyValue(attribute.value, kv->mutable_value());
  }
}

void FillResource(const Resource& resource, opentelemetry::proto::resource::v1::Resource* out) {
  FillKeyValues(resource.attributes(), out->mutable_attributes());
}

void FillInstrumentationScope(const InstrumentationScope& scope,
                              common_pb::InstrumentationScope* out) {
  out->set_name(scope.name);
  out->set_version(scope.version);
}

void FillSpan(const SpanData& span, trace_pb::Span* out) {
  const SpanContext& context = span.context;
  SetId(context.trace_id(), out->mutable_trace_id());
  SetId(context.span_id(), out->mutable_span_id());
  if (!context.trace_state().empty()) out->set_trace_state(context.trace_state().ToHeader());
  if (span.has_parent()) SetId(span.parent_span_id, out->mutable_parent_span_id());
  out->set_flags(OtlpSpanFlags(context.trace_flags(), span.parent_is_remote));
  out->set_name(span.name);
  out->set_kind(static_cast<trace_pb::Span::SpanKind>(OtlpSpanKind(span.kind)));
  out->set_start_time_unix_nano(UnixNanos(span.start_time));
  out->set_end_time_unix_nano(UnixNanos(span.end_time));
  FillKeyValues(span.attributes, out->mutable_attributes());
  out->set_dropped_attributes_count(span.dropped_attributes);
  if (!span.events.empty()) {
    auto* events = out->mutable_events();
    events->Reserve(static_cast<int>(span.events.size()));
    for (const SpanEvent& event : span.events) FillEvent(event, events->Add());
  }
  out->set_dropped_events_count(span.dropped_events);
  if (!span.links.empty()) {
    auto* links = out->mutable_links();
    links->Reserve(static_cast<int>(span.links.size()));
    for (const SpanLink& link : span.links) FillLink(link, links->Add());
  }
  out->set_dropped_links_count(span.dropped_links);
  if (span.status.code != StatusCode::kUnset) {
    trace_pb::Status* status = out->mutable_status();
    // Values match OTLP's Status.StatusCode.
    status->set_code(static_cast<trace_pb::Status::StatusCode>(span.status.code));
    status->set_message(span.status.description);
  }
}

void FillTraceRequest(std::span<const SpanData* const> spans,
                      otlp_pb::ExportTraceServiceRequest* out) {
  for (const ResourceGroup<SpanData>& group : GroupByResourceAndScope(spans)) {
    trace_pb::ResourceSpans* resource_spans = out->add_resource_spans();
    if (group.resource != nullptr) {
      FillResource(*group.resource, resource_spans->mutable_resource());
      resource_spans->set_schema_url(group.resource->schema_url());
    }
    for (const ScopeGroup<SpanData>& scope_group : group.scopes) {
      trace_pb::ScopeSpans* scope_spans = resource_spans->add_scope_spans();
      if (scope_group.scope != nullptr) {
        FillInstrumentationScope(*scope_group.scope, scope_spans->mutable_scope());
        scope_spans->set_schema_url(scope_group.scope->schema_url);
      }
      auto* spans_out = scope_spans->mutable_spans();
      spans_out->Reserve(static_cast<int>(scope_group.items.size()));
      for (const SpanData* span : scope_group.items) FillSpan(*span, spans_out->Add());
    }
  }
}

otlp_pb::ExportTraceServiceRequest* EncodeTraceRequest(std::span<const SpanData* const> spans,
                                                       google::protobuf::Arena* arena) {
  auto* request = google::protobuf::Arena::CreateMessage<otlp_pb::ExportTraceServiceRequest>(arena);
  FillTraceRequest(spans, request);
  return request;
}

}  // namespace agenthub::telemetry
