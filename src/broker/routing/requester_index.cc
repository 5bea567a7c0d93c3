#include "broker/routing/requester_index.h"

namespace agenthub::broker {

void RequesterIndex::Remember(std::string_view task_id, std::string_view requester,
                              telemetry::SteadyClock::time_point now) {
  const uint64_t generation = next_generation_++;
  auto [it, inserted] = entries_.try_emplace(std::string(task_id));
  it->second.requester.assign(requester);
  it->second.generation = generation;
  order_.push_back(OrderRecord{now, it->first, generation});
  while (entries_.size() > max_entries_) EvictOldest();
  // Stale order records pile up when tasks are forgotten early; compact.
  if (order_.size() > 2 * max_entries_ + 1024) {
    std::deque<OrderRecord> live;
    for (auto& r : order_) {
      auto e = entries_.find(r.task_id);
      if (e != entries_.end() && e->second.generation == r.generation) live.push_back(std::move(r));
    }
    order_.swap(live);
  }
}

std::optional<std::string> RequesterIndex::Find(std::string_view task_id) const {
  auto it = entries_.find(std::string(task_id));
  if (it == entries_.end()) return std::nullopt;
  return it->second.requester;
}

void RequesterIndex::Forget(std::string_view task_id) { entries_.erase(std::string(task_id)); }

void RequesterIndex::EvictOldest() {
  while (!order_.empty()) {
    OrderRecord r = std::move(order_.front());
    order_.pop_front();
    auto it = entries_.find(r.task_id);
    if (it != entries_.end() && it->second.generation == r.generation) {
      entries_.erase(it);
      ++evicted_;
      return;
    }
  }
}

size_t RequesterIndex::EvictExpired(telemetry::SteadyClock::time_point now) {
  size_t n = 0;
  while (!order_.empty() && now - order_.front().at > max_age_) {
    OrderRecord r = std::move(order_.front());
    order_.pop_front();
    auto it = entries_.find(r.task_id);
    if (it != entries_.end() && it->second.generation == r.generation) {
      entries_.erase(it);
      ++evicted_;
      ++n;
    }
  }
  return n;
}

}  // namespace agenthub::broker
