// agenthub collector: receive OTLP (gRPC :4317, HTTP :4318), store traces,
// logs and metric points in SQLite, serve the Jaeger-compatible query API
// (:16686), until SIGINT/SIGTERM.
#include <iostream>

#include "agenthub/version.h"
#include "cli/commands.h"
#include "cli/process/command_telemetry.h"
#include "cli/process/signals.h"
#include "collector/collector.h"

namespace agenthub::cli {
namespace {

struct CollectorFlags {
  collector::CollectorOptions options;
  int health_port = EnvInt("COLLECTOR_HEALTH_PORT", 8888);
  std::string retention = "24h";
  std::string forward_protocol = "grpc";
  LogFlags log;
};

std::string Listen(const std::string& host, int port) {
  return (host == "0.0.0.0" || host.empty() ? "localhost" : host) + ":" + std::to_string(port);
}

void AddCollectorFlags(CLI::App& cmd, CollectorFlags& f) {
  collector::CollectorOptions& o = f.options;
  o.store.path = "./agenthub-traces.db";
  cmd.add_option("--grpc-port,--otlp-grpc-port", o.grpc_port, "OTLP/gRPC port (-1 disables)")
      ->capture_default_str();
  cmd.add_option("--http-port,--otlp-http-port", o.http_port, "OTLP/HTTP port (-1 disables)")
      ->capture_default_str();
  cmd.add_option("--query-port,--ui-port", o.query_port,
                 "Port of the Jaeger-compatible query API (-1 disables)")
      ->capture_default_str();
  cmd.add_option("--host", o.host, "Address to listen on")->capture_default_str();
  cmd.add_option("--db", o.store.path, "SQLite database file, or :memory:")->capture_default_str();
  cmd.add_option("--retention", f.retention,
                 "Delete data older than this (Go duration: 24h, 90m; 0 keeps everything)")
      ->capture_default_str();
  cmd.add_option("--max-spans", o.store.max_spans,
                 "Keep at most this many spans, dropping the oldest (0: no limit)")
      ->capture_default_str();
  cmd.add_option("--max-request-bytes", o.max_request_bytes,
                 "Largest OTLP request accepted, after decompression (413 / RESOURCE_EXHAUSTED)")
      ->capture_default_str();
  cmd.add_option("--max-queue-bytes", o.queue.max_bytes,
                 "Requests waiting to be stored before receivers answer 503 / UNAVAILABLE")
      ->capture_default_str();
  cmd.add_option("--forward-otlp", o.forward_endpoint,
                 "Also re-export everything stored to this OTLP endpoint (gRPC: "
                 "http://host:4317; HTTP: the base URL, e.g. http://host:4318)");
  cmd.add_option("--forward-protocol", f.forward_protocol,
                 "Protocol of --forward-otlp: grpc, http/protobuf or http/json")
      ->check(CLI::IsMember({"grpc", "http/protobuf", "http/json"}))
      ->capture_default_str();
  cmd.add_option("--health-port", f.health_port,
                 "Port of /health, /ready and /metrics (env COLLECTOR_HEALTH_PORT; -1 disables)")
      ->capture_default_str();
  AddLogFlags(cmd, f.log);
}

// Turns the flags that need reading into options; false (after printing
// why) for an invalid one.
bool ResolveFlags(CollectorFlags& f) {
  const auto retention_ns = telemetry::ParseGoDuration(f.retention);
  if (!retention_ns || *retention_ns < 0) {
    std::cerr << "agenthub collector: invalid --retention \"" << f.retention
              << "\" (use a duration such as 24h or 90m)\n";
    return false;
  }
  f.options.store.retention = std::chrono::nanoseconds(*retention_ns);
  f.options.forward_protocol = f.forward_protocol == "grpc" ? telemetry::OtlpProtocol::kGrpc
                               : f.forward_protocol == "http/json"
                                   ? telemetry::OtlpProtocol::kHttpJson
                                   : telemetry::OtlpProtocol::kHttpProtobuf;
  return true;
}

// Where to look: every port and URL the collector serves.
void PrintWhereToLook(const CollectorFlags& f, collector::CollectorServer& server,
                      runtime::ProcessTelemetry& telemetry) {
  const std::string& host = f.options.host;
  std::cout << "agenthub collector " << kVersion << "\n";
  if (server.grpc_port() >= 0) {
    std::cout << "  OTLP/gRPC   " << Listen(host, server.grpc_port()) << "\n";
  }
  if (server.http_port() >= 0) {
    std::cout << "  OTLP/HTTP   http://" << Listen(host, server.http_port())
              << "/v1/{traces,metrics,logs}\n";
  }
  if (server.query_port() >= 0) {
    std::cout << "  trace UI    http://" << Listen(host, server.query_port()) << "/\n";
    std::cout << "  query API   http://" << Listen(host, server.query_port())
              << "/api/traces?service=...\n";
  }
  const auto& store = f.options.store;
  std::cout << "  store       " << store.path << " (retention " << f.retention << ", max spans "
            << (store.max_spans > 0 ? std::to_string(store.max_spans) : "unlimited") << ")\n";
  if (!f.options.forward_endpoint.empty()) {
    std::cout << "  forwarding  " << f.forward_protocol << " " << f.options.forward_endpoint
              << "\n";
  }
  if (telemetry.ops()) {
    std::cout << "  ops         http://" << Listen(host, telemetry.ops()->port())
              << "/{metrics,health,ready}\n";
  }
  std::cout << std::flush;
}

int RunCollector(CollectorFlags& f) {
  if (!ResolveFlags(f)) return 2;
  BlockTerminationSignals();  // before any thread starts, so all inherit it
  // The collector's own spans, logs and metrics are not exported unless an
  // OTEL_*_EXPORTER says so: by default they would go to localhost:4317, to
  // itself, and every export would produce more. /metrics still serves them.
  int exit_code = 0;
  auto telemetry = StartCommandTelemetry("collector", "agenthub-collector", f.options.host,
                                         f.health_port, f.log, &exit_code, "none");
  if (!telemetry) return exit_code;
  std::string error;
  auto server = collector::CollectorServer::Start(f.options, telemetry.get(), &error);
  if (!server) {
    telemetry->logger().Error("collector failed to start", {{"error", error}});
    std::cerr << "agenthub collector: " << error << "\n";
    return 1;
  }
  PrintWhereToLook(f, *server, *telemetry);
  telemetry->logger().Info("collector listening", {{"otlp_grpc_port", server->grpc_port()},
                                                   {"otlp_http_port", server->http_port()},
                                                   {"query_port", server->query_port()},
                                                   {"db", f.options.store.path},
                                                   {"telemetry", telemetry->Describe()},
                                                   {"version", std::string(kVersion)}});
  const int signal = WaitForTerminationSignal();
  telemetry->logger().Info("shutting down", {{"signal", signal}});
  server->Shutdown();
  server.reset();
  telemetry->Shutdown(std::chrono::seconds(5));
  return 0;
}

void RegisterCollectorCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "collector",
      "Run the AgentHub collector: OTLP receivers (gRPC and HTTP), an embedded SQLite trace "
      "store and a Jaeger-compatible query API. Its own traces, logs and metrics are not "
      "exported unless OTEL_*_EXPORTER says so; /metrics always serves them.");
  auto flags = std::make_shared<CollectorFlags>();
  AddCollectorFlags(*cmd, *flags);
  cmd->callback([=] { *exit_code = RunCollector(*flags); });
}

}  // namespace

void RegisterCollectorCommands(CLI::App& app, int* exit_code) {
  RegisterCollectorCommand(app, exit_code);
  RegisterTracesCommands(app, exit_code);
}

}  // namespace agenthub::cli
