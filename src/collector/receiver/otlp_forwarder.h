// OtlpForwarder: re-exports what the collector accepts to another OTLP
// endpoint (gRPC or HTTP), so the collector can sit in front of Jaeger,
// Tempo or an OpenTelemetry Collector (--forward-otlp).
//
// Forwarding never slows ingest: requests are encoded on the receiving
// thread into a bounded queue and sent by one background thread through
// the exporters' OtlpTransport (same retries, same OTEL_* semantics). When
// the queue is full, or the endpoint refuses a request, it is dropped and
// counted; the local store has it either way.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <google/protobuf/message.h>

#include "telemetry/otlp/otlp.h"

namespace agenthub::collector {

struct OtlpForwarderOptions {
  // gRPC: "http://host:4317". HTTP: the base URL ("http://host:4318"); the
  // /v1/<signal> paths are appended.
  std::string endpoint;
  telemetry::OtlpProtocol protocol = telemetry::OtlpProtocol::kGrpc;
  size_t max_queue_bytes = 32 * 1024 * 1024;
  std::chrono::milliseconds timeout{10000};  // per request, retries included
};

class OtlpForwarder {
 public:
  explicit OtlpForwarder(OtlpForwarderOptions options);
  // Shutdown() if not done.
  ~OtlpForwarder();

  // Queues a copy of `request` (an Export<Signal>ServiceRequest of
  // `signal`). Thread-safe; never blocks on the network.
  void Forward(telemetry::OtlpSignal signal, const google::protobuf::Message& request);

  // Sends what is queued (each send bounded by the timeout), then stops.
  void Shutdown();

  int64_t forwarded() const { return forwarded_.load(); }
  int64_t dropped() const { return dropped_.load(); }  // queue full or send failed

 private:
  struct Item {
    telemetry::OtlpSignal signal;
    std::string body;
  };
  void Run();
  telemetry::OtlpTransport& Transport(telemetry::OtlpSignal signal);

  const OtlpForwarderOptions options_;
  std::unique_ptr<telemetry::OtlpTransport> transports_[3];  // by OtlpSignal
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> items_;   // guarded by mu_
  size_t queued_bytes_ = 0;  // guarded by mu_
  bool closed_ = false;      // guarded by mu_
  std::atomic<int64_t> forwarded_{0};
  std::atomic<int64_t> dropped_{0};
  std::thread sender_;
};

}  // namespace agenthub::collector
