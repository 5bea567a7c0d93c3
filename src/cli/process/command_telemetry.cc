#include "cli/process/command_telemetry.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "agenthub/version.h"

namespace agenthub::cli {

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

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  int value = 0;
  const char* end = v + std::strlen(v);
  auto [ptr, ec] = std::from_chars(v, end, value);
  if (ec != std::errc() || ptr != end) {
    std::cerr << "ignoring " << name << "=\"" << v << "\": not a whole number\n";
    return fallback;
  }
  return value;
}

std::unique_ptr<runtime::ProcessTelemetry> StartCommandTelemetry(
    std::string_view command, std::string service_name, const std::string& host, int health_port,
    const LogFlags& log, int* exit_code, std::string default_exporter) {
  runtime::ProcessTelemetryOptions options;
  options.default_exporter = std::move(default_exporter);
  options.service_name = std::move(service_name);
  options.service_version = kVersion;
  if (health_port >= 0) options.ops_port = health_port;
  if (!host.empty()) options.ops_host = host;
  if (!ApplyLogFlags(log, options)) {
    *exit_code = 2;
    return nullptr;
  }
  std::string error;
  auto telemetry = runtime::ProcessTelemetry::Start(options, &error);
  if (!telemetry) {
    std::cerr << "agenthub " << command << ": " << error << "\n";
    *exit_code = 1;
  }
  return telemetry;
}

}  // namespace agenthub::cli
