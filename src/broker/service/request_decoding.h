// Parses EventBus requests in the broker rather than in gRPC.
//
// gRPC's generated callback handlers parse the request before our code
// runs and answer a parse failure with UNIMPLEMENTED and no message, so a
// client that sent invalid UTF-8 or deeply nested Structs learns nothing.
// EventBusService registers its methods with raw-bytes requests instead and
// parses them here: a failure becomes INVALID_ARGUMENT naming the field
// (wire_problem.h), like every other invalid request.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/status.h>

#include <cstddef>

namespace agenthub::broker {

// Parses `bytes` into `*out`. Structs may nest `max_struct_depth` levels
// (the parser's recursion limit is set to allow that and not much more);
// past that, or with any other defect, the status is INVALID_ARGUMENT
// naming the field where the walk can find one.
grpc::Status DecodeRequest(const grpc::ByteBuffer& bytes, size_t max_struct_depth,
                           google::protobuf::Message* out);

}  // namespace agenthub::broker
