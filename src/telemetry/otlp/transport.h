// The one send path every OTLP exporter (traces, metrics, logs) shares:
// encode an Export<Signal>ServiceRequest for the configured protocol, send
// it over OTLP/gRPC or OTLP/HTTP, and retry exactly what the OTLP
// specification calls transient:
//   gRPC: CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE,
//         DATA_LOSS, and RESOURCE_EXHAUSTED only when the server attached a
//         RetryInfo (its retry_delay is honoured);
//   HTTP: 429, 502, 503, 504 (honouring Retry-After seconds), and a
//         connection that failed or dropped before a response.
// Everything else (HTTP 400, 413, INVALID_ARGUMENT, ...) fails at once.
// Retries wait with exponential backoff and jitter (OtlpRetryPolicy), never
// past the deadline: a wait that would end after it is not started.
//
// A partial success (the collector accepted the request but rejected some
// items, or sent a warning) is reported through diagnostics here and is not
// retried; the caller sees ok with partial_success set. Failures are left to
// the caller to report, since only it knows how many items it dropped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "telemetry/common/clock.h"
#include "telemetry/otlp/exporter_config.h"

namespace agenthub::telemetry {

struct OtlpPartialSuccess {
  int64_t rejected = 0;  // rejected_spans / rejected_data_points / rejected_log_records
  std::string error_message;
};

struct OtlpSendResult {
  bool ok = false;         // the collector accepted the request (maybe partially)
  bool retryable = false;  // when !ok: the last failure was transient
  std::string error;       // when !ok: what went wrong, for diagnostics
  std::optional<OtlpPartialSuccess> partial_success;
  int attempts = 0;  // requests actually sent
};

// "OTel-OTLP-Exporter-Cpp-AgentHub/<version>", sent as the User-Agent (the
// exporter specification asks exporters to identify themselves).
const std::string& OtlpUserAgent();

class OtlpTransport {
 public:
  // gRPC or HTTP per config.protocol. A bad endpoint is reported now and
  // makes every Send fail; it never throws.
  static std::unique_ptr<OtlpTransport> Create(OtlpExporterConfig config);

  virtual ~OtlpTransport();
  OtlpTransport(const OtlpTransport&) = delete;
  OtlpTransport& operator=(const OtlpTransport&) = delete;

  // Sends `request`, which must be the Export<Signal>ServiceRequest of
  // config().signal, encoded per config().protocol (binary protobuf, or
  // OTLP/JSON for http/json). Returns by `deadline` (give or take the time
  // to notice it). Sends are serialized: concurrent calls wait their turn.
  OtlpSendResult Send(const google::protobuf::Message& request, Deadline deadline);

  // The same with the request already encoded for config().protocol.
  OtlpSendResult SendEncoded(const std::string& body, Deadline deadline);

  // Makes a Send in progress give up promptly (cancels its RPC or closes its
  // connection, interrupts its backoff wait) and every later Send fail.
  // Thread-safe, idempotent, never blocks on the network.
  void Shutdown();
  bool is_shut_down() const;

  const OtlpExporterConfig& config() const { return config_; }

 protected:
  explicit OtlpTransport(OtlpExporterConfig config);

  // What one request/response exchange gave.
  struct Attempt {
    enum class Outcome { kOk, kRetryable, kFailed };
    Outcome outcome = Outcome::kFailed;
    std::string error;  // when not kOk
    // The server's own wish for the wait before a retry (Retry-After,
    // RetryInfo.retry_delay); the backoff policy applies without it.
    std::optional<std::chrono::milliseconds> retry_after;
    std::string response;  // kOk: the Export<Signal>ServiceResponse body
    bool response_is_json = false;
  };

  // Turns the encoded request into what goes on the wire, once per Send
  // (the HTTP transport gzips here, into *storage). Default: unchanged.
  virtual std::string_view PrepareBody(const std::string& body, std::string* storage) {
    (void)storage;
    return body;
  }
  // One exchange, bounded by `deadline`. Must return promptly once
  // CancelInFlight() was called, also when that happened just before.
  virtual Attempt SendOnce(std::string_view body, Deadline deadline) = 0;
  // Aborts the current (and any later) SendOnce. Called once, by Shutdown.
  virtual void CancelInFlight() = 0;

 private:
  // Waits `delay` unless Shutdown() comes first; false when it did.
  bool WaitUnlessShutDown(std::chrono::milliseconds delay);
  void ReportPartialSuccess(const OtlpPartialSuccess& partial) const;

  const OtlpExporterConfig config_;
  std::mutex send_mu_;  // serializes Sends: transports keep per-call state
  mutable std::mutex mu_;
  std::condition_variable shutdown_cv_;
  bool shut_down_ = false;  // guarded by mu_
};

namespace internal {

std::unique_ptr<OtlpTransport> MakeGrpcTransport(OtlpExporterConfig config);
std::unique_ptr<OtlpTransport> MakeHttpTransport(OtlpExporterConfig config);

// What a google.rpc.Status (the body of OTLP/HTTP errors, and the details
// of gRPC errors) says: its message, and the delay of a RetryInfo detail.
struct RpcStatusInfo {
  std::string message;
  std::optional<std::chrono::milliseconds> retry_delay;
};
std::optional<RpcStatusInfo> ParseRpcStatus(std::string_view serialized);

// Decodes an Export<Signal>ServiceResponse body; nullopt when the response
// has no (or an empty) partial_success. *error is set when the body is not
// a valid response, which callers treat as plain success.
std::optional<OtlpPartialSuccess> ParsePartialSuccess(OtlpSignal signal, std::string_view body,
                                                      bool json, std::string* error);

// The wait before retry number `retry` (1-based): initial_backoff times
// multiplier^(retry-1), capped by max_backoff, then jittered.
std::chrono::milliseconds BackoffDelay(const OtlpRetryPolicy& policy, int retry);

}  // namespace internal
}  // namespace agenthub::telemetry
