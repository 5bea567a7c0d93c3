// agenthub subscriber: the demo agent that handles greeting,
// math_calculation and random_number tasks until SIGINT/SIGTERM, then
// finishes the tasks it holds before exiting.
#include <iostream>

#include "agents/agents.h"
#include "cli/commands.h"
#include "cli/process/agent_process.h"
#include "cli/process/signals.h"

namespace agenthub::cli {

void RegisterSubscriberCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "subscriber",
      "Run the demo subscriber agent: handles greeting, math_calculation and random_number "
      "tasks (anything else fails with \"unknown task type\"), reporting progress and tracing "
      "every task.");
  auto flags = std::make_shared<AgentFlags>();
  auto concurrency = std::make_shared<int>(4);
  AddAgentFlags(*cmd, *flags, "agent_demo_subscriber", "SUBSCRIBER_HEALTH_PORT", 8082);
  cmd->add_option("--concurrency", *concurrency, "Tasks handled at once")->capture_default_str();

  cmd->callback([=] {
    BlockTerminationSignals();  // before any thread starts, so all inherit it
    auto telemetry = StartAgentTelemetry("agenthub-subscriber", *flags);
    if (!telemetry) {
      *exit_code = 1;
      return;
    }
    auto connection = client::Connection::Create(ConnectionFor(*flags));
    client::ClientTelemetry sdk_telemetry = client::ClientTelemetry::FromGlobals();
    sdk_telemetry.logger = &telemetry->logger();
    client::SubscriberOptions options;
    options.agent_id = flags->agent_id;
    options.max_concurrent_tasks = *concurrency;
    auto subscriber = std::make_unique<client::Subscriber>(connection, options, sdk_telemetry);
    agents::RegisterDemoHandlers(*subscriber);
    client::Subscriber* raw = subscriber.get();
    ServeAgentReadiness(
        *telemetry, [raw] { return raw->IsReady(); }, connection);
    // Start does not require the broker to be up: the stream keeps trying.
    subscriber->Start(std::chrono::seconds(0));
    telemetry->logger().Info("subscriber started", {{"agent_id", flags->agent_id},
                                                    {"broker", flags->broker},
                                                    {"telemetry", telemetry->Describe()}});
    const int signal = WaitForTerminationSignal();
    telemetry->logger().Info("shutting down: finishing tasks in hand", {{"signal", signal}});
    const bool drained = subscriber->Stop();
    subscriber.reset();
    connection->Close();
    telemetry->Shutdown(std::chrono::seconds(5));
    *exit_code = drained ? 0 : 1;
  });
}

}  // namespace agenthub::cli
