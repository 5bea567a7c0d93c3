#include "broker/routing/dead_letters.h"

namespace agenthub::broker {

void DeadLetterList::Add(RoutedTaskPtr task, std::string reason, std::string requester) {
  if (max_entries_ == 0) {
    ++forgotten_;
    return;
  }
  while (entries_.size() >= max_entries_) {
    entries_.pop_front();
    ++forgotten_;
  }
  entries_.push_back(
      Entry{std::move(task), std::move(reason), std::move(requester), telemetry::Now()});
}

RoutedTaskPtr DeadLetterList::Take(std::string_view task_id) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->task->message->task_id() == task_id) {
      RoutedTaskPtr task = std::move(it->task);
      entries_.erase(std::next(it).base());
      return task;
    }
  }
  return nullptr;
}

std::vector<DeadLetter> DeadLetterList::List() const {
  std::vector<DeadLetter> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) {
    const eventbus::TaskMessage& m = *e.task->message;
    out.push_back(DeadLetter{m.task_id(), m.task_type(), e.task->agent_id, e.requester,
                             e.task->attempt, e.reason, e.at});
  }
  return out;
}

}  // namespace agenthub::broker
