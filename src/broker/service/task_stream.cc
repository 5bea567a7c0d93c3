#include "broker/service/task_stream.h"

namespace agenthub::broker {
namespace {
constexpr int kMaxBufferedWrites = 16;
}

TaskStream::TaskStream(std::shared_ptr<Router> router, Instrumentation& instrumentation,
                       const eventbus::SubscribeToTasksRequest& request, size_t window)
    : router_(std::move(router)),
      instrumentation_(instrumentation),
      state_(std::make_shared<State>()) {
  state_->reactor = this;
  state_->router = router_.get();
  state_->agent_id = request.agent_id();
  TaskSubscription subscription;
  subscription.agent_id = request.agent_id();
  subscription.task_types.assign(request.task_types().begin(), request.task_types().end());
  subscription.sink = state_;
  subscription.window = window;
  // Deliveries that arrive before the id is known (during SubscribeTasks,
  // or from a publisher right after it) wait in `pending`; writing starts
  // once the id is set below.
  SubscribeOutcome outcome = router_->SubscribeTasks(std::move(subscription));
  // The acknowledgement (initial metadata) goes out before any write can
  // start: writes wait for the id, which is set below.
  if (outcome.status == SubscribeStatus::kOk) StartSendInitialMetadata();
  std::unique_lock lock(state_->mu);
  if (outcome.status != SubscribeStatus::kOk) {
    instrumentation_.CountRejected(outcome.status == SubscribeStatus::kShuttingDown
                                       ? "shutting_down"
                                       : "too_many_subscriptions");
    instrumentation_.log().Warn("task subscription refused",
                                {{"agent_id", request.agent_id()}, {"reason", outcome.error}});
    state_->finished = true;
    lock.unlock();
    Finish(grpc::Status(outcome.status == SubscribeStatus::kShuttingDown
                            ? grpc::StatusCode::UNAVAILABLE
                            : grpc::StatusCode::RESOURCE_EXHAUSTED,
                        outcome.error));
    return;
  }
  state_->id = outcome.id;
  instrumentation_.log().Info("agent subscribed to tasks",
                              {{"agent_id", request.agent_id()},
                               {"task_types", static_cast<int64_t>(request.task_types_size())}});
  if (!state_->pending.empty() && !state_->writing) state_->StartNextWriteLocked(lock);
}

void TaskStream::State::Deliver(RoutedTaskPtr task) {
  std::unique_lock lock(mu);
  if (closing || finished || reactor == nullptr) return;  // the router requeues it
  pending.push_back(std::move(task));
  if (!writing && id != 0) StartNextWriteLocked(lock);
}

void TaskStream::State::StartNextWriteLocked(std::unique_lock<std::mutex>& lock) {
  if (writing || pending.empty() || reactor == nullptr) return;
  writing = std::move(pending.front());
  pending.pop_front();
  grpc::WriteOptions options;
  // Buffer while more is queued, but never the first write (the client
  // would wait for it) and never more than kMaxBufferedWrites in a row.
  if (!first_write && !pending.empty() && writes_since_flush < kMaxBufferedWrites) {
    options.set_buffer_hint();
    ++writes_since_flush;
  } else {
    writes_since_flush = 0;
  }
  first_write = false;
  const eventbus::TaskMessage* message = writing->message.get();
  TaskStream* r = reactor;
  lock.unlock();
  r->StartWrite(message, options);
  lock.lock();
}

void TaskStream::State::Close(grpc::Status status) {
  std::unique_lock lock(mu);
  if (closing || finished || reactor == nullptr) return;
  closing = true;
  close_status = std::move(status);
  if (!writing) {
    finished = true;
    TaskStream* r = reactor;
    lock.unlock();
    r->Finish(close_status);
  }
}

void TaskStream::OnWriteDone(bool ok) {
  RoutedTaskPtr written;
  SubscriptionId id;
  {
    std::lock_guard lock(state_->mu);
    written = std::move(state_->writing);
    id = state_->id;
    if (!ok) state_->closing = true;
  }
  if (ok) instrumentation_.CountPublished("task", state_->agent_id);
  router_->OnTaskWritten(id, written, ok);
  std::unique_lock lock(state_->mu);
  if (state_->closing) {
    if (!state_->finished && !state_->writing) {
      state_->finished = true;
      grpc::Status status = ok ? state_->close_status : grpc::Status::CANCELLED;
      lock.unlock();
      Finish(status);
    }
    return;
  }
  state_->StartNextWriteLocked(lock);
}

void TaskStream::OnCancel() {
  bool finish_now = false;
  {
    std::lock_guard lock(state_->mu);
    state_->closing = true;
    if (!state_->writing && !state_->finished) {
      state_->finished = true;
      finish_now = true;
    }
  }
  router_->Unsubscribe(state_->id);
  if (finish_now) Finish(grpc::Status::CANCELLED);
}

void TaskStream::OnDone() {
  SubscriptionId id;
  {
    std::lock_guard lock(state_->mu);
    state_->reactor = nullptr;
    id = state_->id;
  }
  if (id != 0) {
    router_->Unsubscribe(id);
    instrumentation_.log().Info("agent task stream ended", {{"agent_id", state_->agent_id}});
  }
  delete this;
}

}  // namespace agenthub::broker
