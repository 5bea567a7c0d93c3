// The tasks the broker gave up delivering (attempts exhausted, or termed),
// oldest first, bounded: beyond max_entries the oldest is forgotten. Each
// keeps its routed copy so it can be re-driven into its agent's queue.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "broker/routing/router.h"

namespace agenthub::broker {

class DeadLetterList {
 public:
  explicit DeadLetterList(size_t max_entries) : max_entries_(max_entries) {}

  void Add(RoutedTaskPtr task, std::string reason, std::string requester);
  // Removes and returns the entry of `task_id` (the most recent if several).
  RoutedTaskPtr Take(std::string_view task_id);
  std::vector<DeadLetter> List() const;

  size_t size() const { return entries_.size(); }
  uint64_t forgotten() const { return forgotten_; }

 private:
  struct Entry {
    RoutedTaskPtr task;
    std::string reason;
    std::string requester;
    telemetry::Timestamp at;
  };
  const size_t max_entries_;
  std::deque<Entry> entries_;
  uint64_t forgotten_ = 0;
};

}  // namespace agenthub::broker
