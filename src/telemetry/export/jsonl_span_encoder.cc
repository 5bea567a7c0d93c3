#include "telemetry/export/jsonl_span_encoder.h"

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "telemetry/export/resource_scope_groups.h"

namespace agenthub::telemetry {
namespace {

using nlohmann::json;

// The proto3 JSON mapping writes non-finite doubles as strings; a bare NaN
// would otherwise come out as null, which a reader takes for "no value".
json EncodeDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

json EncodeScalar(bool v) { return {{"boolValue", v}}; }
json EncodeScalar(int64_t v) { return {{"intValue", EncodeInt64Json(v)}}; }
json EncodeScalar(double v) { return {{"doubleValue", EncodeDouble(v)}}; }
json EncodeScalar(const std::string& v) { return {{"stringValue", v}}; }

template <typename T>
json EncodeArray(const std::vector<T>& values) {
  json encoded = json::array();
  // `T element` rather than a reference: std::vector<bool> yields proxies.
  for (T element : values) encoded.push_back(EncodeScalar(element));
  return {{"arrayValue", {{"values", std::move(encoded)}}}};
}

// Adds "attributes" and "droppedAttributesCount" unless they are defaults.
void AddAttributes(json& out, const Attributes& attributes, uint32_t dropped) {
  if (!attributes.empty()) out["attributes"] = EncodeAttributesJson(attributes);
  if (dropped != 0) out["droppedAttributesCount"] = dropped;
}

void AddTraceState(json& out, const TraceState& trace_state) {
  if (!trace_state.empty()) out["traceState"] = trace_state.ToHeader();
}

json EncodeEvent(const SpanEvent& event) {
  json out = {{"timeUnixNano", EncodeUint64Json(UnixNanos(event.time))}, {"name", event.name}};
  AddAttributes(out, event.attributes, event.dropped_attributes);
  return out;
}

json EncodeLink(const SpanLink& link) {
  json out = {{"traceId", link.context.trace_id().ToHex()},
              {"spanId", link.context.span_id().ToHex()}};
  AddTraceState(out, link.context.trace_state());
  AddAttributes(out, link.attributes, link.dropped_attributes);
  out["flags"] = OtlpSpanFlags(link.context.trace_flags(), link.context.IsRemote());
  return out;
}

json EncodeStatus(const SpanStatus& status) {
  json out = {{"code", static_cast<int>(status.code)}};
  if (!status.description.empty()) out["message"] = status.description;
  return out;
}

json EncodeScopeSpans(const ScopeGroup<SpanData>& group) {
  json out = json::object();
  if (group.scope != nullptr) {
    out["scope"] = EncodeScopeJson(*group.scope);
    if (!group.scope->schema_url.empty()) out["schemaUrl"] = group.scope->schema_url;
  }
  json spans = json::array();
  for (const SpanData* span : group.items) spans.push_back(EncodeSpanJson(*span));
  out["spans"] = std::move(spans);
  return out;
}

json EncodeResourceSpans(const ResourceGroup<SpanData>& group) {
  json out = json::object();
  if (group.resource != nullptr) {
    out["resource"] = EncodeResourceJson(*group.resource);
    if (!group.resource->schema_url().empty()) out["schemaUrl"] = group.resource->schema_url();
  }
  json scopes = json::array();
  for (const auto& scope_group : group.scopes) scopes.push_back(EncodeScopeSpans(scope_group));
  out["scopeSpans"] = std::move(scopes);
  return out;
}

}  // namespace

json EncodeUint64Json(uint64_t value) { return std::to_string(value); }
json EncodeInt64Json(int64_t value) { return std::to_string(value); }

json EncodeAnyValueJson(const AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<bool>> ||
                      std::is_same_v<T, std::vector<int64_t>> ||
                      std::is_same_v<T, std::vector<double>> ||
                      std::is_same_v<T, std::vector<std::string>>) {
          return EncodeArray(v);
        } else {
          return EncodeScalar(v);
        }
      },
      value);
}

json EncodeAttributesJson(const Attributes& attributes) {
  json out = json::array();
  for (const auto& attribute : attributes) {
    out.push_back({{"key", attribute.key}, {"value", EncodeAnyValueJson(attribute.value)}});
  }
  return out;
}

json EncodeResourceJson(const Resource& resource) {
  json out = json::object();
  AddAttributes(out, resource.attributes(), 0);
  return out;
}

json EncodeScopeJson(const InstrumentationScope& scope) {
  json out = json::object();
  if (!scope.name.empty()) out["name"] = scope.name;
  if (!scope.version.empty()) out["version"] = scope.version;
  return out;
}

json EncodeSpanJson(const SpanData& span) {
  const SpanContext& context = span.context;
  json out = {{"traceId", context.trace_id().ToHex()}, {"spanId", context.span_id().ToHex()}};
  AddTraceState(out, context.trace_state());
  if (span.has_parent()) out["parentSpanId"] = span.parent_span_id.ToHex();
  out["flags"] = OtlpSpanFlags(context.trace_flags(), span.parent_is_remote);
  out["name"] = span.name;
  out["kind"] = OtlpSpanKind(span.kind);
  out["startTimeUnixNano"] = EncodeUint64Json(UnixNanos(span.start_time));
  out["endTimeUnixNano"] = EncodeUint64Json(UnixNanos(span.end_time));
  AddAttributes(out, span.attributes, span.dropped_attributes);
  if (!span.events.empty()) {
    json events = json::array();
    for (const auto& event : span.events) events.push_back(EncodeEvent(event));
    out["events"] = std::move(events);
  }
  if (span.dropped_events != 0) out["droppedEventsCount"] = span.dropped_events;
  if (!span.links.empty()) {
    json links = json::array();
    for (const auto& link : span.links) links.push_back(EncodeLink(link));
    out["links"] = std::move(links);
  }
  if (span.dropped_links != 0) out["droppedLinksCount"] = span.dropped_links;
  if (span.status.code != StatusCode::kUnset) out["status"] = EncodeStatus(span.status);
  return out;
}

json EncodeTracesRequestJson(std::span<const SpanData* const> spans) {
  json resource_spans = json::array();
  for (const auto& group : GroupByResourceAndScope(spans)) {
    resource_spans.push_back(EncodeResourceSpans(group));
  }
  return {{"resourceSpans", std::move(resource_spans)}};
}

}  // namespace agenthub::telemetry
