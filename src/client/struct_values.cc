#include "client/struct_values.h"

#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace agenthub::client {
namespace {

bool IsWhole(double d) {
  return std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.007199254740992e15;
}

const google::protobuf::Value* Find(const google::protobuf::Struct& s, std::string_view key) {
  auto it = s.fields().find(std::string(key));
  return it == s.fields().end() ? nullptr : &it->second;
}

}  // namespace

FieldValue::FieldValue(const char* s) { value.set_string_value(s); }
FieldValue::FieldValue(std::string_view s) { value.set_string_value(std::string(s)); }
FieldValue::FieldValue(const std::string& s) { value.set_string_value(s); }
FieldValue::FieldValue(double d) { value.set_number_value(d); }
FieldValue::FieldValue(int i) { value.set_number_value(i); }
FieldValue::FieldValue(int64_t i) { value.set_number_value(static_cast<double>(i)); }
FieldValue::FieldValue(bool b) { value.set_bool_value(b); }
FieldValue::FieldValue(google::protobuf::Struct s) { *value.mutable_struct_value() = std::move(s); }

google::protobuf::Struct MakeStruct(
    std::initializer_list<std::pair<std::string, FieldValue>> fields) {
  google::protobuf::Struct s;
  for (const auto& [key, field] : fields) (*s.mutable_fields())[key] = field.value;
  return s;
}

std::optional<std::string> GetString(const google::protobuf::Struct& s, std::string_view key) {
  const auto* v = Find(s, key);
  if (!v || v->kind_case() != google::protobuf::Value::kStringValue) return std::nullopt;
  return v->string_value();
}

std::optional<double> GetNumber(const google::protobuf::Struct& s, std::string_view key) {
  const auto* v = Find(s, key);
  if (!v) return std::nullopt;
  if (v->kind_case() == google::protobuf::Value::kNumberValue) return v->number_value();
  if (v->kind_case() == google::protobuf::Value::kStringValue) {
    const std::string& text = v->string_value();
    double d = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return d;
  }
  return std::nullopt;
}

std::optional<bool> GetBool(const google::protobuf::Struct& s, std::string_view key) {
  const auto* v = Find(s, key);
  if (!v || v->kind_case() != google::protobuf::Value::kBoolValue) return std::nullopt;
  return v->bool_value();
}

std::string ValueToString(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kStringValue:
      return value.string_value();
    case google::protobuf::Value::kNumberValue: {
      const double d = value.number_value();
      if (IsWhole(d)) return std::to_string(static_cast<int64_t>(d));
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", d);
      return buf;
    }
    case google::protobuf::Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case google::protobuf::Value::kNullValue:
    case google::protobuf::Value::KIND_NOT_SET:
      return "null";
    default: {
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(value, &json);
      return json;
    }
  }
}

std::string StructToJson(const google::protobuf::Struct& s) {
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(s, &json).ok() || json.empty()) return "{}";
  return json;
}

telemetry::AttributeValue ValueToAttribute(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kBoolValue:
      return value.bool_value();
    case google::protobuf::Value::kNumberValue: {
      const double d = value.number_value();
      if (IsWhole(d)) return static_cast<int64_t>(d);
      return d;
    }
    default:
      return ValueToString(value);
  }
}

}  // namespace agenthub::client
