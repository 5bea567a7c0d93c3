// agenthub broker: serve eventbus.EventBus until SIGINT/SIGTERM.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "agenthub/version.h"
#include "broker/broker.h"
#include "cli/commands.h"
#include "cli/process/command_telemetry.h"
#include "cli/process/signals.h"
#include "telemetry/telemetry.h"

namespace agenthub::cli {
namespace {

// A Go duration ("500ms", "30s", "2m", "1h30m"), positive; min_ms bounds it.
CLI::Validator PositiveDuration() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const auto ns = telemetry::ParseGoDuration(text);
        if (!ns || *ns <= 0) return "not a positive duration such as 500ms, 30s or 2m: " + text;
        return "";
      },
      "DURATION");
}

std::chrono::milliseconds ToMillis(const std::string& text) {
  const int64_t ns = telemetry::ParseGoDuration(text).value_or(0);
  return std::chrono::milliseconds(std::max<int64_t>(1, (ns + 999'999) / 1'000'000));
}

}  // namespace

void RegisterBrokerCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "broker",
      "Run the AgentHub broker: routes tasks from publishers to subscriber agents and results "
      "back, with one trace per task. Telemetry follows the standard OTEL_* variables.");
  auto options = std::make_shared<broker::BrokerOptions>();
  auto health_port = std::make_shared<int>(EnvInt("BROKER_HEALTH_PORT", 8080));
  auto log = std::make_shared<LogFlags>();
  auto drain_ms = std::make_shared<int64_t>(5000);
  options->port = EnvInt("AGENTHUB_GRPC_PORT", 50051);
  cmd->add_option("--port", options->port, "gRPC port (env AGENTHUB_GRPC_PORT)")
      ->capture_default_str();
  cmd->add_option("--host", options->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--health-port", *health_port,
                  "Port of /health, /ready and /metrics (env BROKER_HEALTH_PORT; -1 disables)")
      ->capture_default_str();
  cmd->add_option("--max-queue-per-agent", options->limits.max_queue_per_agent,
                  "Tasks waiting for one agent before publishes get RESOURCE_EXHAUSTED")
      ->capture_default_str();
  cmd->add_option("--max-queued", options->limits.max_queued_total,
                  "Tasks waiting across all agents")
      ->capture_default_str();
  cmd->add_option("--max-subscriptions", options->limits.max_subscriptions,
                  "Open streams of all kinds before new ones get RESOURCE_EXHAUSTED")
      ->capture_default_str();
  cmd->add_option("--max-message-bytes", options->max_message_bytes,
                  "Largest gRPC message accepted or sent")
      ->capture_default_str();
  cmd->add_option("--drain-timeout-ms", *drain_ms,
                  "On SIGTERM, how long queued and leased tasks may still flow to connected "
                  "agents and be answered; the requesters of the rest get FAILED results")
      ->capture_default_str();
  cmd->add_option("--task-window", options->service.task_window,
                  "Unsettled tasks one task stream may hold: delivered (or being written) and "
                  "not yet answered by a final result")
      ->capture_default_str();
  auto ack_wait = std::make_shared<std::string>("30s");
  auto result_ttl = std::make_shared<std::string>("1h");
  cmd->add_option("--ack-wait", *ack_wait,
                  "How long a delivered task is leased to its stream: without a result (or a "
                  "progress update, which extends it) by then it is redelivered")
      ->check(PositiveDuration())
      ->capture_default_str();
  cmd->add_option("--max-deliveries", options->limits.max_deliveries,
                  "Delivery attempts per task; after the last the requester gets FAILED "
                  "\"delivery attempts exhausted\" and the task goes to the dead-letter list")
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str();
  cmd->add_option("--max-dead-letters", options->limits.max_dead_letters,
                  "Dead letters kept (GET /admin/dead-letters on the health port); the oldest "
                  "go first")
      ->capture_default_str();
  cmd->add_option("--result-ttl", *result_ttl,
                  "How long a result waits for a requester that is not subscribed")
      ->check(PositiveDuration())
      ->capture_default_str();
  cmd->add_option("--max-waiting-results", options->limits.max_waiting_results,
                  "Results kept for requesters that are not subscribed; the oldest go first")
      ->capture_default_str();
  cmd->add_flag("--per-agent-metrics", options->per_agent_metrics,
                "Label metrics with agent ids (cardinality grows with agents)");
  AddLogFlags(*cmd, *log);
  cmd->footer(
      "Telemetry (standard OpenTelemetry variables):\n"
      "  OTEL_EXPORTER_OTLP_ENDPOINT   where traces, metrics and logs go (default "
      "http://localhost:4317)\n"
      "  OTEL_EXPORTER_OTLP_PROTOCOL   grpc (default), http/protobuf or http/json\n"
      "  OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER, OTEL_LOGS_EXPORTER\n"
      "                                otlp (default), console, none\n"
      "  OTEL_SERVICE_NAME             default agenthub-broker\n"
      "  OTEL_TRACES_SAMPLER(_ARG), OTEL_RESOURCE_ATTRIBUTES, OTEL_PROPAGATORS, OTEL_BSP_*\n"
      "Full list: docs/reference/configuration.md");

  cmd->callback([=] {
    options->drain_timeout = std::chrono::milliseconds(*drain_ms);
    options->limits.ack_wait = ToMillis(*ack_wait);
    options->limits.result_ttl = ToMillis(*result_ttl);
    // Leases are checked by the sweep: keep it well inside the shortest one.
    options->deadline_sweep_interval =
        std::clamp(options->limits.ack_wait / 10, std::chrono::milliseconds(10),
                   std::chrono::milliseconds(100));
    BlockTerminationSignals();  // before any thread starts, so all inherit it
    auto telemetry = StartCommandTelemetry("broker", "agenthub-broker", options->host, *health_port,
                                           *log, exit_code);
    if (!telemetry) return;
    std::string error;
    auto server = broker::BrokerServer::Start(*options, *telemetry, &error);
    if (!server) {
      telemetry->logger().Error("broker failed to start", {{"error", error}});
      *exit_code = 1;
      return;
    }
    const std::string ops =
        telemetry->ops() ? "http://localhost:" + std::to_string(telemetry->ops()->port()) : "";
    telemetry->logger().Info("broker listening",
                             {{"grpc", options->host + ":" + std::to_string(server->port())},
                              {"health", ops.empty() ? "disabled" : ops + "/health"},
                              {"metrics", ops.empty() ? "disabled" : ops + "/metrics"},
                              {"telemetry", telemetry->Describe()},
                              {"version", std::string(kVersion)}});
    const int signal = WaitForTerminationSignal();
    telemetry->logger().Info("shutting down", {{"signal", signal}});
    const broker::DrainReport report = server->Shutdown();
    server.reset();
    telemetry->Shutdown(std::chrono::seconds(5));
    *exit_code = 0;
    (void)report;
  });
}

}  // namespace agenthub::cli
