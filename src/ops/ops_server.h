// OpsServer: the operations HTTP endpoint every AgentHub process serves on
// one port (broker 8080, publisher 8081, subscriber 8082 by default):
//
//   GET /metrics  Prometheus text from the scrape callback
//   GET /health   {"status","checks":[{"name","status","message",
//                 "last_checked","duration"}],"version","uptime"}; 200 when
//                 every check passes, else 503
//   GET /ready    200 {"status":"ready"} or 503 {"status":"not ready","reason"}
//   GET/POST /admin/...  routes the process adds (AddAdminRoute), JSON
//   anything else 404 (405 for another method on the paths above), JSON body
//
// Durations ("duration", "uptime") use Go's time.Duration format (see
// telemetry/common/go_duration.h), as the original AgentHub's health
// endpoint did; "last_checked" is RFC 3339 UTC with nanoseconds.
//
// The server is a net::HttpListener (a small fixed pool of worker threads,
// a bounded accept queue) and limits request sizes, so a flood of requests
// cannot grow the process. It takes no lock that application threads use:
// /metrics only calls the scrape callback, and /health waits for checks on
// their own threads (see HealthChecker).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "net/net.h"
#include "ops/health_checks.h"

namespace agenthub::ops {

struct OpsServerOptions {
  std::string host = "0.0.0.0";
  int port = 8080;      // 0: any free port (see OpsServer::port())
  std::string version;  // reported by /health
  size_t worker_threads = 4;
  // Accepted connections waiting for a worker; past this the accept loop
  // waits and further clients queue in the kernel's backlog.
  size_t max_pending_connections = 64;
  // Larger bodies get 413. (cpp-httplib itself caps the request line and
  // each header line at 8 KiB.)
  size_t max_request_body_bytes = 64 * 1024;
  std::chrono::seconds read_timeout{5};  // a client that stalls is dropped
  std::chrono::seconds write_timeout{5};
  // Idle keep-alive connections hold a worker; keep them short.
  std::chrono::seconds keep_alive_timeout{2};
};

struct AdminRequest {
  std::string method;  // GET or POST
  std::string path;    // as requested, without the query
  std::string body;
};

struct AdminResponse {
  int status = 200;
  std::string json;  // the body, a JSON document
};

struct Readiness {
  bool ready = true;
  std::string reason;  // why not, when !ready

  static Readiness Ready() { return {true, {}}; }
  static Readiness NotReady(std::string reason) { return {false, std::move(reason)}; }
};

class OpsServer {
 public:
  // Text in the Prometheus exposition format, produced per scrape.
  using MetricsCallback = std::function<std::string()>;
  // Must be cheap (read a flag); called on the request thread.
  using ReadinessCallback = std::function<Readiness()>;

  explicit OpsServer(OpsServerOptions options = {});
  // Stops the server if it is running.
  ~OpsServer();
  OpsServer(const OpsServer&) = delete;
  OpsServer& operator=(const OpsServer&) = delete;

  // The callbacks may be set or replaced at any time, also while serving.
  // Without a metrics callback /metrics is empty; without a readiness
  // callback the process is ready.
  void SetMetricsCallback(MetricsCallback callback);
  void SetReadinessCallback(ReadinessCallback callback);
  // Serves GET and POST requests whose path starts with `prefix` (which
  // must start with "/admin/"); the first matching route answers, on a
  // server thread. Allowed at any time.
  using AdminHandler = std::function<AdminResponse(const AdminRequest&)>;
  void AddAdminRoute(std::string prefix, AdminHandler handler);
  void AddCheck(std::string name, HealthCheck check,
                std::chrono::milliseconds timeout = HealthChecker::kDefaultTimeout);
  HealthChecker& health_checker() { return health_; }

  // Binds and starts serving on background threads. Returns "" on success,
  // otherwise why it could not listen ("cannot listen on 0.0.0.0:8080:
  // Address already in use"). Call at most once.
  [[nodiscard]] std::string Start();

  // Stops accepting, lets requests in progress finish (a /health request
  // waits at most its longest check timeout), joins the threads. Idempotent.
  void Stop();

  // The port actually bound (useful with port 0); 0 before Start.
  int port() const;
  bool running() const;

 private:
  struct Handlers;  // the HTTP handlers, in ops_server.cc
  MetricsCallback metrics_callback() const;
  ReadinessCallback readiness_callback() const;

  const OpsServerOptions options_;
  const std::chrono::steady_clock::time_point created_;  // uptime counts from here
  HealthChecker health_;
  mutable std::mutex callbacks_mu_;  // guards the two callbacks; held only to copy them
  std::shared_ptr<const MetricsCallback> metrics_;
  std::shared_ptr<const ReadinessCallback> readiness_;
  std::vector<std::pair<std::string, std::shared_ptr<const AdminHandler>>> admin_routes_;
  net::HttpListener listener_;
  bool started_ = false;
};

}  // namespace agenthub::ops
