// Logger: JSON lines correlated with the active span, level filtering
// (programmatic and LOG_LEVEL), the text format, whole lines under
// concurrency, counters, the default logger and the diagnostics bridge, and
// the hand-off of OpenTelemetry log records to a processor.
#include "telemetry/logs/logger.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/scoped_env.h"
#include "support/tracing_fixture.h"
#include "telemetry/common/time_format.h"
#include "telemetry/context/context.h"
#include "telemetry/logs/batch_log_record_processor.h"
#include "telemetry/logs/default_logger.h"
#include "telemetry/logs/in_memory_log_exporter.h"

namespace agenthub::telemetry {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using testing::DiagnosticCapture;
using testing::ScopedEnv;
using testing::TracingFixture;
using namespace std::chrono_literals;

// A logger writing into a string stream, and the lines it wrote.
struct CapturedLogger {
  explicit CapturedLogger(LoggerOptions options = {}) {
    options.sinks = {MakeOstreamSink(out)};
    if (options.service_name == "agenthub") options.service_name = "agenthub-broker";
    logger = std::make_unique<Logger>(std::move(options));
  }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  json Only() const {
    const auto lines = Lines();
    EXPECT_EQ(lines.size(), 1u);
    return lines.empty() ? json() : json::parse(lines.back());
  }

  std::ostringstream out;
  std::unique_ptr<Logger> logger;
};

LoggerOptions WithLevel(LogLevel level, LogFormat format = LogFormat::kJson) {
  LoggerOptions options;
  options.level = level;
  options.format = format;
  return options;
}

TEST(Logger, WritesOneJsonObjectPerLineWithFieldsInOrder) {
  CapturedLogger log;
  log.logger->Info("task routed", {{"task_id", "t-1"}});
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 1u);
  const ordered_json parsed = ordered_json::parse(lines[0]);
  std::vector<std::string> keys;
  for (const auto& [key, value] : parsed.items()) keys.push_back(key);
  EXPECT_THAT(keys, ::testing::ElementsAre("time", "level", "msg", "service", "task_id"));
  EXPECT_EQ(parsed["level"], "INFO");
  EXPECT_EQ(parsed["msg"], "task routed");
  EXPECT_EQ(parsed["service"], "agenthub-broker");
  EXPECT_EQ(parsed["task_id"], "t-1");
}

TEST(Logger, StampsRfc3339NanosecondUtcTimeOfTheCall) {
  CapturedLogger log;
  const std::string before = FormatRfc3339Nanos(Now());
  log.logger->Info("x");
  const std::string after = FormatRfc3339Nanos(Now());
  const std::string time = log.Only()["time"];
  EXPECT_TRUE(std::regex_match(time, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z)")))
      << time;
  // Same fixed-width format: string order is time order.
  EXPECT_LE(before, time);
  EXPECT_LE(time, after);
}

TEST(Logger, AddsTraceIdsOfTheSpanInTheCurrentContext) {
  TracingFixture tracing;
  CapturedLogger log;
  Span span = tracing.tracer.StartSpan("op");
  {
    ContextScope scope(Context::Current().WithSpan(span));
    log.logger->Info("inside");
  }
  const json line = log.Only();
  EXPECT_EQ(line["trace_id"], span.context().trace_id().ToHex());
  EXPECT_EQ(line["span_id"], span.context().span_id().ToHex());
  span.End();
}

TEST(Logger, AddsTraceIdsOfAnExplicitContext) {
  TracingFixture tracing;
  CapturedLogger log;
  Span span = tracing.tracer.StartSpan("op");
  const Context context = Context().WithSpan(span);
  log.logger->Warn(context, "explicit");
  const json line = log.Only();
  EXPECT_EQ(line["trace_id"], span.context().trace_id().ToHex());
  EXPECT_EQ(line["span_id"], span.context().span_id().ToHex());
  EXPECT_EQ(line["level"], "WARN");
}

TEST(Logger, ExplicitContextWinsOverTheCurrentOne) {
  TracingFixture tracing;
  CapturedLogger log;
  Span current = tracing.tracer.StartSpan("current");
  Span other = tracing.tracer.StartSpan("other");
  ContextScope scope(Context::Current().WithSpan(current));
  log.logger->Info(Context().WithSpan(other), "x");
  EXPECT_EQ(log.Only()["span_id"], other.context().span_id().ToHex());
}

TEST(Logger, CorrelatesWithARemoteSpanContextExtractedFromHeaders) {
  CapturedLogger log;
  const SpanContext remote(*TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                           *SpanId::FromHex("00f067aa0ba902b7"), TraceFlags{1}, /*remote=*/true);
  log.logger->Info(Context().WithSpan(Span(remote)), "x");
  EXPECT_EQ(log.Only()["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(Logger, OmitsTraceIdsWithoutAValidSpan) {
  CapturedLogger log;
  log.logger->Info("no span");
  log.logger->Info(Context().WithSpan(Span(SpanContext::Invalid())), "invalid span");
  for (const std::string& line : log.Lines()) {
    const json parsed = json::parse(line);
    EXPECT_FALSE(parsed.contains("trace_id")) << line;
    EXPECT_FALSE(parsed.contains("span_id")) << line;
  }
}

TEST(Logger, AnyBytesInMessagesAndAttributesGiveValidJson) {
  CapturedLogger log;
  const std::string nasty =
      std::string("quote\" back\\ nl\n cr\r tab\t nul") + '\0' + " esc\x1b bad\xFF\xC3 ok\xC3\xA9";
  log.logger->Error(nasty, {{nasty, nasty}});
  const json line = log.Only();  // parse throws on invalid JSON
  const std::string msg = line["msg"];
  EXPECT_NE(msg.find("quote\" back\\ nl\n cr\r tab\t nul"), std::string::npos);
  EXPECT_NE(msg.find("\x1b"), std::string::npos);
  EXPECT_NE(msg.find("bad\xEF\xBF\xBD\xEF\xBF\xBD ok\xC3\xA9"), std::string::npos);
  EXPECT_EQ(line.size(), 5u);  // time, level, msg, service and the attribute
}

TEST(Logger, WritesAttributeValuesWithTheirTypes) {
  CapturedLogger log;
  log.logger->Info("typed", {{"count", 3},
                             {"ratio", 0.25},
                             {"ok", true},
                             {"name", "x"},
                             {"ids", std::vector<int64_t>{1, 2}},
                             {"tags", std::vector<std::string>{"a", "b"}}});
  const json line = log.Only();
  EXPECT_TRUE(line["count"].is_number_integer());
  EXPECT_EQ(line["count"], 3);
  EXPECT_EQ(line["ratio"], 0.25);
  EXPECT_EQ(line["ok"], true);
  EXPECT_EQ(line["name"], "x");
  EXPECT_EQ(line["ids"], json::array({1, 2}));
  EXPECT_EQ(line["tags"], json::array({"a", "b"}));
}

TEST(Logger, SkipsCallsBelowItsLevel) {
  CapturedLogger log(WithLevel(LogLevel::kWarn));
  log.logger->Debug("d");
  log.logger->Info("i");
  log.logger->Warn("w");
  log.logger->Error("e");
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["msg"], "w");
  EXPECT_EQ(json::parse(lines[1])["msg"], "e");
  EXPECT_FALSE(log.logger->Enabled(LogLevel::kInfo));
}

TEST(Logger, LevelCanBeChangedAtRunTime) {
  CapturedLogger log(WithLevel(LogLevel::kError));
  log.logger->Debug("hidden");
  log.logger->SetLevel(LogLevel::kDebug);
  log.logger->Debug("shown");
  EXPECT_EQ(log.Only()["level"], "DEBUG");
  EXPECT_EQ(log.logger->level(), LogLevel::kDebug);
}

TEST(Logger, CountsEmittedRecordsPerLevelButNotFilteredOnes) {
  CapturedLogger log(WithLevel(LogLevel::kInfo));
  log.logger->Debug("filtered");
  log.logger->Info("a");
  log.logger->Info("b");
  log.logger->Error("c");
  const LogStats stats = log.logger->stats();
  EXPECT_EQ(stats.total(LogLevel::kDebug), 0u);
  EXPECT_EQ(stats.total(LogLevel::kInfo), 2u);
  EXPECT_EQ(stats.total(LogLevel::kWarn), 0u);
  EXPECT_EQ(stats.total(LogLevel::kError), 1u);
  EXPECT_EQ(stats.dropped(), 0u);
}

TEST(LogLevelParsing, AcceptsTheFourLevelsInAnyCase) {
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("INFO"), LogLevel::kInfo);
  EXPECT_EQ(ParseLogLevel("Warn"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("warning"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel(" error "), LogLevel::kError);
  EXPECT_EQ(ParseLogLevel("verbose"), std::nullopt);
  EXPECT_EQ(ParseLogLevel(""), std::nullopt);
  EXPECT_EQ(ParseLogFormat("JSON"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("text"), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat("xml"), std::nullopt);
}

TEST(LogLevelParsing, LogLevelEnvironmentVariableSetsTheLevel) {
  ScopedEnv env("LOG_LEVEL", "DEBUG");
  EXPECT_EQ(LoggerOptions::FromEnvironment("svc").level, LogLevel::kDebug);
}

TEST(LogLevelParsing, InvalidLogLevelWarnsAndUsesInfo) {
  DiagnosticCapture diagnostics;
  ScopedEnv env("LOG_LEVEL", "loud");
  EXPECT_EQ(LoggerOptions::FromEnvironment("svc").level, LogLevel::kInfo);
  EXPECT_TRUE(diagnostics.HasWarningContaining({"LOG_LEVEL=loud"}));
}

TEST(LogLevelParsing, UnsetLogLevelMeansInfo) {
  ScopedEnv env("LOG_LEVEL", std::nullopt);
  EXPECT_EQ(LoggerOptions::FromEnvironment("svc").level, LogLevel::kInfo);
}

TEST(Logger, TextFormatIsOneHumanReadableLine) {
  TracingFixture tracing;
  CapturedLogger log(WithLevel(LogLevel::kInfo, LogFormat::kText));
  Span span = tracing.tracer.StartSpan("op");
  ContextScope scope(Context::Current().WithSpan(span));
  log.logger->Info("hello", {{"key", "value"}});
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 1u);
  const std::regex shape(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO  hello key=value )"
                         R"(trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16})");
  EXPECT_TRUE(std::regex_match(lines[0], shape)) << lines[0];
}

TEST(Logger, ConcurrentCallsProduceWholeLines) {
  LoggerOptions unlimited;  // every line counted below
  unlimited.lines_per_second_per_message = 0;
  CapturedLogger log(std::move(unlimited));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&log, t] {
      const std::string padding(200, static_cast<char>('a' + t));
      for (int i = 0; i < kPerThread; ++i) {
        log.logger->Info(padding, {{"thread", t}, {"seq", i}});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kPerThread));
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    const json parsed = json::parse(line);
    const int t = parsed["thread"];
    EXPECT_EQ(parsed["msg"], std::string(200, static_cast<char>('a' + t)));
    EXPECT_EQ(parsed["seq"], next[t]++);  // each thread's lines in its own order
  }
  EXPECT_EQ(log.logger->stats().total(LogLevel::kInfo),
            static_cast<uint64_t>(kThreads * kPerThread));
}

TEST(Logger, FileSinkAppendsWholeLines) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("agenthub_logger_test_" + std::to_string(getpid()) + ".log");
  std::filesystem::remove(path);
  {
    std::string error;
    LoggerOptions options;
    options.sinks = {MakeFileSink(path.string(), &error)};
    ASSERT_TRUE(options.sinks[0]) << error;
    Logger logger(std::move(options));
    logger.Info("one");
    logger.Info("two");
    // Visible before the logger goes away: each line is flushed.
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(json::parse(first)["msg"], "one");
  }
  std::filesystem::remove(path);
}

TEST(Logger, FileSinkReportsWhyItCannotOpen) {
  std::string error;
  // A directory cannot be opened as a log file.
  EXPECT_EQ(MakeFileSink(std::filesystem::temp_directory_path().string(), &error), nullptr);
  EXPECT_FALSE(error.empty());
}

TEST(DiagnosticsBridge, RoutesSdkWarningsIntoTheLogger) {
  CapturedLogger log;
  InstallDiagnosticsBridge(*log.logger);
  ReportWarning("OTEL_BSP_MAX_QUEUE_SIZE=abc is not a non-negative integer");
  UninstallDiagnosticsBridge();
  const json line = log.Only();
  EXPECT_EQ(line["level"], "WARN");
  EXPECT_EQ(line["msg"], "OTEL_BSP_MAX_QUEUE_SIZE=abc is not a non-negative integer");
  EXPECT_EQ(line["component"], "telemetry");
}

TEST(DefaultLogger, IsReplaceableAndRestorable) {
  Logger& builtin = DefaultLogger();
  auto mine = std::make_shared<Logger>(LoggerOptions{.sinks = {MakeNullSink()}});
  SetDefaultLogger(mine);
  EXPECT_EQ(&DefaultLogger(), mine.get());
  SetDefaultLogger(nullptr);
  EXPECT_EQ(&DefaultLogger(), &builtin);
}

TEST(Logger, HandsEachRecordToItsProcessorAsOtelLogRecord) {
  TracingFixture tracing;
  auto store = std::make_shared<InMemoryLogStore>();
  auto processor =
      std::make_shared<BatchLogRecordProcessor>(std::make_unique<InMemoryLogRecordExporter>(store));
  LoggerOptions options;
  options.processor = processor;
  options.resource = std::make_shared<const Resource>(Attributes{{"service.name", "svc"}});
  options.scope = {"agenthub.broker", "1.2.3", ""};
  CapturedLogger log(std::move(options));

  Span span = tracing.tracer.StartSpan("op");
  {
    ContextScope scope(Context::Current().WithSpan(span));
    log.logger->Warn("queue full", {{"agent", "a1"}, {"depth", 7}});
  }
  log.logger->Info("outside");
  ASSERT_TRUE(processor->ForceFlush(5s));
  ASSERT_EQ(log.Lines().size(), 2u);  // the lines are still written

  const auto records = store->records();
  ASSERT_EQ(records.size(), 2u);
  const LogRecordData& r = records[0];
  EXPECT_EQ(r.body, "queue full");
  EXPECT_EQ(r.severity_number, SeverityNumber::kWarn);
  EXPECT_EQ(static_cast<int>(r.severity_number), 13);
  EXPECT_EQ(r.severity_text, "WARN");
  EXPECT_EQ(r.attributes, (Attributes{{"agent", "a1"}, {"depth", 7}}));
  EXPECT_EQ(r.trace_id, span.context().trace_id());
  EXPECT_EQ(r.span_id, span.context().span_id());
  EXPECT_TRUE(r.trace_flags.sampled());
  EXPECT_EQ(r.timestamp, r.observed_timestamp);
  ASSERT_TRUE(r.resource && r.scope);
  EXPECT_EQ(r.resource->service_name(), "svc");
  EXPECT_EQ(r.scope->name, "agenthub.broker");
  EXPECT_EQ(r.scope->version, "1.2.3");
  EXPECT_FALSE(records[1].has_span());
  EXPECT_EQ(records[1].severity_number, SeverityNumber::kInfo);
  span.End();
}

TEST(LogRecordSeverity, MatchesTheOpenTelemetryDataModel) {
  EXPECT_EQ(static_cast<int>(SeverityFor(LogLevel::kDebug)), 5);
  EXPECT_EQ(static_cast<int>(SeverityFor(LogLevel::kInfo)), 9);
  EXPECT_EQ(static_cast<int>(SeverityFor(LogLevel::kWarn)), 13);
  EXPECT_EQ(static_cast<int>(SeverityFor(LogLevel::kError)), 17);
}

}  // namespace
}  // namespace agenthub::telemetry
