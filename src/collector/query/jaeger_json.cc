#include "collector/query/jaeger_json.h"

#include <map>

#include "collector/store/ids.h"
#include "collector/store/span_tags.h"

namespace agenthub::collector {
namespace {

using nlohmann::json;
using opentelemetry::proto::common::v1::AnyValue;
using opentelemetry::proto::common::v1::KeyValue;

json Tag(const std::string& key, const AnyValue& value) {
  json tag = {{"key", key}};
  switch (value.value_case()) {
    case AnyValue::kBoolValue:
      tag["type"] = "bool";
      tag["value"] = value.bool_value();
      break;
    case AnyValue::kIntValue:
      tag["type"] = "int64";
      tag["value"] = value.int_value();
      break;
    case AnyValue::kDoubleValue:
      tag["type"] = "float64";
      tag["value"] = value.double_value();
      break;
    case AnyValue::kBytesValue:
      tag["type"] = "binary";
      tag["value"] = AnyValueToString(value);  // base64
      break;
    default:
      // Strings as they are; arrays and maps as their JSON text, as
      // Jaeger's translation does.
      tag["type"] = "string";
      tag["value"] = AnyValueToString(value);
      break;
  }
  return tag;
}

void AppendTags(json& tags, const google::protobuf::RepeatedPtrField<KeyValue>& attributes) {
  for (const auto& kv : attributes) tags.push_back(Tag(kv.key(), kv.value()));
}

json StringTag(const std::string& key, const std::string& value) {
  AnyValue v;
  v.set_string_value(value);
  return Tag(key, v);
}

int64_t Micros(uint64_t ns) { return static_cast<int64_t>(ns / 1000); }

json Reference(const char* type, const std::string& trace_id, const std::string& span_id) {
  return {{"refType", type}, {"traceID", ToHex(trace_id)}, {"spanID", ToHex(span_id)}};
}

json SpanJson(const StoredSpan& stored, const std::string& process_id) {
  const auto& span = stored.span;
  json references = json::array();
  if (!span.parent_span_id().empty()) {
    references.push_back(Reference("CHILD_OF", span.trace_id(), span.parent_span_id()));
  }
  for (const auto& link : span.links()) {
    references.push_back(Reference("FOLLOWS_FROM", link.trace_id(), link.span_id()));
  }
  json tags = json::array();
  AppendTags(tags, span.attributes());
  AppendTags(tags, DerivedSpanTags(span, stored.scope));
  if (!span.trace_state().empty()) tags.push_back(StringTag("w3c.tracestate", span.trace_state()));
  json logs = json::array();
  for (const auto& event : span.events()) {
    json fields = json::array({StringTag("event", event.name())});
    AppendTags(fields, event.attributes());
    logs.push_back({{"timestamp", Micros(event.time_unix_nano())}, {"fields", fields}});
  }
  const uint64_t end = std::max(span.end_time_unix_nano(), span.start_time_unix_nano());
  return {{"traceID", ToHex(span.trace_id())},
          {"spanID", ToHex(span.span_id())},
          // Jaeger's flags are the W3C trace flags (1 = sampled).
          {"flags", span.flags() & 0xff},
          {"operationName", span.name()},
          {"references", references},
          {"startTime", Micros(span.start_time_unix_nano())},
          {"duration", Micros(end - span.start_time_unix_nano())},
          {"tags", tags},
          {"logs", logs},
          {"processID", process_id},
          {"warnings", nullptr}};
}

json ProcessJson(const StoredResource* resource) {
  json tags = json::array();
  if (!resource) return {{"serviceName", "unknown_service"}, {"tags", tags}};
  for (const auto& kv : resource->resource.attributes()) {
    if (kv.key() != "service.name") tags.push_back(Tag(kv.key(), kv.value()));
  }
  return {{"serviceName", resource->service}, {"tags", tags}};
}

}  // namespace

json JaegerTrace(const StoredTrace& trace) {
  // One process per distinct resource, numbered in order of appearance.
  std::map<std::string, std::string> ids;  // encoded resource -> "pN"
  json processes = json::object();
  json spans = json::array();
  for (const auto& stored : trace.spans) {
    std::string key;
    if (stored.resource) {
      key = stored.resource->resource.SerializeAsString();
      key += '\0' + stored.resource->service;
    }
    auto [it, inserted] = ids.emplace(key, "p" + std::to_string(ids.size() + 1));
    if (inserted) processes[it->second] = ProcessJson(stored.resource.get());
    spans.push_back(SpanJson(stored, it->second));
  }
  return {{"traceID", ToHex(trace.trace_id)},
          {"spans", spans},
          {"processes", processes},
          {"warnings", nullptr}};
}

json JaegerResponse(json data, const std::vector<JaegerError>& errors) {
  json errors_json = nullptr;
  if (!errors.empty()) {
    errors_json = json::array();
    for (const auto& e : errors) errors_json.push_back({{"code", e.code}, {"msg", e.msg}});
  }
  const size_t total = data.is_array() ? data.size() : 0;
  return {{"data", std::move(data)},
          {"total", total},
          {"limit", 0},
          {"offset", 0},
          {"errors", errors_json}};
}

json LogsJson(const std::vector<StoredLog>& logs) {
  json out = json::array();
  for (const auto& stored : logs) {
    const auto& r = stored.record;
    json attributes = json::array();
    AppendTags(attributes, r.attributes());
    const uint64_t time = r.time_unix_nano() ? r.time_unix_nano() : r.observed_time_unix_nano();
    json entry = {{"timestamp", Micros(time)},
                  {"timeUnixNano", std::to_string(r.time_unix_nano())},
                  {"observedTimeUnixNano", std::to_string(r.observed_time_unix_nano())},
                  {"severityNumber", static_cast<int>(r.severity_number())},
                  {"severityText", r.severity_text()},
                  {"body", AnyValueToJson(r.body())},
                  {"traceID", ToHex(r.trace_id())},
                  {"spanID", ToHex(r.span_id())},
                  {"serviceName", stored.resource ? stored.resource->service : "unknown_service"},
                  {"attributes", attributes}};
    if (!r.event_name().empty()) entry["eventName"] = r.event_name();
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace agenthub::collector
