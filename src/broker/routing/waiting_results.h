// Results for requesters that are not connected, kept (bounded in count and
// age) until the requester subscribes to its results again. Oldest first;
// beyond the bound the oldest is dropped and counted.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "broker/routing/routed_task.h"
#include "telemetry/telemetry.h"

namespace agenthub::broker {

class WaitingResults {
 public:
  WaitingResults(size_t max_entries, std::chrono::milliseconds ttl)
      : max_entries_(max_entries), ttl_(ttl) {}

  void Add(std::string requester, ResultPtr result, telemetry::SteadyClock::time_point now);
  // Removes and returns `requester`'s results that `wanted` accepts, oldest
  // first.
  template <typename Predicate>
  std::vector<ResultPtr> Take(const std::string& requester, Predicate wanted);
  // Forgets results older than the TTL.
  void Expire(telemetry::SteadyClock::time_point now);

  size_t size() const { return live_; }
  uint64_t expired() const { return expired_; }
  uint64_t dropped() const { return dropped_; }

 private:
  struct Entry {
    telemetry::SteadyClock::time_point at;
    std::string requester;
    ResultPtr result;  // null once taken
  };
  void PopTakenFront();

  const size_t max_entries_;
  const std::chrono::milliseconds ttl_;
  std::deque<Entry> entries_;
  size_t live_ = 0;
  uint64_t expired_ = 0;
  uint64_t dropped_ = 0;
};

template <typename Predicate>
std::vector<ResultPtr> WaitingResults::Take(const std::string& requester, Predicate wanted) {
  std::vector<ResultPtr> out;
  if (live_ == 0) return out;
  for (Entry& e : entries_) {
    if (e.result && e.requester == requester && wanted(*e.result)) {
      out.push_back(std::move(e.result));
      --live_;
    }
  }
  PopTakenFront();
  return out;
}

}  // namespace agenthub::broker
