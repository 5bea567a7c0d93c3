#include "telemetry/logs/logger.h"

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/sink.h>

#include <exception>

#include "telemetry/context/context.h"

namespace agenthub::telemetry {
namespace {

// One formatting buffer per thread, reused so a steady stream of lines
// allocates nothing. `in_use` catches the rare re-entrant call (a sink or
// processor that logs while we write), which then gets a buffer of its own.
struct LineBuffer {
  std::string text;
  bool in_use = false;
};

// A buffer that once held a huge line is not kept at that size forever.
constexpr size_t kMaxRetainedCapacity = 64 * 1024;

LineBuffer& ThreadLineBuffer() {
  thread_local LineBuffer buffer;
  return buffer;
}

class ClaimedBuffer {
 public:
  ClaimedBuffer() : shared_(ThreadLineBuffer()), claimed_(!shared_.in_use) {
    if (claimed_) shared_.in_use = true;
    text().clear();
  }
  ~ClaimedBuffer() {
    if (!claimed_) return;
    if (shared_.text.capacity() > kMaxRetainedCapacity) std::string().swap(shared_.text);
    shared_.in_use = false;
  }
  ClaimedBuffer(const ClaimedBuffer&) = delete;
  ClaimedBuffer& operator=(const ClaimedBuffer&) = delete;

  std::string& text() { return claimed_ ? shared_.text : local_; }

 private:
  LineBuffer& shared_;
  const bool claimed_;
  std::string local_;
};

spdlog::level::level_enum ToSpdlogLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::vector<LogSinkPtr> UsableSinks(std::vector<LogSinkPtr> sinks) {
  std::vector<LogSinkPtr> usable;
  for (auto& sink : sinks) {
    if (!sink) continue;
    internal::UseRawLines(*sink);
    usable.push_back(std::move(sink));
  }
  if (usable.empty()) usable.push_back(MakeStderrSink());
  return usable;
}

std::shared_ptr<const Resource> ResourceFor(const LoggerOptions& options) {
  if (options.resource) return options.resource;
  // Only exported records carry a resource; skip the host lookups otherwise.
  if (!options.processor) return nullptr;
  return std::make_shared<const Resource>(Resource::Create(options.service_name));
}

}  // namespace

LoggerOptions LoggerOptions::FromEnvironment(std::string service_name) {
  LoggerOptions options;
  options.service_name = std::move(service_name);
  options.level = LogLevelFromEnvironment();
  options.format = LogFormatFromEnvironment();
  options.lines_per_second_per_message = LogRateLimitFromEnvironment();
  return options;
}

Logger::Logger(LoggerOptions options)
    : level_(static_cast<uint8_t>(options.level)),
      service_name_(options.service_name),
      formatter_(options.format, options.service_name),
      sinks_(UsableSinks(std::move(options.sinks))),
      processor_(std::move(options.processor)),
      resource_(ResourceFor(options)),
      scope_(std::make_shared<const InstrumentationScope>(std::move(options.scope))),
      limiter_(options.lines_per_second_per_message == 0
                   ? nullptr
                   : std::make_unique<LogRateLimiter>(options.lines_per_second_per_message)) {}

Logger::~Logger() { Flush(); }

void Logger::Flush() {
  if (limiter_) ReportSuppressed(limiter_->TakeAll(), Now());
  for (const auto& sink : sinks_) {
    try {
      sink->flush();
    } catch (const std::exception&) {
      write_errors_.Add();
    }
  }
}

void Logger::EmitWithCurrentContext(LogLevel level, std::string_view msg, Attributes&& attrs) {
  Emit(level, Context::CurrentRef(), msg, std::move(attrs));
}

void Logger::Emit(LogLevel level, const Context& context, std::string_view msg,
                  Attributes&& attrs) {
  const Timestamp now = Now();
  if (limiter_) {
    uint64_t owed;
    const bool admitted = limiter_->Admit(level, msg, now, &owed);
    if (owed > 0) ReportSuppressed(level, msg, owed, now);
    ReportSuppressed(limiter_->TakeEnded(now), now);
    if (!admitted) {
      suppressed_.Add();
      return;
    }
  }
  Write(level, now, context.span().context(), msg, std::move(attrs));
}

void Logger::ReportSuppressed(LogLevel level, std::string_view msg, uint64_t count, Timestamp now) {
  // No span: the count spans many requests.
  static const SpanContext kNoSpan;
  Write(level, now, kNoSpan,
        "suppressed " + std::to_string(count) + " similar: " + std::string(msg),
        {{"similar_to", std::string(msg)}, {"suppressed", static_cast<int64_t>(count)}});
}

void Logger::ReportSuppressed(std::vector<LogRateLimiter::Suppressed> counts, Timestamp now) {
  for (const auto& s : counts) ReportSuppressed(s.level, s.message, s.count, now);
}

void Logger::Write(LogLevel level, Timestamp now, const SpanContext& span, std::string_view msg,
                   Attributes&& attrs) {
  emitted_[static_cast<size_t>(level)].Add();
  try {
    ClaimedBuffer buffer;
    internal::LogLine line;
    line.time = now;
    line.level = level;
    line.message = msg;
    line.span = &span;
    line.attributes = &attrs;
    formatter_.Append(line, &buffer.text());
    WriteLine(level, now, buffer.text());
  } catch (const std::exception&) {
    write_errors_.Add();  // out of memory while formatting: lose the line, not the process
  }
  if (processor_) Export(level, now, span, msg, std::move(attrs));
}

void Logger::WriteLine(LogLevel level, Timestamp time, std::string_view line) {
  // spdlog's message carries our timestamp so it does not read the clock
  // again; its logger name and source location stay empty (unused by the
  // pass-through formatter).
  const spdlog::details::log_msg message(
      std::chrono::time_point_cast<spdlog::log_clock::duration>(time), spdlog::source_loc{},
      spdlog::string_view_t(), ToSpdlogLevel(level),
      spdlog::string_view_t(line.data(), line.size()));
  for (const auto& sink : sinks_) {
    try {
      sink->log(message);
    } catch (const std::exception&) {
      write_errors_.Add();
    }
  }
}

void Logger::Export(LogLevel level, Timestamp time, const SpanContext& span, std::string_view msg,
                    Attributes&& attrs) {
  try {
    std::unique_ptr<LogRecordData> record = processor_->NewRecord();
    record->timestamp = time;
    record->observed_timestamp = time;
    record->severity_number = SeverityFor(level);
    record->severity_text = LogLevelName(level);
    record->body.assign(msg);  // reuses a recycled record's capacity
    if (record->attributes.capacity() >= attrs.size()) {
      // Copying into a recycled record's storage keeps our caller's strings
      // freed on this thread, not on the export thread one by one.
      for (const Attribute& a : attrs) {
        if (!a.key.empty()) record->attributes.push_back(a);
      }
    } else {
      std::erase_if(attrs, [](const Attribute& a) { return a.key.empty(); });
      record->attributes = std::move(attrs);
    }
    if (span.IsValid()) {
      record->trace_id = span.trace_id();
      record->span_id = span.span_id();
      record->trace_flags = span.trace_flags();
    }
    // Skipped when unchanged: two atomic reference-count updates saved.
    if (record->resource != resource_) record->resource = resource_;
    if (record->scope != scope_) record->scope = scope_;
    processor_->OnEmit(std::move(record));
  } catch (const std::exception&) {
    write_errors_.Add();
  }
}

LogStats Logger::stats() const {
  LogStats s;
  for (size_t i = 0; i < emitted_.size(); ++i) s.emitted[i] = emitted_[i].Value();
  s.write_errors = write_errors_.Value();
  s.suppressed = suppressed_.Value();
  if (processor_) s.export_dropped = processor_->stats().records_dropped;
  return s;
}

}  // namespace agenthub::telemetry
