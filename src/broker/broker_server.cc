#include "broker/broker_server.h"

#include "broker/dead_letter_admin.h"

namespace agenthub::broker {

std::unique_ptr<BrokerServer> BrokerServer::Start(BrokerOptions options,
                                                  runtime::ProcessTelemetry& telemetry,
                                                  std::string* error) {
  std::unique_ptr<BrokerServer> b(new BrokerServer());
  b->options_ = options;
  b->telemetry_ = &telemetry;
  b->router_ = std::make_shared<LocalRouter>(options.limits);
  b->instrumentation_ = std::make_unique<Instrumentation>(
      telemetry.Tracer("agenthub.broker"), telemetry.Meter("agenthub.broker"), telemetry.logger(),
      options.per_agent_metrics);
  b->instrumentation_->ObserveRouter(b->router_, options.limits.max_queue_per_agent);
  b->service_ =
      std::make_unique<EventBusService>(b->router_, *b->instrumentation_, options.service);
  b->router_->SetDeliveryHooks(b->service_->MakeDeliveryHooks());

  grpc::ServerBuilder builder;
  const std::string address = options.host + ":" + std::to_string(options.port);
  builder.AddListeningPort(
      address, options.credentials ? options.credentials : grpc::InsecureServerCredentials(),
      &b->port_);
  // gRPC sets SO_REUSEPORT by default, so a second broker on the same port
  // would start silently and split the agents between two routing tables.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
  builder.RegisterService(b->service_.get());
  b->server_ = builder.BuildAndStart();
  if (!b->server_ || b->port_ == 0) {
    if (error) *error = "cannot listen on " + address + " (is another broker running?)";
    return nullptr;
  }
  if (auto* ops = telemetry.ops()) {
    std::weak_ptr<LocalRouter> weak = b->router_;
    AddDeadLetterRoutes(*ops, b->router_);
    // The ops server may outlive this broker (an embedder restarting it), so
    // the callback shares the flag instead of pointing at the broker.
    ops->SetReadinessCallback([stopping = b->stopping_] {
      return stopping->load() ? ops::Readiness::NotReady("shutting down") : ops::Readiness::Ready();
    });
    ops->AddCheck("routing", [weak, limit = options.limits.max_queued_total] {
      auto router = weak.lock();
      if (!router) return ops::CheckResult::Unhealthy("router stopped");
      const RouterStats s = router->stats();
      if (s.queued >= limit) {
        return ops::CheckResult::Unhealthy("queues full: " + std::to_string(s.queued) + " tasks");
      }
      return ops::CheckResult::Healthy(std::to_string(s.queued) + " queued, " +
                                       std::to_string(s.connected_agents) + " agents connected");
    });
  }
  b->sweeper_ = std::thread([raw = b.get()] { raw->SweepDeadlines(); });
  return b;
}

BrokerServer::~BrokerServer() { Shutdown(); }

void BrokerServer::SweepDeadlines() {
  std::unique_lock lock(sweeper_mu_);
  while (!stopping_->load()) {
    sweeper_cv_.wait_for(lock, options_.deadline_sweep_interval);
    lock.unlock();
    for (const auto& task : router_->ExpireDeadlines(telemetry::Now())) {
      service_->ReportExpired(*task);
    }
    router_->ExpireLeases(telemetry::SteadyClock::now());
    lock.lock();
  }
}

DrainReport BrokerServer::Shutdown() {
  DrainReport report;
  if (shut_down_ || !server_) return report;  // stopped, or never started
  shut_down_ = true;
  auto& log = telemetry_->logger();
  router_->BeginShutdown();
  *stopping_ = true;
  const auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const RouterStats s = router_->stats();
    if (s.deliverable == 0 && s.in_flight == 0 && s.results_forwarding == 0) {
      report.drained = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  {
    std::lock_guard lock(sweeper_mu_);
    sweeper_cv_.notify_all();
  }
  if (sweeper_.joinable()) sweeper_.join();
  // Every task still in the broker's hands gets its FAILED result while the
  // result streams are open; closing them flushes what they buffered.
  for (const auto& task : router_->Close()) {
    report.left_queued.push_back(task->message->task_id());
    log.Warn("task still queued at shutdown",
             {{"task_id", task->message->task_id()}, {"target.agent", task->agent_id}});
    service_->ReportFailed(*task,
                           "broker shut down before the task completed (not drained within " +
                               std::to_string(options_.drain_timeout.count()) + " ms)",
                           "task failed by shutdown");
  }
  service_->CloseAllStreams();
  router_->SetDeliveryHooks(nullptr);
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  log.Info("broker stopped", {{"drained", report.drained},
                              {"left_queued", static_cast<int64_t>(report.left_queued.size())}});
  return report;
}

}  // namespace agenthub::broker
