#include "broker/service/request_decoding.h"

#include <google/protobuf/io/coded_stream.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include "broker/wire_problem.h"

namespace agenthub::broker {
namespace {

// Nested messages the parser enters per level of Struct nesting: Struct,
// its map entry, Value. Plus the request and its message (task, result...)
// and a little room, so that a request within the depth limit always parses
// and the validation's Struct budget reports the level that broke it.
int RecursionLimitFor(size_t max_struct_depth) {
  constexpr size_t kMessagesPerLevel = 3;
  constexpr size_t kOutsideStructs = 8;
  const size_t limit =
      kOutsideStructs + kMessagesPerLevel * std::min<size_t>(max_struct_depth, 10'000);
  return static_cast<int>(limit);
}

std::string Flatten(const grpc::ByteBuffer& bytes) {
  std::vector<grpc::Slice> slices;
  std::string flat;
  if (!bytes.Dump(&slices).ok()) return flat;
  for (const auto& slice : slices) {
    flat.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return flat;
}

}  // namespace

grpc::Status DecodeRequest(const grpc::ByteBuffer& bytes, size_t max_struct_depth,
                           google::protobuf::Message* out) {
  if (!bytes.Valid()) {
    // gRPC hands us no buffer when the client half-closed without a message.
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "the request carried no " + out->GetDescriptor()->full_name() + " message");
  }
  {
    // ProtoBufferReader only reads, but takes a non-const buffer.
    grpc::ProtoBufferReader reader(const_cast<grpc::ByteBuffer*>(&bytes));
    google::protobuf::io::CodedInputStream in(&reader);
    in.SetRecursionLimit(RecursionLimitFor(max_struct_depth));
    if (reader.status().ok() && out->ParseFromCodedStream(&in)) return grpc::Status::OK;
  }
  const std::optional<std::string> problem =
      FindWireProblem(Flatten(bytes), *out->GetDescriptor(), max_struct_depth);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      problem ? *problem
                              : "the request is not a valid " + out->GetDescriptor()->full_name() +
                                    " message (malformed protobuf encoding)");
}

}  // namespace agenthub::broker
