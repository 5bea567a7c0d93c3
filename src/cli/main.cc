// agenthub: one binary, many subcommands (like git or kubectl).
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "AgentHub: a gRPC event broker for autonomous agents, observed end to end with "
      "OpenTelemetry traces, metrics and logs."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  int exit_code = 0;
  agenthub::cli::RegisterBrokerCommand(app, &exit_code);
  agenthub::cli::RegisterCollectorCommands(app, &exit_code);
  agenthub::cli::RegisterDemoCommand(app, &exit_code);
  agenthub::cli::RegisterPublisherCommand(app, &exit_code);
  agenthub::cli::RegisterSubscriberCommand(app, &exit_code);
  agenthub::cli::RegisterVersionCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
