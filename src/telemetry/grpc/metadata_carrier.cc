#include "telemetry/grpc/metadata_carrier.h"

#include <iterator>

namespace agenthub::telemetry {

std::string ClientMetadataCarrier::Get(std::string_view /*key*/) const { return {}; }

std::optional<std::string_view> ClientMetadataCarrier::GetView(std::string_view /*key*/) const {
  return std::string_view();
}

void ClientMetadataCarrier::Set(std::string_view key, std::string_view value) {
  context_->AddMetadata(std::string(key), std::string(value));
}

std::string ServerMetadataCarrier::Get(std::string_view key) const {
  std::string out;
  auto [it, end] = metadata_->equal_range(grpc::string_ref(key.data(), key.size()));
  for (bool first = true; it != end; ++it, first = false) {
    if (!first) out += ',';
    out.append(it->second.data(), it->second.size());
  }
  return out;
}

std::optional<std::string_view> ServerMetadataCarrier::GetView(std::string_view key) const {
  auto [it, end] = metadata_->equal_range(grpc::string_ref(key.data(), key.size()));
  if (it == end) return std::string_view();
  if (std::next(it) != end) return std::nullopt;
  return std::string_view(it->second.data(), it->second.size());
}

void ServerMetadataCarrier::Set(std::string_view /*key*/, std::string_view /*value*/) {}

}  // namespace agenthub::telemetry
