// The per-message log rate limit: N lines per second per message, then a
// count reported once; messages never suppress each other; and through the
// Logger, a flood writes a bounded number of lines.
#include "telemetry/logs/log_rate_limiter.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/scoped_env.h"
#include "telemetry/logs/logger.h"

namespace agenthub::telemetry {
namespace {

using namespace std::chrono_literals;

Timestamp AtSecond(int64_t s, std::chrono::milliseconds plus = 0ms) {
  return Timestamp(std::chrono::seconds(1'800'000'000 + s) + plus);
}

int Admitted(LogRateLimiter& limiter, std::string_view msg, int times, Timestamp at,
             uint64_t* last_report = nullptr) {
  int admitted = 0;
  for (int i = 0; i < times; ++i) {
    uint64_t report;
    if (limiter.Admit(LogLevel::kWarn, msg, at, &report)) ++admitted;
    if (last_report && report) *last_report = report;
  }
  return admitted;
}

TEST(LogRateLimiter, AdmitsNLinesPerSecondPerMessage) {
  LogRateLimiter limiter(5);
  EXPECT_EQ(Admitted(limiter, "flood", 100, AtSecond(0)), 5);
  EXPECT_EQ(Admitted(limiter, "flood", 100, AtSecond(0, 999ms)), 0);
  EXPECT_EQ(Admitted(limiter, "flood", 100, AtSecond(1)), 5);
}

TEST(LogRateLimiter, ReportsTheSuppressedCountOnceBeforeTheNextLine) {
  LogRateLimiter limiter(5);
  Admitted(limiter, "flood", 105, AtSecond(0));
  uint64_t report = 0;
  EXPECT_TRUE(limiter.Admit(LogLevel::kWarn, "flood", AtSecond(1), &report));
  EXPECT_EQ(report, 100u);
  EXPECT_TRUE(limiter.Admit(LogLevel::kWarn, "flood", AtSecond(1), &report));
  EXPECT_EQ(report, 0u);
  EXPECT_TRUE(limiter.TakeAll().empty());
}

TEST(LogRateLimiter, DistinctMessagesAndLevelsDoNotSuppressEachOther) {
  LogRateLimiter limiter(3);
  EXPECT_EQ(Admitted(limiter, "a", 50, AtSecond(0)), 3);
  EXPECT_EQ(Admitted(limiter, "b", 50, AtSecond(0)), 3);
  uint64_t report;
  EXPECT_TRUE(limiter.Admit(LogLevel::kError, "a", AtSecond(0), &report));
}

TEST(LogRateLimiter, EndedWindowsAreSweptOncePerSecond) {
  LogRateLimiter limiter(1);
  Admitted(limiter, "a", 10, AtSecond(0));
  Admitted(limiter, "b", 4, AtSecond(0));
  EXPECT_TRUE(limiter.TakeEnded(AtSecond(0, 500ms)).empty());  // windows still open
  auto ended = limiter.TakeEnded(AtSecond(1));
  ASSERT_EQ(ended.size(), 2u);
  uint64_t total = 0;
  for (const auto& s : ended) total += s.count;
  EXPECT_EQ(total, 9u + 3u);
  EXPECT_TRUE(limiter.TakeEnded(AtSecond(2)).empty());
}

TEST(LogRateLimiter, EvictionKeepsTheCountOwed) {
  LogRateLimiter limiter(1);
  Admitted(limiter, "first", 3, AtSecond(0));
  // Far more keys than the table holds: "first" is evicted at some point.
  for (int i = 0; i < 2000; ++i) Admitted(limiter, "other " + std::to_string(i), 1, AtSecond(1));
  uint64_t first = 0;
  for (const auto& s : limiter.TakeAll()) {
    if (s.message == "first") first += s.count;
  }
  EXPECT_EQ(first, 2u);
}

TEST(LogRateLimiter, ZeroMeansNoLimit) {
  LogRateLimiter limiter(0);
  EXPECT_EQ(Admitted(limiter, "flood", 10000, AtSecond(0)), 10000);
}

TEST(LogRateLimiter, ConcurrentAdmitsNeverExceedTheLimit) {
  LogRateLimiter limiter(10);
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] { admitted += Admitted(limiter, "shared", 1000, AtSecond(7)); });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(admitted.load(), 10);
  const auto all = limiter.TakeAll();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].count, 3990u);
}

TEST(LogRateLimiter, ReadsLogRateLimitFromTheEnvironment) {
  {
    testing::ScopedEnv env("LOG_RATE_LIMIT", "7");
    EXPECT_EQ(LogRateLimitFromEnvironment(), 7u);
  }
  {
    testing::ScopedEnv env("LOG_RATE_LIMIT", "0");
    EXPECT_EQ(LogRateLimitFromEnvironment(), 0u);
  }
  {
    testing::ScopedEnv env("LOG_RATE_LIMIT", "lots");
    EXPECT_EQ(LogRateLimitFromEnvironment(), kDefaultLogLinesPerSecond);
  }
}

std::vector<nlohmann::json> Lines(const std::ostringstream& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(LoggerRateLimit, AFloodOfOneWarningWritesABoundedNumberOfLines) {
  std::ostringstream out;
  LoggerOptions options;
  options.sinks = {MakeOstreamSink(out)};
  Logger logger(std::move(options));
  for (int i = 0; i < 20000; ++i) {
    logger.Warn("task_progress reached no subscriber", {{"task_id", "t" + std::to_string(i)}});
  }
  logger.Flush();
  const auto lines = Lines(out);
  // However long the loop took: N per second it ran, and one report per
  // second with suppressed lines; a loop this size takes a few seconds at
  // most even under sanitizers.
  EXPECT_LE(lines.size(), 20u * 2 * 30);
  uint64_t written = 0, suppressed = 0;
  for (const auto& line : lines) {
    if (line["msg"] == "task_progress reached no subscriber") {
      ++written;
    } else {
      EXPECT_EQ(line["similar_to"], "task_progress reached no subscriber");
      EXPECT_EQ(line["level"], "WARN");
      EXPECT_EQ(line["msg"], "suppressed " + std::to_string(line["suppressed"].get<int64_t>()) +
                                 " similar: task_progress reached no subscriber");
      suppressed += line["suppressed"].get<uint64_t>();
    }
  }
  EXPECT_EQ(written + suppressed, 20000u) << "every suppressed line is reported in a count";
  EXPECT_EQ(logger.stats().suppressed, suppressed);
}

TEST(LoggerRateLimit, AFloodDoesNotSilenceOtherMessages) {
  std::ostringstream out;
  LoggerOptions options;
  options.sinks = {MakeOstreamSink(out)};
  options.lines_per_second_per_message = 2;
  Logger logger(std::move(options));
  for (int i = 0; i < 1000; ++i) logger.Warn("flood");
  logger.Error("something else");
  logger.Info("and another");
  size_t other = 0;
  for (const auto& line : Lines(out)) {
    if (line["msg"] == "something else" || line["msg"] == "and another") ++other;
  }
  EXPECT_EQ(other, 2u);
}

}  // namespace
}  // namespace agenthub::telemetry
