#include "collector/receiver/rpc_status.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <nlohmann/json.hpp>

namespace agenthub::collector {

std::string EncodeRpcStatus(int code, std::string_view message, PayloadEncoding encoding) {
  if (encoding == PayloadEncoding::kJson) {
    nlohmann::json body = {{"code", code}, {"message", std::string(message)}};
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(1 << 3 | 0);  // code, varint
    coded.WriteVarint32SignExtended(code);
    coded.WriteTag(2 << 3 | 2);  // message, length-delimited
    coded.WriteVarint32(static_cast<uint32_t>(message.size()));
    coded.WriteRaw(message.data(), static_cast<int>(message.size()));
  }
  return out;
}

}  // namespace agenthub::collector
