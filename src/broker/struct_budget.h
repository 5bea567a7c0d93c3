// The budget a request's google.protobuf.Struct payloads must fit in.
//
// A Struct is cheap on the wire and dear in memory: a 4 MB request of tiny
// members decodes to ~20 MB, and every level of nesting costs stack in
// every parser that reads it later (ours, the agent's, a JSON encoder).
// So a request's Structs together may hold at most `max_members` members
// (each field of a Struct and each element of a list counts one, nested
// ones included), nested at most `max_depth` levels (a Struct field of the
// message is level 1; each struct_value or list_value inside adds one).
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace agenthub::broker {

// The problem a Struct field of the message has when it nests more than
// `max_depth` levels; shared with the wire check (wire_problem.h).
std::string StructTooDeep(std::string_view field, size_t max_depth);

class StructBudget {
 public:
  StructBudget(size_t max_depth, size_t max_members)
      : max_depth_(max_depth), members_left_(max_members), max_members_(max_members) {}

  // Charges `value` (the message's field `field`, e.g. "task.parameters")
  // to the budget. The problem names the field and the limit it broke;
  // nullopt while the request's Structs still fit.
  std::optional<std::string> Charge(std::string_view field, const google::protobuf::Struct& value);

 private:
  bool ChargeStruct(const google::protobuf::Struct& s, size_t depth);
  bool ChargeList(const google::protobuf::ListValue& l, size_t depth);
  bool ChargeValue(const google::protobuf::Value& v, size_t depth);
  bool Take(size_t members);

  const size_t max_depth_;
  size_t members_left_;
  const size_t max_members_;  // for the message only
  bool too_deep_ = false;     // which limit stopped the walk
};

}  // namespace agenthub::broker
