// BrokerServer: the whole broker process minus argument parsing — the gRPC
// server with the EventBus service, the routing core, the deadline sweeper
// and the ops endpoint's readiness and health checks.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "broker/routing/local_router.h"
#include "broker/service/event_bus_service.h"
#include "runtime/runtime.h"

namespace agenthub::broker {

struct BrokerOptions {
  std::string host = "0.0.0.0";
  int port = 50051;  // 0: any free port
  size_t max_message_bytes = 4 * 1024 * 1024;
  std::chrono::milliseconds drain_timeout{5000};
  std::chrono::milliseconds deadline_sweep_interval{100};
  bool per_agent_metrics = false;
  // Transport security; null means plaintext. The seam for TLS and for an
  // authenticating interceptor that decides which agent a call may act as.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  RouterLimits limits;
  ServiceOptions service;
};

struct DrainReport {
  bool drained = false;  // every deliverable task went out in time
  // Task ids still queued or leased at the end; each requester got a FAILED
  // result naming the shutdown.
  std::vector<std::string> left_queued;
};

class BrokerServer {
 public:
  // Null with *error when the port cannot be bound.
  static std::unique_ptr<BrokerServer> Start(BrokerOptions options,
                                             runtime::ProcessTelemetry& telemetry,
                                             std::string* error);
  ~BrokerServer();

  int port() const { return port_; }
  Router& router() { return *router_; }

  // Graceful shutdown: refuse new publishes (UNAVAILABLE), deliver what is
  // queued for connected agents within drain_timeout, end streams with OK,
  // stop the server. Idempotent.
  DrainReport Shutdown();

 private:
  BrokerServer() = default;
  void SweepDeadlines();

  BrokerOptions options_;
  runtime::ProcessTelemetry* telemetry_ = nullptr;
  std::shared_ptr<LocalRouter> router_;
  std::unique_ptr<Instrumentation> instrumentation_;
  std::unique_ptr<EventBusService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::shared_ptr<std::atomic<bool>> stopping_ = std::make_shared<std::atomic<bool>>(false);
  std::mutex sweeper_mu_;
  std::condition_variable sweeper_cv_;
  std::thread sweeper_;
  bool shut_down_ = false;
};

}  // namespace agenthub::broker
