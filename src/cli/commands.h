// Every subcommand of the `agenthub` binary registers itself here; main.cc
// only dispatches. One file per subcommand.
#pragma once

#include <CLI/CLI.hpp>

namespace agenthub::cli {

// Each Register* adds a subcommand to `app`; the subcommand's callback runs
// the command and stores the process exit code in *exit_code.
void RegisterVersionCommand(CLI::App& app, int* exit_code);
void RegisterBrokerCommand(CLI::App& app, int* exit_code);
void RegisterPublisherCommand(CLI::App& app, int* exit_code);
void RegisterSubscriberCommand(CLI::App& app, int* exit_code);
void RegisterDemoCommand(CLI::App& app, int* exit_code);
void RegisterCollectorCommands(CLI::App& app, int* exit_code);  // collector, traces, trace
// `agenthub traces` and `agenthub trace ID` (RegisterCollectorCommands
// registers them beside `agenthub collector`).
void RegisterTracesCommands(CLI::App& app, int* exit_code);

}  // namespace agenthub::cli
