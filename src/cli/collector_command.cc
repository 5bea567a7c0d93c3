// agenthub collector: receive OTLP (gRPC :4317, HTTP :4318), store traces,
// logs and metric points in SQLite, serve the Jaeger-compatible query API
// (:16686), until SIGINT/SIGTERM.
#include <cstdlib>
#include <iostream>

#include "agenthub/version.h"
#include "cli/commands.h"
#include "cli/signals.h"
#include "cli/traces_command.h"
#include "collector/collector.h"

namespace agenthub::cli {
namespace {

// The collector's own telemetry must not flow into itself by default: its
// spans, logs and metrics would otherwise be exported to localhost:4317 —
// to itself — and every export would produce more. /metrics still serves
// its metrics. A user who sets OTEL_*_EXPORTER (say, to send the
// collector's own traces to another backend) is obeyed.
void DefaultOwnExportersToNone() {
  for (const char* name : {"OTEL_TRACES_EXPORTER", "OTEL_LOGS_EXPORTER", "OTEL_METRICS_EXPORTER"}) {
    setenv(name, "none", /*overwrite=*/0);
  }
}

std::string Listen(const std::string& host, int port) {
  return (host == "0.0.0.0" || host.empty() ? "localhost" : host) + ":" + std::to_string(port);
}

void RegisterCollectorCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "collector",
      "Run the AgentHub collector: OTLP receivers (gRPC and HTTP), an embedded SQLite trace "
      "store and a Jaeger-compatible query API. Its own traces, logs and metrics are not "
      "exported unless OTEL_*_EXPORTER says so; /metrics always serves them.");
  auto options = std::make_shared<collector::CollectorOptions>();
  auto health_port = std::make_shared<int>(EnvInt("COLLECTOR_HEALTH_PORT", 8888));
  auto retention = std::make_shared<std::string>("24h");
  auto log = std::make_shared<LogFlags>();
  options->store.path = "./agenthub-traces.db";
  cmd->add_option("--grpc-port,--otlp-grpc-port", options->grpc_port,
                  "OTLP/gRPC port (-1 disables)")
      ->capture_default_str();
  cmd->add_option("--http-port,--otlp-http-port", options->http_port,
                  "OTLP/HTTP port (-1 disables)")
      ->capture_default_str();
  cmd->add_option("--query-port,--ui-port", options->query_port,
                  "Port of the Jaeger-compatible query API (-1 disables)")
      ->capture_default_str();
  cmd->add_option("--host", options->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--db", options->store.path, "SQLite database file, or :memory:")
      ->capture_default_str();
  cmd->add_option("--retention", *retention,
                  "Delete data older than this (Go duration: 24h, 90m; 0 keeps everything)")
      ->capture_default_str();
  cmd->add_option("--max-spans", options->store.max_spans,
                  "Keep at most this many spans, dropping the oldest (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--max-request-bytes", options->max_request_bytes,
                  "Largest OTLP request accepted, after decompression (413 / RESOURCE_EXHAUSTED)")
      ->capture_default_str();
  cmd->add_option("--max-queue-bytes", options->queue.max_bytes,
                  "Requests waiting to be stored before receivers answer 503 / UNAVAILABLE")
      ->capture_default_str();
  auto forward_protocol = std::make_shared<std::string>("grpc");
  cmd->add_option("--forward-otlp", options->forward_endpoint,
                  "Also re-export everything stored to this OTLP endpoint (gRPC: "
                  "http://host:4317; HTTP: the base URL, e.g. http://host:4318)");
  cmd->add_option("--forward-protocol", *forward_protocol,
                  "Protocol of --forward-otlp: grpc, http/protobuf or http/json")
      ->check(CLI::IsMember({"grpc", "http/protobuf", "http/json"}))
      ->capture_default_str();
  cmd->add_option("--health-port", *health_port,
                  "Port of /health, /ready and /metrics (env COLLECTOR_HEALTH_PORT; -1 disables)")
      ->capture_default_str();
  AddLogFlags(*cmd, *log);

  cmd->callback([=] {
    const auto retention_ns = collector::ParseGoDuration(*retention);
    if (!retention_ns || *retention_ns < 0) {
      std::cerr << "agenthub collector: invalid --retention \"" << *retention
                << "\" (use a duration such as 24h or 90m)\n";
      *exit_code = 2;
      return;
    }
    options->store.retention = std::chrono::nanoseconds(*retention_ns);
    options->forward_protocol = *forward_protocol == "grpc" ? telemetry::OtlpProtocol::kGrpc
                                : *forward_protocol == "http/json"
                                    ? telemetry::OtlpProtocol::kHttpJson
                                    : telemetry::OtlpProtocol::kHttpProtobuf;
    DefaultOwnExportersToNone();
    BlockTerminationSignals();  // before any thread starts, so all inherit it
    auto telemetry = StartCommandTelemetry("collector", "agenthub-collector", options->host,
                                           *health_port, *log, exit_code);
    if (!telemetry) return;
    std::string error;
    auto server = collector::CollectorServer::Start(*options, telemetry.get(), &error);
    if (!server) {
      telemetry->logger().Error("collector failed to start", {{"error", error}});
      std::cerr << "agenthub collector: " << error << "\n";
      *exit_code = 1;
      return;
    }
    const std::string& host = options->host;
    std::cout << "agenthub collector " << kVersion << "\n";
    if (server->grpc_port() >= 0) {
      std::cout << "  OTLP/gRPC   " << Listen(host, server->grpc_port()) << "\n";
    }
    if (server->http_port() >= 0) {
      std::cout << "  OTLP/HTTP   http://" << Listen(host, server->http_port())
                << "/v1/{traces,metrics,logs}\n";
    }
    if (server->query_port() >= 0) {
      std::cout << "  trace UI    http://" << Listen(host, server->query_port()) << "/\n";
      std::cout << "  query API   http://" << Listen(host, server->query_port())
                << "/api/traces?service=...\n";
    }
    std::cout << "  store       " << options->store.path << " (retention " << *retention
              << ", max spans "
              << (options->store.max_spans > 0 ? std::to_string(options->store.max_spans)
                                               : "unlimited")
              << ")\n";
    if (!options->forward_endpoint.empty()) {
      std::cout << "  forwarding  " << *forward_protocol << " " << options->forward_endpoint
                << "\n";
    }
    if (telemetry->ops()) {
      std::cout << "  ops         http://" << Listen(host, telemetry->ops()->port())
                << "/{metrics,health,ready}\n";
    }
    std::cout << std::flush;
    telemetry->logger().Info("collector listening", {{"otlp_grpc_port", server->grpc_port()},
                                                     {"otlp_http_port", server->http_port()},
                                                     {"query_port", server->query_port()},
                                                     {"db", options->store.path},
                                                     {"telemetry", telemetry->Describe()},
                                                     {"version", std::string(kVersion)}});
    const int signal = WaitForTerminationSignal();
    telemetry->logger().Info("shutting down", {{"signal", signal}});
    server->Shutdown();
    server.reset();
    telemetry->Shutdown(std::chrono::seconds(5));
    *exit_code = 0;
  });
}

}  // namespace

void RegisterCollectorCommands(CLI::App& app, int* exit_code) {
  RegisterCollectorCommand(app, exit_code);
  RegisterTracesCommands(app, exit_code);
}

}  // namespace agenthub::cli
