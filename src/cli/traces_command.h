// `agenthub traces` and `agenthub trace ID`, registered with the collector
// command (RegisterCollectorCommands in commands.h).
#pragma once

#include <CLI/CLI.hpp>

namespace agenthub::cli {

void RegisterTracesCommands(CLI::App& app, int* exit_code);

}  // namespace agenthub::cli
