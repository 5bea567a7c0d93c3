// OtlpHttpReceiver: OTLP/HTTP on one port (4318 by default), as the OTLP
// specification defines it:
//
//   POST /v1/traces | /v1/metrics | /v1/logs
//   Content-Type     application/x-protobuf or application/json; anything
//                    else is 415
//   Content-Encoding gzip (or none); the limit applies to the decompressed
//                    body too, so a small bomb cannot grow past it
//   200              Export<Signal>ServiceResponse in the request's encoding,
//                    with partial_success when items were refused
//   400              undecodable body: google.rpc.Status with a message
//   413              body over max_request_bytes (RESOURCE_EXHAUSTED)
//   503 Retry-After  the ingest queue is full (UNAVAILABLE)
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "collector/receiver/otlp_ingest.h"
#include "net/net.h"

namespace agenthub::collector {

struct OtlpHttpReceiverOptions {
  net::HttpListenerOptions listener;  // port 4318 by the collector's default
  size_t max_request_bytes = 20 * 1024 * 1024;
  int retry_after_seconds = 1;  // sent with 503
};

class OtlpHttpReceiver {
 public:
  // Null with *error when the port cannot be bound. `ingest` must outlive
  // the receiver.
  static std::unique_ptr<OtlpHttpReceiver> Start(OtlpHttpReceiverOptions options,
                                                 OtlpIngest& ingest, std::string* error);
  ~OtlpHttpReceiver();

  int port() const { return listener_.port(); }
  // Finishes requests in progress, stops serving. Idempotent.
  void Stop() { listener_.Stop(); }

 private:
  OtlpHttpReceiver(OtlpHttpReceiverOptions options, OtlpIngest& ingest);
  void Handle(telemetry::OtlpSignal signal, const httplib::Request& request,
              httplib::Response& response, const httplib::ContentReader& reader);

  const OtlpHttpReceiverOptions options_;
  OtlpIngest& ingest_;
  net::HttpListener listener_;
};

}  // namespace agenthub::collector
