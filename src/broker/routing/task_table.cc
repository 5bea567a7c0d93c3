#include "broker/routing/task_table.h"

#include <algorithm>

namespace agenthub::broker {

void TaskRecord::RemoveCopy(const RoutedTaskPtr& task) {
  if (copy == task) {
    copy.reset();
    if (!more_copies.empty()) {
      copy = std::move(more_copies.back());
      more_copies.pop_back();
    }
    return;
  }
  std::erase(more_copies, task);
}

RoutedTaskPtr TaskRecord::CopyFor(std::string_view agent) const {
  if (copy && more_copies.empty() && !copy->needs_type_match) return copy;
  if (copy && copy->agent_id == agent) return copy;
  for (const auto& c : more_copies) {
    if (c->agent_id == agent) return c;
  }
  return nullptr;
}

TaskRecord& TaskTable::Remember(std::string_view task_id, std::string_view requester,
                                telemetry::SteadyClock::time_point now) {
  const uint64_t generation = next_generation_++;
  auto [it, inserted] = entries_.try_emplace(std::string(task_id));
  TaskRecord& record = it->second;
  if (!inserted) {
    // A task id published again starts over.
    record.copy.reset();
    record.more_copies.clear();
    record.settled = false;
  }
  record.requester.assign(requester);
  record.generation = generation;
  order_.push_back(OrderRecord{now, it->first, generation});
  while (entries_.size() > std::max<size_t>(max_entries_, 1)) EvictOldest();
  // Stale order records pile up when task ids are published again; compact.
  if (order_.size() > 2 * max_entries_ + 1024) CompactOrder();
  return record;  // unordered_map nodes stay put when others are erased
}

TaskRecord* TaskTable::Find(std::string_view task_id) {
  auto it = entries_.find(std::string(task_id));
  return it == entries_.end() ? nullptr : &it->second;
}

void TaskTable::CompactOrder() {
  std::deque<OrderRecord> live;
  for (auto& r : order_) {
    auto e = entries_.find(r.task_id);
    if (e != entries_.end() && e->second.generation == r.generation) live.push_back(std::move(r));
  }
  order_.swap(live);
}

void TaskTable::EvictOldest() {
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

size_t TaskTable::EvictExpired(telemetry::SteadyClock::time_point now) {
  size_t n = 0;
  std::vector<OrderRecord> renewed;
  while (!order_.empty() && now - order_.front().at > max_age_) {
    OrderRecord r = std::move(order_.front());
    order_.pop_front();
    auto it = entries_.find(r.task_id);
    if (it == entries_.end() || it->second.generation != r.generation) continue;
    if (it->second.HasUnsettled()) {
      // Still queued or leased: its result must find the requester.
      r.at = now;
      renewed.push_back(std::move(r));
      continue;
    }
    entries_.erase(it);
    ++evicted_;
    ++n;
  }
  for (auto& r : renewed) order_.push_back(std::move(r));
  return n;
}

}  // namespace agenthub::broker
