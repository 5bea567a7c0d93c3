// What both demo agents do around their SDK objects: telemetry and the ops
// endpoint for the process, and /ready and /health that follow the broker
// connection (an agent is ready once it is connected).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cli/process/command_telemetry.h"
#include "client/client.h"
#include "runtime/runtime.h"

namespace agenthub::cli {

struct AgentFlags {
  std::string agent_id;
  std::string broker;    // host:port
  int health_port = -1;  // -1: no ops endpoint
  LogFlags log;
};

// Adds --agent-id, --broker, --health-port and the log flags.
// `health_env`: the variable that overrides the default health port.
void AddAgentFlags(CLI::App& cmd, AgentFlags& flags, const std::string& default_id,
                   const char* health_env, int default_health_port);

// ProcessTelemetry for `service_name` with the ops endpoint of `flags`;
// null (after printing why) when it cannot start.
std::unique_ptr<runtime::ProcessTelemetry> StartAgentTelemetry(const std::string& service_name,
                                                               const AgentFlags& flags);

client::ConnectionOptions ConnectionFor(const AgentFlags& flags);

// /ready follows `ready`; /health gains a "broker_connection" check.
void ServeAgentReadiness(runtime::ProcessTelemetry& telemetry, std::function<bool()> ready,
                         std::shared_ptr<client::Connection> connection);

}  // namespace agenthub::cli
