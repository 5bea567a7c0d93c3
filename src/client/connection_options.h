// How an agent reaches the broker: address, credentials, deadlines, retry.
#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <chrono>
#include <memory>
#include <string>

#include "client/backoff.h"

namespace agenthub::client {

struct ConnectionOptions {
  // host:port of the broker (env AGENTHUB_BROKER_ADDR in the CLI).
  std::string broker_address = "localhost:50051";
  // Null: plaintext. Pass grpc::SslCredentials(...) (or any other channel
  // credentials) for TLS; the rest of the SDK does not change.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // For TLS through an address that is not the certificate's name (tests,
  // port-forwards): the name to verify against. Empty: the address's host.
  std::string tls_server_name;
  // Deadline of each unary call (publish, result, progress) attempt.
  std::chrono::milliseconds call_timeout{5000};
  // Attempts of a unary call that failed with UNAVAILABLE or
  // RESOURCE_EXHAUSTED before its error is returned to the caller.
  int max_call_attempts = 5;
  // Between call attempts and between subscription stream reconnects; also
  // bounds gRPC's own reconnect backoff, which by default grows to 2 min and
  // would leave agents idle long after a broker restart.
  BackoffPolicy backoff;
  size_t max_message_bytes = 4 * 1024 * 1024;
  // Extra channel arguments (keepalive, load balancing, ...), applied last.
  grpc::ChannelArguments extra_arguments;

  // Defaults, with broker_address from AGENTHUB_BROKER_ADDR when set.
  static ConnectionOptions FromEnvironment();
};

}  // namespace agenthub::client
