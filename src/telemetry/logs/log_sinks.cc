#include "telemetry/logs/log_sinks.h"

#include <spdlog/details/file_helper.h>
#include <spdlog/formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <exception>
#include <mutex>
#include <ostream>

namespace agenthub::telemetry {
namespace {

// The Logger hands sinks complete lines (newline included), so formatting
// is a copy.
class RawLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    dest.append(msg.payload.data(), msg.payload.data() + msg.payload.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<RawLineFormatter>();
  }
};

// spdlog's basic_file_sink leaves lines in stdio's buffer until it fills;
// this one flushes each line, so `tail -f` and post-crash reads see it.
class LineFlushingFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit LineFlushingFileSink(const std::string& path) { file_.open(path, /*truncate=*/false); }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    file_.write(formatted);
    file_.flush();
  }
  void flush_() override { file_.flush(); }

 private:
  spdlog::details::file_helper file_;
};

LogSinkPtr WithRawLines(LogSinkPtr sink) {
  internal::UseRawLines(*sink);
  return sink;
}

}  // namespace

namespace internal {
void UseRawLines(spdlog::sinks::sink& sink) {
  sink.set_formatter(std::make_unique<RawLineFormatter>());
}
}  // namespace internal

LogSinkPtr MakeStderrSink() {
  return WithRawLines(std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

LogSinkPtr MakeStdoutSink() {
  return WithRawLines(std::make_shared<spdlog::sinks::stdout_sink_mt>());
}

LogSinkPtr MakeFileSink(const std::string& path, std::string* error) {
  try {
    return WithRawLines(std::make_shared<LineFlushingFileSink>(path));
  } catch (const std::exception& e) {
    if (error != nullptr) *error = e.what();
    return nullptr;
  }
}

LogSinkPtr MakeNullSink() { return WithRawLines(std::make_shared<spdlog::sinks::null_sink_mt>()); }

LogSinkPtr MakeOstreamSink(std::ostream& out) {
  return WithRawLines(std::make_shared<spdlog::sinks::ostream_sink_mt>(out, /*force_flush=*/true));
}

}  // namespace agenthub::telemetry
