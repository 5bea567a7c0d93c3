#include "broker/routing/agent_queue.h"

namespace agenthub::broker {

void AgentQueue::Push(RoutedTaskPtr task) {
  task->state = RouteState::kQueued;
  heap_.push(std::move(task));
  ++live_;
}

RoutedTaskPtr AgentQueue::Pop() {
  while (!heap_.empty()) {
    RoutedTaskPtr top = heap_.top();
    heap_.pop();
    if (top->state == RouteState::kQueued) {
      --live_;
      return top;
    }
  }
  return nullptr;
}

std::vector<RoutedTaskPtr> AgentQueue::TakeAll() {
  std::vector<RoutedTaskPtr> out;
  while (RoutedTaskPtr t = Pop()) out.push_back(std::move(t));
  return out;
}

}  // namespace agenthub::broker
