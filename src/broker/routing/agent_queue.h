// The tasks waiting for one agent, best first: higher priority, then older
// (FIFO per publisher within one priority, since sequence numbers follow
// publish order). Bounded by the router, which checks size() before Push.
//
// Entries that leave the queue some other way (a deadline passed) are marked
// on the RoutedTask and skipped lazily by Pop, so removal is O(1); size()
// counts only live entries.
#pragma once

#include <cstddef>
#include <queue>
#include <vector>

#include "broker/routing/routed_task.h"

namespace agenthub::broker {

class AgentQueue {
 public:
  void Push(RoutedTaskPtr task);
  // The best live task, or nullptr when none is queued.
  RoutedTaskPtr Pop();
  // Call when a queued task left the queue by another path (expiry).
  void OnRemoved() { --live_; }

  size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }
  // Every live task, for draining at shutdown (order unspecified).
  std::vector<RoutedTaskPtr> TakeAll();

 private:
  struct WorseFirst {
    bool operator()(const RoutedTaskPtr& a, const RoutedTaskPtr& b) const {
      if (a->priority != b->priority) return a->priority < b->priority;
      return a->sequence > b->sequence;
    }
  };
  std::priority_queue<RoutedTaskPtr, std::vector<RoutedTaskPtr>, WorseFirst> heap_;
  size_t live_ = 0;  // entries still in state kQueued
};

}  // namespace agenthub::broker
