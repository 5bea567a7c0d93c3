// OtlpGrpcReceiver: OTLP/gRPC on one port (4317 by default): the
// TraceService, MetricsService and LogsService Export methods, on gRPC's
// callback API so that no thread waits per call.
//
// Requests arrive as raw bytes and are decoded here, so that an undecodable
// one gets INVALID_ARGUMENT with a message (gRPC's own decoding would
// answer INTERNAL). Messages over max_request_bytes are refused by gRPC with
// RESOURCE_EXHAUSTED; gzip-compressed requests are decompressed by gRPC. A
// full ingest queue answers UNAVAILABLE, which OTLP exporters retry.
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <memory>
#include <string>

#include "collector/receiver/otlp_ingest.h"

namespace agenthub::collector {

struct OtlpGrpcReceiverOptions {
  std::string host = "0.0.0.0";
  int port = 4317;  // 0: any free port
  size_t max_request_bytes = 20 * 1024 * 1024;
};

class OtlpGrpcReceiver {
 public:
  // Null with *error when the port cannot be bound. `ingest` must outlive
  // the receiver.
  static std::unique_ptr<OtlpGrpcReceiver> Start(OtlpGrpcReceiverOptions options,
                                                 OtlpIngest& ingest, std::string* error);
  ~OtlpGrpcReceiver();

  int port() const { return port_; }
  // Stops accepting calls and waits for those in progress. Idempotent.
  void Stop();

 private:
  class Services;  // the three services, in otlp_grpc_receiver.cc

  OtlpGrpcReceiver() = default;

  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace agenthub::collector
