// Carriers over gRPC call metadata, for client and server interceptors or
// handlers that propagate trace context as request headers.
//
// gRPC lowercases metadata keys and our propagators ask in lowercase, so
// lookups are exact. For headers gathered before a ClientContext exists, use
// MapCarrier over a std::multimap<std::string, std::string>
// (telemetry/propagation/map_carrier.h) and copy it with AddMetadata later.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <grpcpp/client_context.h>
#include <grpcpp/support/string_ref.h>

#include "telemetry/propagation/text_map.h"

namespace agenthub::telemetry {

// Write-only: Set() adds request metadata to an outgoing call; Get() always
// returns "". AddMetadata cannot replace, so inject once per context.
class ClientMetadataCarrier final : public TextMapCarrier {
 public:
  // `context` must outlive the carrier and the call must not have started.
  explicit ClientMetadataCarrier(grpc::ClientContext* context) : context_(context) {}

  std::string Get(std::string_view key) const override;
  // Always an empty view: nothing to read.
  std::optional<std::string_view> GetView(std::string_view key) const override;
  void Set(std::string_view key, std::string_view value) override;

 private:
  grpc::ClientContext* context_;  // not owned
};

// Read-only view of a server call's client metadata
// (grpc::ServerContext::client_metadata()). Several values of one key are
// joined with ','. Set() does nothing.
class ServerMetadataCarrier final : public TextMapCarrier {
 public:
  using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

  // `metadata` must outlive the carrier (the ServerContext owns it).
  explicit ServerMetadataCarrier(const Metadata& metadata) : metadata_(&metadata) {}

  std::string Get(std::string_view key) const override;
  // A view of the metadata's own bytes while the key has at most one value
  // (the usual case); nullopt when several must be joined.
  std::optional<std::string_view> GetView(std::string_view key) const override;
  void Set(std::string_view key, std::string_view value) override;

 private:
  const Metadata* metadata_;  // not owned
};

}  // namespace agenthub::telemetry
