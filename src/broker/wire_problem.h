// Explains why a request's bytes failed to parse, naming the field.
//
// protobuf's parser answers only true or false, and gRPC turns false into
// UNIMPLEMENTED with no message. The broker parses requests itself (see
// service/request_decoding.h) and, when that fails, walks the bytes again
// with the message's descriptor to find what is wrong: a string that is not
// UTF-8 (proto3 requires it), or Structs nested past the limit (the parser's
// recursion limit is set just above it). Only on the failure path: a
// well-formed request is parsed once.
#pragma once

#include <google/protobuf/descriptor.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace agenthub::broker {

// The first problem found in `bytes` read as a `type` message, e.g.
// `task.parameters["name"] is not valid UTF-8` or
// "task.metadata nests Structs and lists more than 32 levels deep; ...";
// nullopt when the walk finds none (the bytes are then malformed in a way
// that has no field to name: truncated, a bad tag or length).
std::optional<std::string> FindWireProblem(std::string_view bytes,
                                           const google::protobuf::Descriptor& type,
                                           size_t max_struct_depth);

}  // namespace agenthub::broker
