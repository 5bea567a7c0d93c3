#include "broker/struct_budget.h"

namespace agenthub::broker {

std::string StructTooDeep(std::string_view field, size_t max_depth) {
  return std::string(field) + " nests Structs and lists more than " + std::to_string(max_depth) +
         " levels deep; the limit is " + std::to_string(max_depth);
}

std::optional<std::string> StructBudget::Charge(std::string_view field,
                                                const google::protobuf::Struct& value) {
  if (ChargeStruct(value, 1)) return std::nullopt;
  if (too_deep_) return StructTooDeep(field, max_depth_);
  return std::string(field) + " takes the request's Struct members past " +
         std::to_string(max_members_) +
         " (every field and list element, nested ones included); the limit is " +
         std::to_string(max_members_);
}

bool StructBudget::Take(size_t members) {
  if (members > members_left_) return false;
  members_left_ -= members;
  return true;
}

// Recursion is bounded by max_depth_: the walk stops one level past it.
bool StructBudget::ChargeStruct(const google::protobuf::Struct& s, size_t depth) {
  if (depth > max_depth_) {
    too_deep_ = true;
    return false;
  }
  if (!Take(s.fields().size())) return false;
  for (const auto& [key, value] : s.fields()) {
    if (!ChargeValue(value, depth)) return false;
  }
  return true;
}

bool StructBudget::ChargeList(const google::protobuf::ListValue& l, size_t depth) {
  if (depth > max_depth_) {
    too_deep_ = true;
    return false;
  }
  if (!Take(static_cast<size_t>(l.values_size()))) return false;
  for (const auto& value : l.values()) {
    if (!ChargeValue(value, depth)) return false;
  }
  return true;
}

bool StructBudget::ChargeValue(const google::protobuf::Value& v, size_t depth) {
  switch (v.kind_case()) {
    case google::protobuf::Value::kStructValue:
      return ChargeStruct(v.struct_value(), depth + 1);
    case google::protobuf::Value::kListValue:
      return ChargeList(v.list_value(), depth + 1);
    default:
      return true;
  }
}

}  // namespace agenthub::broker
