// ReconnectingStream: a server-streaming subscription (tasks, results or
// progress) that reopens itself, with backoff, whenever it ends — a broker
// restart, a network cut, or the broker closing streams while it drains —
// until Stop().
//
// The stream runs on its own thread. What it reads and where the messages go
// is the RunOnce function's business, so one class serves all three RPCs.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client/connection.h"
#include "telemetry/telemetry.h"

namespace agenthub::client {

class ReconnectingStream {
 public:
  // Opens one stream on `context`, calls `opened` once the broker has
  // acknowledged the subscription (its initial metadata) or the call ended,
  // hands every message on, and returns the status the stream finished with.
  using RunOnce = std::function<grpc::Status(grpc::ClientContext& context,
                                             const std::function<void()>& opened)>;

  // `name` appears in logs ("tasks", "results", ...). `connection` and
  // `log` must outlive the stream.
  ReconnectingStream(std::shared_ptr<Connection> connection, std::string name, RunOnce run,
                     telemetry::Logger& log);
  // Stop()s.
  ~ReconnectingStream();
  ReconnectingStream(const ReconnectingStream&) = delete;
  ReconnectingStream& operator=(const ReconnectingStream&) = delete;

  void Start();
  // Cancels the open stream, ends reconnecting and joins the thread.
  // Idempotent. Must not be called from inside RunOnce's message handling.
  void Stop();

  // The subscription request has been sent and the stream has not ended.
  // The broker does not acknowledge subscriptions, so this is the closest
  // observable point to "subscribed".
  bool IsOpen() const;
  bool WaitUntilOpen(std::chrono::milliseconds timeout) const;
  // Times the stream was opened: 1 + reconnects.
  uint64_t opens() const;

 private:
  void Loop();

  const std::shared_ptr<Connection> connection_;
  const std::string name_;
  const RunOnce run_;
  telemetry::Logger& log_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;      // open_ changes and Stop()
  grpc::ClientContext* current_ = nullptr;  // the live stream's, for TryCancel
  bool stopping_ = false;
  bool open_ = false;
  uint64_t opens_ = 0;
  std::thread thread_;
};

}  // namespace agenthub::client
