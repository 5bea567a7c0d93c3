#include "telemetry/logs/log_rate_limiter.h"

#include <charconv>
#include <functional>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"

namespace agenthub::telemetry {
namespace {

int64_t SecondOf(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

uint64_t HashOf(LogLevel level, std::string_view message) {
  return std::hash<std::string_view>{}(message)*31 + static_cast<uint64_t>(level) + 1;
}

}  // namespace

uint32_t LogRateLimitFromEnvironment() {
  const auto value = GetEnv("LOG_RATE_LIMIT");
  if (!value) return kDefaultLogLinesPerSecond;
  const std::string_view text = TrimSpaces(*value);
  uint32_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return n;
  ReportWarning("LOG_RATE_LIMIT=" + *value +
                " is not a number of lines per second (0 for no limit); using " +
                std::to_string(kDefaultLogLinesPerSecond));
  return kDefaultLogLinesPerSecond;
}

LogRateLimiter::LogRateLimiter(uint32_t lines_per_second) : lines_per_second_(lines_per_second) {}

LogRateLimiter::Entry& LogRateLimiter::FindOrEvict(Set& set, uint64_t hash, LogLevel level,
                                                   std::string_view message) {
  Entry* victim = &set.entries[0];
  for (Entry& e : set.entries) {
    if (e.hash == hash && e.level == level && e.message == message) return e;
    if (e.message.empty()) {
      victim = &e;
      break;
    }
    if (e.window < victim->window) victim = &e;
  }
  if (victim->suppressed > 0) {
    // Still owed a report: kept, and pending_ still counts it.
    std::lock_guard lock(evicted_mu_);
    evicted_.push_back({victim->level, std::move(victim->message), victim->suppressed});
  }
  *victim = Entry{};
  victim->hash = hash;
  victim->level = level;
  victim->message.assign(message);
  return *victim;
}

bool LogRateLimiter::Admit(LogLevel level, std::string_view message, Timestamp now,
                           uint64_t* report) {
  *report = 0;
  if (lines_per_second_ == 0) return true;
  const uint64_t hash = HashOf(level, message);
  const int64_t second = SecondOf(now);
  Set& set = sets_[hash % kSets];
  std::lock_guard lock(set.mu);
  Entry& e = FindOrEvict(set, hash, level, message);
  if (e.window != second) {
    if (e.suppressed > 0) {
      *report = e.suppressed;
      e.suppressed = 0;
      pending_.fetch_sub(1, std::memory_order_relaxed);
    }
    e.window = second;
    e.written = 0;
  }
  if (e.written < lines_per_second_) {
    ++e.written;
    return true;
  }
  if (e.suppressed++ == 0) pending_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

std::vector<LogRateLimiter::Suppressed> LogRateLimiter::TakeEnded(Timestamp now) {
  if (pending_.load(std::memory_order_relaxed) == 0) return {};
  const int64_t second = SecondOf(now);
  int64_t last = last_sweep_.load(std::memory_order_relaxed);
  // One thread per second walks the table.
  if (last >= second || !last_sweep_.compare_exchange_strong(last, second)) return {};
  return Take(second);
}

std::vector<LogRateLimiter::Suppressed> LogRateLimiter::TakeAll() {
  if (pending_.load(std::memory_order_relaxed) == 0) return {};
  return Take(INT64_MAX);
}

std::vector<LogRateLimiter::Suppressed> LogRateLimiter::Take(int64_t before_second) {
  std::vector<Suppressed> out;
  {
    std::lock_guard lock(evicted_mu_);
    out.swap(evicted_);
  }
  if (!out.empty()) pending_.fetch_sub(out.size(), std::memory_order_relaxed);
  for (Set& set : sets_) {
    std::lock_guard lock(set.mu);
    for (Entry& e : set.entries) {
      if (e.suppressed == 0 || e.window >= before_second) continue;
      out.push_back({e.level, e.message, e.suppressed});
      e.suppressed = 0;
      pending_.fetch_sub(1, std::memory_order_relaxed);
    }
  }
  return out;
}

}  // namespace agenthub::telemetry
