// google.rpc.Status, the body of OTLP/HTTP error responses, encoded as the
// request was (binary protobuf or JSON). Written by hand: it is two fields
// (1: int32 code, 2: string message), and the rpc protos are not compiled
// into agenthub_proto.
#pragma once

#include <string>
#include <string_view>

#include "collector/receiver/otlp_ingest.h"

namespace agenthub::collector {

// gRPC status codes used in OTLP/HTTP error bodies.
inline constexpr int kRpcInvalidArgument = 3;
inline constexpr int kRpcResourceExhausted = 8;
inline constexpr int kRpcUnavailable = 14;

std::string EncodeRpcStatus(int code, std::string_view message, PayloadEncoding encoding);

}  // namespace agenthub::collector
