// LogRateLimiter: at most N lines per second per message template, so a
// flood of one message (a warning per bad request, per unheard progress
// update) cannot fill a disk, while other messages keep being written.
//
// The key is the level and the message text: our call sites keep variable
// parts in attributes, so one call site is one key ("task refused:
// invalid" however many tasks are refused). Lines past the N of the
// current one-second window are counted, not written; the count is
// reported once the window is over, in one "suppressed K similar" line:
// before the next line of the same message, at the next sweep (the first
// line of any message after the second ends), or at Flush.
//
// Cost on the hot path: one hash of the message and one uncontended lock
// of one of kSets small sets. Thread-safe. Keys live in a fixed table of
// kSets x kWays entries; when a set is full the entry with the oldest
// window is evicted (its pending count is kept for the next report), so
// memory stays bounded whatever messages are logged.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/common/clock.h"
#include "telemetry/logs/log_level.h"

namespace agenthub::telemetry {

// Lines per second per message when LOG_RATE_LIMIT is not set: enough for
// any message a healthy process repeats, small enough that a flood of
// 20,000 identical warnings writes a few hundred lines.
inline constexpr uint32_t kDefaultLogLinesPerSecond = 20;

// LOG_RATE_LIMIT when set: lines per second per message, 0 for no limit.
// An invalid value warns and gives the default.
uint32_t LogRateLimitFromEnvironment();

class LogRateLimiter {
 public:
  // `lines_per_second` 0: every line passes and nothing is tracked.
  explicit LogRateLimiter(uint32_t lines_per_second);

  struct Suppressed {
    LogLevel level;
    std::string message;
    uint64_t count;
  };

  // Whether a line of `message` at `level` may be written at `now`. When
  // an earlier window of this message suppressed lines, *report receives
  // their count (report it before the line); else it is set to 0.
  bool Admit(LogLevel level, std::string_view message, Timestamp now, uint64_t* report);

  // Counts of windows that ended before `now`'s second, taken (each is
  // reported once). Cheap when there is nothing to report: one atomic
  // load; walks the table at most once per second.
  std::vector<Suppressed> TakeEnded(Timestamp now);
  // Every pending count, ended or not: for Flush and shutdown.
  std::vector<Suppressed> TakeAll();

  uint32_t lines_per_second() const { return lines_per_second_; }

 private:
  static constexpr size_t kSets = 64;
  static constexpr size_t kWays = 4;

  struct Entry {
    uint64_t hash = 0;
    LogLevel level = LogLevel::kInfo;
    std::string message;  // empty: unused
    int64_t window = 0;   // the second this entry's count belongs to
    uint32_t written = 0;
    uint64_t suppressed = 0;
  };
  struct alignas(64) Set {
    std::mutex mu;
    std::array<Entry, kWays> entries;
  };

  Entry& FindOrEvict(Set& set, uint64_t hash, LogLevel level, std::string_view message);
  std::vector<Suppressed> Take(int64_t before_second);

  const uint32_t lines_per_second_;
  std::array<Set, kSets> sets_;
  std::atomic<uint64_t> pending_{0};    // entries (and evictions) holding a count
  std::atomic<int64_t> last_sweep_{0};  // the second TakeEnded last walked the table
  std::mutex evicted_mu_;
  std::vector<Suppressed> evicted_;  // counts of evicted entries, not yet reported
};

}  // namespace agenthub::telemetry
