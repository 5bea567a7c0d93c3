// agenthub publisher: the demo agent that publishes tasks (the four demo
// tasks, or what --type/--param/--count describe), waits for each result
// and prints one line per task. Exits 1 when a result does not arrive in
// time or a task cannot be published.
#include <iostream>

#include "agents/agents.h"
#include "cli/commands.h"
#include "cli/outcome_line.h"
#include "cli/process/agent_process.h"
#include "cli/process/command_telemetry.h"
#include "cli/process/signals.h"
#include "cli/task_flags.h"

namespace agenthub::cli {
namespace {

struct PublisherFlags {
  std::string responder = "agent_demo_subscriber";
  std::string type;
  std::vector<std::string> params;
  std::vector<std::string> baggage;
  int count = 1;
  double timeout_seconds = 30;
  bool stay = false;
};

// The tasks to send, or false (with *error) for malformed flags.
bool TasksFrom(const PublisherFlags& f, std::vector<client::TaskRequest>* tasks,
               std::string* error) {
  std::vector<std::pair<std::string, std::string>> baggage;
  for (const auto& text : f.baggage) {
    std::pair<std::string, std::string> kv;
    if (!ParseKeyValue(text, &kv, error)) return false;
    baggage.push_back(kv);
  }
  if (f.type.empty()) {
    if (!f.params.empty()) {
      *error = "--param needs --type";
      return false;
    }
    *tasks = agents::DemoTasks(f.responder);
  } else {
    client::TaskRequest request;
    request.task_type = f.type;
    request.responder_agent_id = f.responder;
    for (const auto& text : f.params) {
      std::pair<std::string, std::string> kv;
      if (!ParseKeyValue(text, &kv, error)) return false;
      SetParam(request.parameters, kv.first, kv.second);
    }
    tasks->assign(static_cast<size_t>(std::max(1, f.count)), request);
  }
  for (auto& t : *tasks) {
    t.baggage = baggage;
    t.result_timeout = std::chrono::milliseconds(static_cast<int64_t>(f.timeout_seconds * 1000));
  }
  return true;
}

}  // namespace

void RegisterPublisherCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "publisher",
      "Run the demo publisher agent: publish tasks, wait for each result and print one line per "
      "task (id, type, status, end-to-end time, trace id, result).");
  auto flags = std::make_shared<AgentFlags>();
  auto f = std::make_shared<PublisherFlags>();
  AddAgentFlags(*cmd, *flags, "agent_demo_publisher", "PUBLISHER_HEALTH_PORT", 8081);
  cmd->add_option("--responder", f->responder,
                  "Agent that should handle the tasks (empty: any subscribed agent)")
      ->capture_default_str();
  cmd->add_option("--type", f->type, "Task type to publish (default: the four demo tasks)");
  cmd->add_option("--param", f->params, "Task parameter key=value (repeatable)");
  cmd->add_option("--count", f->count, "How many tasks of --type")->capture_default_str();
  cmd->add_option("--baggage", f->baggage,
                  "Baggage key=value sent with every task, e.g. user.tier=premium (repeatable)");
  cmd->add_option("--timeout", f->timeout_seconds, "Seconds to wait for each result")
      ->capture_default_str();
  cmd->add_flag("--stay", f->stay,
                "After the last task, keep running (serving /metrics) until SIGINT/SIGTERM; "
                "`agenthub demo --keep` uses it");

  cmd->callback([=] {
    std::vector<client::TaskRequest> tasks;
    std::string error;
    if (!TasksFrom(*f, &tasks, &error)) {
      std::cerr << "agenthub publisher: " << error << "\n";
      *exit_code = 2;
      return;
    }
    // Only a staying publisher waits for signals; otherwise Ctrl-C must
    // still end it the default way while it waits for results.
    if (f->stay) BlockTerminationSignals();  // before any thread starts
    auto telemetry = StartAgentTelemetry("agenthub-publisher", *flags);
    if (!telemetry) {
      *exit_code = 1;
      return;
    }
    auto connection = client::Connection::Create(ConnectionFor(*flags));
    client::ClientTelemetry sdk_telemetry = client::ClientTelemetry::FromGlobals();
    sdk_telemetry.logger = &telemetry->logger();
    client::PublisherOptions options;
    options.agent_id = flags->agent_id;
    auto publisher = std::make_unique<client::Publisher>(connection, options, sdk_telemetry);
    client::Publisher* raw = publisher.get();
    ServeAgentReadiness(
        *telemetry, [raw] { return raw->IsReady(); }, connection);
    const auto wait = std::chrono::milliseconds(static_cast<int64_t>(f->timeout_seconds * 1000));
    int failures = 0;
    if (!publisher->Start(wait)) {
      std::cerr << "agenthub publisher: no connection to the broker at " << flags->broker
                << " within " << f->timeout_seconds << " s\n";
      failures = 1;
    }
    for (size_t i = 0; failures == 0 && i < tasks.size(); ++i) {
      const std::string type = tasks[i].task_type;
      const client::TaskOutcome outcome = publisher->Publish(std::move(tasks[i])).get();
      std::cout << OutcomeLine(type, outcome) << std::endl;
      if (outcome.kind != client::TaskOutcome::Kind::kResult) ++failures;
    }
    if (f->stay) {
      telemetry->logger().Info("tasks done; staying until SIGINT/SIGTERM",
                               {{"failures", failures}});
      WaitForTerminationSignal();
    }
    publisher.reset();
    connection->Close();
    telemetry->Shutdown(std::chrono::seconds(5));
    *exit_code = failures == 0 ? 0 : 1;
  });
}

}  // namespace agenthub::cli
