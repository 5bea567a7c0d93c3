#include "collector/store/span_tags.h"

#include <charconv>

namespace agenthub::collector {
namespace {

using opentelemetry::proto::common::v1::AnyValue;
using opentelemetry::proto::common::v1::KeyValue;
using KeyValues = google::protobuf::RepeatedPtrField<KeyValue>;
using opentelemetry::proto::trace::v1::Span;
using opentelemetry::proto::trace::v1::Status;

// AnyValue nests (arrays of key-value lists of arrays ...); the protobuf
// parser already bounds recursion at 100, this bounds our own walk.
constexpr int kMaxDepth = 32;

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = static_cast<unsigned char>(bytes[i]) << 16 |
                       static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

nlohmann::json ToJson(const AnyValue& value, int depth) {
  if (depth > kMaxDepth) return nullptr;
  switch (value.value_case()) {
    case AnyValue::kStringValue:
      return value.string_value();
    case AnyValue::kBoolValue:
      return value.bool_value();
    case AnyValue::kIntValue:
      return value.int_value();
    case AnyValue::kDoubleValue:
      return value.double_value();
    case AnyValue::kBytesValue:
      return Base64(value.bytes_value());
    case AnyValue::kArrayValue: {
      auto array = nlohmann::json::array();
      for (const auto& v : value.array_value().values()) array.push_back(ToJson(v, depth + 1));
      return array;
    }
    case AnyValue::kKvlistValue: {
      auto object = nlohmann::json::object();
      for (const auto& kv : value.kvlist_value().values()) {
        object[kv.key()] = ToJson(kv.value(), depth + 1);
      }
      return object;
    }
    case AnyValue::VALUE_NOT_SET:
      break;
  }
  return nullptr;
}

void Add(KeyValues& out, std::string_view key, std::string_view value) {
  KeyValue* kv = out.Add();
  kv->set_key(std::string(key));
  kv->mutable_value()->set_string_value(std::string(value));
}

bool HasTag(const KeyValues& attributes, std::string_view key, std::string_view value) {
  for (const auto& kv : attributes) {
    if (kv.key() == key && AnyValueToString(kv.value()) == value) return true;
  }
  return false;
}

}  // namespace

nlohmann::json AnyValueToJson(const AnyValue& value) { return ToJson(value, 0); }

std::string AnyValueToString(const AnyValue& value) {
  switch (value.value_case()) {
    case AnyValue::kStringValue:
      return value.string_value();
    case AnyValue::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case AnyValue::kIntValue:
      return std::to_string(value.int_value());
    case AnyValue::kDoubleValue: {
      char buffer[64];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.double_value());
      return ec == std::errc() ? std::string(buffer, end) : std::string();
    }
    case AnyValue::kBytesValue:
      return Base64(value.bytes_value());
    case AnyValue::kArrayValue:
    case AnyValue::kKvlistValue:
      return AnyValueToJson(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    case AnyValue::VALUE_NOT_SET:
      break;
  }
  return {};
}

std::string_view SpanKindName(int kind) {
  switch (kind) {
    case Span::SPAN_KIND_INTERNAL:
      return "internal";
    case Span::SPAN_KIND_SERVER:
      return "server";
    case Span::SPAN_KIND_CLIENT:
      return "client";
    case Span::SPAN_KIND_PRODUCER:
      return "producer";
    case Span::SPAN_KIND_CONSUMER:
      return "consumer";
    default:
      return "";
  }
}

KeyValues DerivedSpanTags(const Span& span, const StoredScope& scope) {
  KeyValues out;
  if (const auto kind = SpanKindName(span.kind()); !kind.empty()) Add(out, "span.kind", kind);
  if (span.status().code() == Status::STATUS_CODE_OK) Add(out, "otel.status_code", "OK");
  if (span.status().code() == Status::STATUS_CODE_ERROR) {
    Add(out, "otel.status_code", "ERROR");
    KeyValue* error = out.Add();
    error->set_key("error");
    error->mutable_value()->set_bool_value(true);
  }
  if (!span.status().message().empty()) {
    Add(out, "otel.status_description", span.status().message());
  }
  if (!scope.scope.name().empty()) Add(out, "otel.scope.name", scope.scope.name());
  if (!scope.scope.version().empty()) Add(out, "otel.scope.version", scope.scope.version());
  return out;
}

bool SpanHasTag(const StoredSpan& stored, std::string_view key, std::string_view value) {
  if (HasTag(stored.span.attributes(), key, value)) return true;
  if (HasTag(DerivedSpanTags(stored.span, stored.scope), key, value)) return true;
  if (stored.resource && HasTag(stored.resource->resource.attributes(), key, value)) return true;
  for (const auto& event : stored.span.events()) {
    if (HasTag(event.attributes(), key, value)) return true;
  }
  return false;
}

}  // namespace agenthub::collector
