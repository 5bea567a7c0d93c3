// Logger: structured, leveled logging correlated with traces.
//
// Each call writes one line (JSON by default, see log_line.h) to the
// logger's sinks, carrying trace_id/span_id of the valid span in the given
// context, or in Context::Current() when no context is passed. When a
// LogRecordProcessor is attached, the same record also goes to it as an
// OpenTelemetry LogRecordData (OTLP log export).
//
//   Logger log(LoggerOptions::FromEnvironment("agenthub-broker"));
//   log.Info("task routed", {{"task_id", id}, {"attempt", 2}});
//   log.Warn(ctx, "queue full", {{"agent", agent}});
//
// A call below the logger's level returns after one relaxed atomic load,
// before anything is formatted. Calls are thread-safe and never throw; a
// line a sink fails to write is counted in stats().write_errors.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/common/attribute.h"
#include "telemetry/common/sharded_counter.h"
#include "telemetry/logs/log_level.h"
#include "telemetry/logs/log_line.h"
#include "telemetry/logs/log_rate_limiter.h"
#include "telemetry/logs/log_record_processor.h"
#include "telemetry/logs/log_sinks.h"
#include "telemetry/resource/resource.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

class Context;

struct LoggerOptions {
  std::string service_name = "agenthub";  // the "service" field of every line
  LogLevel level = LogLevel::kInfo;
  LogFormat format = LogFormat::kJson;
  std::vector<LogSinkPtr> sinks;  // empty: stderr; null entries are skipped
  // Receives every emitted record (e.g. a BatchLogRecordProcessor with an
  // OTLP exporter); may be shared with other loggers. Optional.
  std::shared_ptr<LogRecordProcessor> processor;
  // Attached to exported records; null gives Resource::Create(service_name).
  std::shared_ptr<const Resource> resource;
  InstrumentationScope scope{"agenthub", "", ""};
  // Lines per second per message template (see log_rate_limiter.h); past
  // it, lines are counted and reported in one "suppressed K similar" line.
  // 0: no limit.
  uint32_t lines_per_second_per_message = kDefaultLogLinesPerSecond;

  // Level from LOG_LEVEL, format from LOG_FORMAT and the rate limit from
  // LOG_RATE_LIMIT (invalid values warn and give info / json / the
  // default); everything else as above.
  static LoggerOptions FromEnvironment(std::string service_name);
};

// Counters for logs_total{level} and lost records, read by the metrics layer.
struct LogStats {
  std::array<uint64_t, 4> emitted{};  // indexed by LogLevel; below-level calls excluded
  uint64_t write_errors = 0;          // lines a sink failed to write
  uint64_t export_dropped = 0;        // records the processor dropped (queue full)
  uint64_t suppressed = 0;            // lines the rate limit held back (reported in summaries)

  uint64_t total(LogLevel level) const { return emitted[static_cast<size_t>(level)]; }
  uint64_t dropped() const { return write_errors + export_dropped; }
};

class Logger {
 public:
  explicit Logger(LoggerOptions options = {});
  // Flushes the sinks. The processor is not shut down: it may be shared.
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  bool Enabled(LogLevel level) const {
    return static_cast<uint8_t>(level) >= level_.load(std::memory_order_relaxed);
  }
  void SetLevel(LogLevel level) {
    level_.store(static_cast<uint8_t>(level), std::memory_order_relaxed);
  }
  LogLevel level() const { return static_cast<LogLevel>(level_.load(std::memory_order_relaxed)); }

  // Trace context from Context::Current().
  void Log(LogLevel level, std::string_view msg, Attributes attrs = {}) {
    if (Enabled(level)) EmitWithCurrentContext(level, msg, std::move(attrs));
  }
  void Debug(std::string_view msg, Attributes attrs = {}) {
    Log(LogLevel::kDebug, msg, std::move(attrs));
  }
  void Info(std::string_view msg, Attributes attrs = {}) {
    Log(LogLevel::kInfo, msg, std::move(attrs));
  }
  void Warn(std::string_view msg, Attributes attrs = {}) {
    Log(LogLevel::kWarn, msg, std::move(attrs));
  }
  void Error(std::string_view msg, Attributes attrs = {}) {
    Log(LogLevel::kError, msg, std::move(attrs));
  }

  // Trace context from `context` (for work that carries its context
  // explicitly, such as a callback on another thread).
  void Log(LogLevel level, const Context& context, std::string_view msg, Attributes attrs = {}) {
    if (Enabled(level)) Emit(level, context, msg, std::move(attrs));
  }
  void Debug(const Context& context, std::string_view msg, Attributes attrs = {}) {
    Log(LogLevel::kDebug, context, msg, std::move(attrs));
  }
  void Info(const Context& context, std::string_view msg, Attributes attrs = {}) {
    Log(LogLevel::kInfo, context, msg, std::move(attrs));
  }
  void Warn(const Context& context, std::string_view msg, Attributes attrs = {}) {
    Log(LogLevel::kWarn, context, msg, std::move(attrs));
  }
  void Error(const Context& context, std::string_view msg, Attributes attrs = {}) {
    Log(LogLevel::kError, context, msg, std::move(attrs));
  }

  // Reports every count the rate limit still holds, then pushes what the
  // sinks buffer to the OS (our sinks buffer nothing; other spdlog sinks
  // may).
  void Flush();

  LogStats stats() const;
  const std::string& service_name() const { return service_name_; }
  LogFormat format() const { return formatter_.format(); }
  const std::shared_ptr<LogRecordProcessor>& processor() const { return processor_; }

 private:
  void EmitWithCurrentContext(LogLevel level, std::string_view msg, Attributes&& attrs);
  void Emit(LogLevel level, const Context& context, std::string_view msg, Attributes&& attrs);
  // Emit past the rate limit.
  void Write(LogLevel level, Timestamp now, const SpanContext& span, std::string_view msg,
             Attributes&& attrs);
  void ReportSuppressed(LogLevel level, std::string_view msg, uint64_t count, Timestamp now);
  void ReportSuppressed(std::vector<LogRateLimiter::Suppressed> counts, Timestamp now);
  void WriteLine(LogLevel level, Timestamp time, std::string_view line);
  void Export(LogLevel level, Timestamp time, const SpanContext& span, std::string_view msg,
              Attributes&& attrs);

  std::atomic<uint8_t> level_;
  const std::string service_name_;
  const internal::LogLineFormatter formatter_;  // built once: escapes the service name once
  const std::vector<LogSinkPtr> sinks_;
  const std::shared_ptr<LogRecordProcessor> processor_;
  const std::shared_ptr<const Resource> resource_;           // for exported records
  const std::shared_ptr<const InstrumentationScope> scope_;  // for exported records
  std::array<ShardedCounter, 4> emitted_;                    // logs_total by level, contention-free
  ShardedCounter write_errors_;
  ShardedCounter suppressed_;
  const std::unique_ptr<LogRateLimiter> limiter_;  // null: no rate limit
};

}  // namespace agenthub::telemetry
