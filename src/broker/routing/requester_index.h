// Remembers which agent asked for each task (task_id -> requester), so the
// task's results and progress go back to that agent only. Bounded in size
// and in age: the oldest entries are forgotten first, and a result for a
// forgotten task reaches only monitoring subscribers (and is counted).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "telemetry/telemetry.h"

namespace agenthub::broker {

class RequesterIndex {
 public:
  RequesterIndex(size_t max_entries, std::chrono::seconds max_age)
      : max_entries_(max_entries), max_age_(max_age) {}

  // Records (or refreshes) the requester of a task.
  void Remember(std::string_view task_id, std::string_view requester,
                telemetry::SteadyClock::time_point now);
  std::optional<std::string> Find(std::string_view task_id) const;
  // Forgets a task whose final result went through.
  void Forget(std::string_view task_id);
  // Drops entries older than max_age; returns how many.
  size_t EvictExpired(telemetry::SteadyClock::time_point now);

  size_t size() const { return entries_.size(); }
  uint64_t evicted() const { return evicted_; }

 private:
  struct Entry {
    std::string requester;
    uint64_t generation;  // matches the order_ record that is current
  };
  struct OrderRecord {
    telemetry::SteadyClock::time_point at;
    std::string task_id;
    uint64_t generation;
  };
  void EvictOldest();

  const size_t max_entries_;
  const std::chrono::seconds max_age_;
  std::unordered_map<std::string, Entry> entries_;
  // Insertion order; records whose generation no longer matches are stale.
  std::deque<OrderRecord> order_;
  uint64_t next_generation_ = 0;
  uint64_t evicted_ = 0;
};

}  // namespace agenthub::broker
