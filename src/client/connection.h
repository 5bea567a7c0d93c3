// Connection: one agent's channel to the broker, shared by its publisher and
// subscriber.
//
// Unary calls go through Call(), which gives every attempt its own deadline
// and the caller's trace context as gRPC request metadata (so even the
// broker's interceptor-level view of the call joins the trace), and retries
// with exponential backoff while the broker is unreachable or pushes back.
// A retried publish may reach the broker twice when an earlier attempt was
// accepted but its answer lost: delivery is at least once.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>

#include "client/connection_options.h"
#include "eventbus.grpc.pb.h"
#include "telemetry/telemetry.h"

namespace agenthub::client {

// "UNAVAILABLE", "DEADLINE_EXCEEDED", ...: for error.type attributes and logs.
const char* GrpcStatusName(grpc::StatusCode code);

class Connection {
 public:
  // Creates the channel; connecting happens in the background, so this
  // never fails (an unreachable broker shows as !IsConnected()).
  // `propagator` null: telemetry::GlobalPropagator() at each call.
  static std::shared_ptr<Connection> Create(
      ConnectionOptions options,
      std::shared_ptr<const telemetry::TextMapPropagator> propagator = nullptr);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One attempt of a unary call: `attempt` issues the RPC on the context it
  // is given (deadline and metadata already set) and returns its status.
  using Attempt = std::function<grpc::Status(grpc::ClientContext&)>;
  // Runs `attempt` until it succeeds, fails with a status not worth
  // retrying, `max_attempts` (0: options().max_call_attempts) is reached, or
  // Close() is called.
  grpc::Status Call(const telemetry::Context& trace_context, const Attempt& attempt,
                    int max_attempts = 0);

  // The channel is connected to the broker right now (what /ready reports).
  bool IsConnected() const;
  // Waits until connected (starting a connection attempt if idle); false at
  // the timeout or after Close().
  bool WaitForConnected(std::chrono::milliseconds timeout);

  // Ends retry loops and backoff sleeps early; for process shutdown.
  void Close();
  bool closed() const { return closed_.load(); }
  // Sleeps for `delay` unless Close() comes first; false when closed.
  bool SleepUnlessClosed(std::chrono::milliseconds delay);

  eventbus::EventBus::Stub& stub() { return *stub_; }
  const ConnectionOptions& options() const { return options_; }
  const telemetry::TextMapPropagator& propagator() const;
  std::shared_ptr<const telemetry::TextMapPropagator> propagator_ptr() const;

 private:
  Connection(ConnectionOptions options,
             std::shared_ptr<const telemetry::TextMapPropagator> propagator);

  const ConnectionOptions options_;
  // Fixed at creation when given; otherwise the global one, read per call,
  // because ProcessTelemetry may install it after the connection exists.
  std::shared_ptr<const telemetry::TextMapPropagator> propagator_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<eventbus::EventBus::Stub> stub_;
  std::atomic<bool> closed_{false};
  std::mutex mu_;               // guards nothing but the wait below
  std::condition_variable cv_;  // wakes SleepUnlessClosed on Close()
};

}  // namespace agenthub::client
