// Typed attribute values, as the OpenTelemetry common specification defines
// them: bool, int64, double, string, and homogeneous arrays of those.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace agenthub::telemetry {

using AttributeValue =
    std::variant<bool, int64_t, double, std::string, std::vector<bool>, std::vector<int64_t>,
                 std::vector<double>, std::vector<std::string>>;

// One key/value pair. Keys are non-empty; the SDK drops empty keys.
struct Attribute {
  std::string key;
  AttributeValue value;

  Attribute() = default;
  Attribute(std::string_view k, AttributeValue v) : key(k), value(std::move(v)) {}
  // String-like values must not decay to bool (a C++ pitfall with const char*).
  Attribute(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Attribute(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  Attribute(std::string_view k, const std::string& v) : key(k), value(v) {}
  Attribute(std::string_view k, std::string&& v) : key(k), value(std::move(v)) {}
  template <typename Int>
    requires(std::is_integral_v<Int> && !std::is_same_v<Int, bool>)
  Attribute(std::string_view k, Int v) : key(k), value(static_cast<int64_t>(v)) {}
  Attribute(std::string_view k, bool v) : key(k), value(v) {}
  Attribute(std::string_view k, double v) : key(k), value(v) {}

  friend bool operator==(const Attribute&, const Attribute&) = default;
};

using Attributes = std::vector<Attribute>;

// Renders a value the way humans read it: strings unquoted, arrays as [a, b].
std::string AttributeValueToString(const AttributeValue& value);

// Finds an attribute by key; nullptr when absent.
const AttributeValue* FindAttribute(const Attributes& attributes, std::string_view key);

}  // namespace agenthub::telemetry
