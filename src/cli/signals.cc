#include "cli/signals.h"

#include <csignal>
#include <iostream>

namespace agenthub::cli {
namespace {
sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set = TerminationSignals();
  int signal = 0;
  sigwait(&set, &signal);
  return signal;
}

void AddLogFlags(CLI::App& cmd, LogFlags& flags) {
  cmd.add_option("--log-level", flags.level, "debug, info, warn or error (env LOG_LEVEL)");
  cmd.add_option("--log-format", flags.format, "json or text (env LOG_FORMAT)");
}

bool ApplyLogFlags(const LogFlags& flags, runtime::ProcessTelemetryOptions& options) {
  if (!flags.level.empty()) {
    options.log_level = telemetry::ParseLogLevel(flags.level);
    if (!options.log_level) {
      std::cerr << "invalid --log-level '" << flags.level << "' (debug, info, warn, error)\n";
      return false;
    }
  }
  if (!flags.format.empty()) {
    options.log_format = telemetry::ParseLogFormat(flags.format);
    if (!options.log_format) {
      std::cerr << "invalid --log-format '" << flags.format << "' (json, text)\n";
      return false;
    }
  }
  return true;
}

}  // namespace agenthub::cli
