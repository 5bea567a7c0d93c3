// HttpListener: a cpp-httplib server bound to one port and served from a
// fixed pool of worker threads: the one HTTP server of every AgentHub
// process (the ops endpoint, the collector's OTLP/HTTP receiver, query API
// and UI).
//
// Bounded: at most `workers` requests run at once and at most
// `max_pending_connections` accepted connections wait for a worker; beyond
// that the accept loop pauses, so further clients wait in the kernel's
// backlog instead of in our memory.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "net/cpp_httplib.h"

namespace agenthub::net {

struct HttpListenerOptions {
  std::string host = "0.0.0.0";
  int port = 0;  // 0: any free port
  size_t workers = 4;
  size_t max_pending_connections = 64;
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
  std::chrono::seconds keep_alive_timeout{5};
};

class HttpListener {
 public:
  explicit HttpListener(HttpListenerOptions options);
  // Stop() if running.
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Register routes here before Start().
  httplib::Server& server() { return *server_; }

  // Binds and serves on a background thread. "" on success, else why
  // ("cannot listen on 0.0.0.0:4318: Address already in use").
  [[nodiscard]] std::string Start();
  // Stops accepting, finishes requests in progress, joins. Idempotent.
  void Stop();
  // The port actually bound (useful with port 0); 0 before Start.
  int port() const { return port_.load(); }
  bool running() const { return server_->is_running(); }

 private:
  const HttpListenerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  std::atomic<bool> listener_done_{false};
  std::atomic<int> port_{0};
};

}  // namespace agenthub::net
