// Shared pieces of long-running subcommands: termination signals, the
// --log-level / --log-format flags, and starting the process's telemetry.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>

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

// An integer from the environment (a port, say): `fallback` when unset;
// a value that is not a whole number is reported on stderr and ignored.
int EnvInt(const char* name, int fallback);

// The telemetry a long-running command starts with: service name and
// version, the ops endpoint's address and port (-1: none), log flags. Null, with *exit_code set
// and the reason printed as "agenthub <command>: ...", when it cannot start.
std::unique_ptr<runtime::ProcessTelemetry> StartCommandTelemetry(
    std::string_view command, std::string service_name, const std::string& host, int health_port,
    const LogFlags& log, int* exit_code);

}  // namespace agenthub::cli
