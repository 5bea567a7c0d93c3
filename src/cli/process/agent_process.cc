#include "cli/process/agent_process.h"

namespace agenthub::cli {

void AddAgentFlags(CLI::App& cmd, AgentFlags& flags, const std::string& default_id,
                   const char* health_env, int default_health_port) {
  flags.agent_id = default_id;
  flags.broker = client::ConnectionOptions::FromEnvironment().broker_address;
  flags.health_port = EnvInt(health_env, default_health_port);
  cmd.add_option("--agent-id", flags.agent_id, "This agent's id")->capture_default_str();
  cmd.add_option("--broker", flags.broker, "Broker address host:port (env AGENTHUB_BROKER_ADDR)")
      ->capture_default_str();
  cmd.add_option(
         "--health-port", flags.health_port,
         std::string("Port of /health, /ready and /metrics (env ") + health_env + "; -1 disables)")
      ->capture_default_str();
  AddLogFlags(cmd, flags.log);
}

std::unique_ptr<runtime::ProcessTelemetry> StartAgentTelemetry(const std::string& service_name,
                                                               const AgentFlags& flags) {
  // Callers choose their own exit code when this fails.
  int ignored_exit_code = 0;
  return StartCommandTelemetry(service_name, service_name, /*host=*/"", flags.health_port,
                               flags.log, &ignored_exit_code);
}

client::ConnectionOptions ConnectionFor(const AgentFlags& flags) {
  client::ConnectionOptions options = client::ConnectionOptions::FromEnvironment();
  options.broker_address = flags.broker;
  return options;
}

void ServeAgentReadiness(runtime::ProcessTelemetry& telemetry, std::function<bool()> ready,
                         std::shared_ptr<client::Connection> connection) {
  auto* ops = telemetry.ops();
  if (!ops) return;
  const std::string address = connection->options().broker_address;
  ops->SetReadinessCallback([ready, address] {
    return ready() ? ops::Readiness::Ready()
                   : ops::Readiness::NotReady("not connected to the broker at " + address);
  });
  ops->AddCheck("broker_connection", [connection, address] {
    return connection->IsConnected()
               ? ops::CheckResult::Healthy("connected to " + address)
               : ops::CheckResult::Unhealthy("not connected to the broker at " + address);
  });
}

}  // namespace agenthub::cli
