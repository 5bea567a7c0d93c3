// TaskTable: what the broker knows of each task by id — who asked for it
// (results and progress go back to that agent only) and the copies still in
// the broker's hands (queued or leased), so a result can settle its copy and
// a second final result can be told from the first.
//
// Bounded in size and in age: the oldest entries are forgotten first (an
// entry whose copies are still unsettled is kept past its age), and a
// result for a forgotten task reaches only monitoring subscribers.
//
// This and AgentQueue are the routing core's store: a durable store
// (--data-dir) writes the same records through.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "broker/routing/routed_task.h"
#include "telemetry/telemetry.h"

namespace agenthub::broker {

struct TaskRecord {
  std::string requester;
  // Unsettled copies: one for a directed task (no allocation beyond the
  // entry), one per target agent for a broadcast.
  RoutedTaskPtr copy;
  std::vector<RoutedTaskPtr> more_copies;
  bool settled = false;  // a final result went through; later ones are refused
  uint64_t generation = 0;

  bool HasUnsettled() const { return copy != nullptr || !more_copies.empty(); }
  void AddCopy(RoutedTaskPtr task) {
    if (!copy) {
      copy = std::move(task);
    } else {
      more_copies.push_back(std::move(task));
    }
  }
  void RemoveCopy(const RoutedTaskPtr& task);
  // The unsettled copy for `agent`; for a directed task its only copy
  // whoever answers (without authentication the executor id is a claim).
  RoutedTaskPtr CopyFor(std::string_view agent) const;
};

class TaskTable {
 public:
  TaskTable(size_t max_entries, std::chrono::seconds max_age)
      : max_entries_(max_entries), max_age_(max_age) {}

  // Creates (or renews) the record of a task and returns it.
  TaskRecord& Remember(std::string_view task_id, std::string_view requester,
                       telemetry::SteadyClock::time_point now);
  TaskRecord* Find(std::string_view task_id);
  // Drops entries older than max_age whose copies are all settled; returns
  // how many.
  size_t EvictExpired(telemetry::SteadyClock::time_point now);

  size_t size() const { return entries_.size(); }
  uint64_t evicted() const { return evicted_; }

 private:
  struct OrderRecord {
    telemetry::SteadyClock::time_point at;
    std::string task_id;
    uint64_t generation;
  };
  void EvictOldest();
  void CompactOrder();

  const size_t max_entries_;
  const std::chrono::seconds max_age_;
  std::unordered_map<std::string, TaskRecord> entries_;
  // Insertion order; records whose generation no longer matches are stale.
  std::deque<OrderRecord> order_;
  uint64_t next_generation_ = 0;
  uint64_t evicted_ = 0;
};

}  // namespace agenthub::broker
