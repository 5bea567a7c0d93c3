// What a long-running subcommand starts with: its --log-level and
// --log-format flags, ports from the environment, and the process's
// telemetry (runtime::ProcessTelemetry: OTEL_* export, JSON logs, the ops
// endpoint), with "agenthub <command>: why" printed when it cannot start.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/runtime.h"

namespace agenthub::cli {

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
// `default_exporter`: see ProcessTelemetryOptions::default_exporter.
std::unique_ptr<runtime::ProcessTelemetry> StartCommandTelemetry(
    std::string_view command, std::string service_name, const std::string& host, int health_port,
    const LogFlags& log, int* exit_code, std::string default_exporter = "otlp");

}  // namespace agenthub::cli
