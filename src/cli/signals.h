// Shared pieces of long-running subcommands: termination signals and the
// --log-level / --log-format flags.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "runtime/process_telemetry.h"

namespace agenthub::cli {

// Blocks SIGINT and SIGTERM in the calling thread (and threads started
// later), so WaitForTerminationSignal can receive them synchronously.
void BlockTerminationSignals();
// Waits for SIGINT or SIGTERM; returns its number.
int WaitForTerminationSignal();

struct LogFlags {
  std::string level;   // empty: LOG_LEVEL or info
  std::string format;  // empty: LOG_FORMAT or json
};
void AddLogFlags(CLI::App& cmd, LogFlags& flags);
// Copies valid flags into `options`; prints an error and returns false for
// an invalid value.
bool ApplyLogFlags(const LogFlags& flags, runtime::ProcessTelemetryOptions& options);

}  // namespace agenthub::cli
