// Working with google.protobuf.Struct, the shape of task parameters and
// results on the wire: building them in one expression, reading typed
// fields, and turning values into span attributes and printable text.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "telemetry/telemetry.h"

namespace agenthub::client {

// A google.protobuf.Value from a C++ value. Struct numbers are doubles, so
// integers are exact up to 2^53.
struct FieldValue {
  google::protobuf::Value value;
  FieldValue(const char* s);  // NOLINT(google-explicit-constructor): builder syntax
  FieldValue(std::string_view s);
  FieldValue(const std::string& s);
  FieldValue(double d);
  FieldValue(int i);
  FieldValue(int64_t i);
  FieldValue(bool b);
  FieldValue(google::protobuf::Struct s);
};

// MakeStruct({{"name", "Claude"}, {"a", 42}, {"b", 58}})
google::protobuf::Struct MakeStruct(
    std::initializer_list<std::pair<std::string, FieldValue>> fields);

// The field as a string / number / bool; nullopt when absent or of another
// kind. GetNumber also parses a numeric string ("42"), since command lines
// and other SDKs often send numbers as text.
std::optional<std::string> GetString(const google::protobuf::Struct& s, std::string_view key);
std::optional<double> GetNumber(const google::protobuf::Struct& s, std::string_view key);
std::optional<bool> GetBool(const google::protobuf::Struct& s, std::string_view key);

// Strings as they are, whole numbers without a fraction, bool and null as
// words, structs and lists as compact JSON.
std::string ValueToString(const google::protobuf::Value& value);
// Compact JSON of a whole Struct ("{}" when empty).
std::string StructToJson(const google::protobuf::Struct& s);
// A span attribute: bool, int64 for whole numbers, double, else the
// ValueToString text.
telemetry::AttributeValue ValueToAttribute(const google::protobuf::Value& value);

}  // namespace agenthub::client
