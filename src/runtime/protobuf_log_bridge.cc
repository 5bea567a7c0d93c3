#include "runtime/protobuf_log_bridge.h"

#include <google/protobuf/stubs/logging.h>

#include "telemetry/telemetry.h"

namespace agenthub::runtime {
namespace {

void ToDefaultLogger(google::protobuf::LogLevel level, const char* file, int line,
                     const std::string& message) {
  using telemetry::LogLevel;
  // Everything protobuf logs at run time is about input it was handed (or
  // a programming error, which its FATAL path reports before aborting).
  const LogLevel ours = level == google::protobuf::LOGLEVEL_INFO    ? LogLevel::kInfo
                        : level == google::protobuf::LOGLEVEL_FATAL ? LogLevel::kError
                                                                    : LogLevel::kWarn;
  telemetry::DefaultLogger().Log(
      ours, message,
      {{"component", "protobuf"}, {"code.filepath", file}, {"code.lineno", int64_t{line}}});
}

}  // namespace

void InstallProtobufLogBridge() { google::protobuf::SetLogHandler(&ToDefaultLogger); }

}  // namespace agenthub::runtime
