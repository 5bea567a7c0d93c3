#include "broker/wire_problem.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/stubs/common.h>
#include <google/protobuf/wire_format_lite.h>

#include <vector>

#include "broker/field_path.h"
#include "broker/struct_budget.h"

namespace agenthub::broker {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

bool IsStructOrList(const Descriptor& type) {
  return type.full_name() == "google.protobuf.Struct" ||
         type.full_name() == "google.protobuf.ListValue";
}

// A map entry's key (field 1), read ahead so the path can name it; the
// last occurrence wins, as in the parser.
std::string EntryKey(std::string_view entry) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(entry.data()),
                      static_cast<int>(entry.size()));
  std::string key;
  while (const uint32_t tag = in.ReadTag()) {
    if (tag == WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_LENGTH_DELIMITED)) {
      if (!WireFormatLite::ReadString(&in, &key)) break;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      break;
    }
  }
  return key;
}

class Walker {
 public:
  explicit Walker(size_t max_struct_depth) : max_depth_(max_struct_depth) {}

  // Walks one message's fields. False when the walk must stop: `problem`
  // is then set, or the bytes are malformed.
  bool Walk(std::string_view bytes, const Descriptor& type, const std::string& path, size_t depth) {
    CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                        static_cast<int>(bytes.size()));
    std::vector<size_t> seen(static_cast<size_t>(type.field_count()), 0);
    while (const uint32_t tag = in.ReadTag()) {
      const FieldDescriptor* field = type.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
      const bool checked =
          field != nullptr &&
          WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED &&
          (field->type() == FieldDescriptor::TYPE_STRING ||
           field->type() == FieldDescriptor::TYPE_MESSAGE);
      if (!checked) {
        if (!WireFormatLite::SkipField(&in, tag)) return false;
        continue;
      }
      // A view into `bytes`, not a copy: nested levels would copy the same
      // bytes once per level.
      uint32_t length;
      if (!in.ReadVarint32(&length)) return false;
      const auto at = static_cast<size_t>(in.CurrentPosition());
      if (length > bytes.size() - at || !in.Skip(static_cast<int>(length))) return false;
      const std::string_view value = bytes.substr(at, length);
      const size_t occurrence = seen[static_cast<size_t>(field->index())]++;
      if (!Field(type, *field, occurrence, value, path, depth)) return false;
    }
    return true;
  }

  std::optional<std::string> problem;

 private:
  bool Field(const Descriptor& type, const FieldDescriptor& field, size_t occurrence,
             std::string_view value, const std::string& path, size_t depth) {
    std::string child = path;
    if (field.is_map()) {
      // Struct's map is its members: task.parameters["key"], not .fields.
      if (type.full_name() != "google.protobuf.Struct") AppendFieldName(child, field.name());
      AppendKey(child, EntryKey(value));
    } else if (type.full_name() == "google.protobuf.ListValue") {
      AppendIndex(child, occurrence);
    } else if (type.full_name() != "google.protobuf.Value" && !type.options().map_entry()) {
      AppendFieldName(child, field.name());
      if (field.is_repeated()) AppendIndex(child, occurrence);
    }
    if (field.type() == FieldDescriptor::TYPE_STRING) {
      if (type.file()->syntax() == FileDescriptor::SYNTAX_PROTO3 &&
          !google::protobuf::internal::IsStructurallyValidUTF8(value.data(),
                                                               static_cast<int>(value.size()))) {
        const bool key = type.options().map_entry() && field.number() == 1;
        problem = child + (key ? ": the key is not valid UTF-8" : " is not valid UTF-8");
        return false;
      }
      return true;
    }
    const Descriptor& child_type = *field.message_type();
    if (IsStructOrList(child_type)) {
      if (depth == 0) struct_root_ = child;
      if (depth + 1 > max_depth_) {
        problem = StructTooDeep(struct_root_, max_depth_);
        return false;
      }
      return Walk(value, child_type, child, depth + 1);
    }
    return Walk(value, child_type, child, depth);
  }

  const size_t max_depth_;
  std::string struct_root_;  // the message field the current Struct nesting started at
};

}  // namespace

std::optional<std::string> FindWireProblem(std::string_view bytes, const Descriptor& type,
                                           size_t max_struct_depth) {
  Walker walker(max_struct_depth);
  walker.Walk(bytes, type, "", 0);
  return walker.problem;
}

}  // namespace agenthub::broker
