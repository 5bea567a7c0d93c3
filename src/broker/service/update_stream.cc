#include "broker/service/update_stream.h"

namespace agenthub::broker {

template <typename Message>
UpdateStream<Message>::UpdateStream(std::shared_ptr<Router> router,
                                    Instrumentation& instrumentation,
                                    const eventbus::SubscribeToTaskResultsRequest& request,
                                    UpdateKind kind, size_t max_backlog)
    : router_(std::move(router)), state_(std::make_shared<State>()) {
  state_->reactor = this;
  state_->max_backlog = max_backlog;
  state_->instrumentation = &instrumentation;
  state_->requester = request.requester_agent_id();
  UpdateSubscription subscription;
  subscription.kind = kind;
  subscription.requester_id = request.requester_agent_id();
  subscription.task_ids.assign(request.task_ids().begin(), request.task_ids().end());
  subscription.sink = state_;
  SubscribeOutcome outcome = router_->SubscribeUpdates(std::move(subscription));
  if (outcome.status != SubscribeStatus::kOk) {
    instrumentation.CountRejected(outcome.status == SubscribeStatus::kShuttingDown
                                      ? "shutting_down"
                                      : "too_many_subscriptions");
    std::unique_lock lock(state_->mu);
    FinishOnce(lock, grpc::Status(outcome.status == SubscribeStatus::kShuttingDown
                                      ? grpc::StatusCode::UNAVAILABLE
                                      : grpc::StatusCode::RESOURCE_EXHAUSTED,
                                  outcome.error));
    return;
  }
  id_ = outcome.id;
  // The acknowledgement: a client that waits for initial metadata knows its
  // subscription is registered and no update can pass it by.
  this->StartSendInitialMetadata();
  std::unique_lock lock(state_->mu);
  state_->started = true;
  state_->StartNextWriteLocked(lock);
}

template <typename Message>
template <typename Any>
void UpdateStream<Message>::State::Push(const Any& update) {
  if constexpr (std::is_same_v<Any, Ptr>) {
    std::unique_lock lock(mu);
    if (closing || finished || reactor == nullptr) return;
    if (pending.size() >= max_backlog) {
      // Log the first drop and then every 1000th, not each one.
      if (dropped++ % 1000 == 0) {
        instrumentation->log().Warn("update stream backlog full; dropping updates",
                                    {{"requester", requester},
                                     {"task_id", update->task_id()},
                                     {"dropped_total", static_cast<int64_t>(dropped)}});
      }
      instrumentation->CountRejected("subscriber_backlog_full");
      return;
    }
    pending.push_back(update);
    StartNextWriteLocked(lock);
  }
}

template <typename Message>
void UpdateStream<Message>::State::StartNextWriteLocked(std::unique_lock<std::mutex>& lock) {
  if (!started || writing || pending.empty() || reactor == nullptr) return;
  writing = std::move(pending.front());
  pending.pop_front();
  const Message* message = writing.get();
  UpdateStream* r = reactor;
  lock.unlock();
  r->StartWrite(message);
  lock.lock();
}

template <typename Message>
void UpdateStream<Message>::State::Close(grpc::Status status) {
  std::unique_lock lock(mu);
  if (closing || finished || reactor == nullptr) return;
  closing = true;
  close_status = std::move(status);
  // What is buffered still goes out first (the FAILED results of a
  // shutdown are pushed just before the streams close).
  if (!writing && pending.empty()) reactor->FinishOnce(lock, close_status);
}

template <typename Message>
void UpdateStream<Message>::FinishOnce(std::unique_lock<std::mutex>& lock, grpc::Status status) {
  if (state_->finished) return;
  state_->finished = true;
  lock.unlock();
  this->Finish(std::move(status));
  lock.lock();
}

template <typename Message>
void UpdateStream<Message>::OnWriteDone(bool ok) {
  std::unique_lock lock(state_->mu);
  state_->writing.reset();
  if (!ok) {
    state_->closing = true;
    FinishOnce(lock, grpc::Status::CANCELLED);
    return;
  }
  if (state_->closing && state_->pending.empty()) {
    FinishOnce(lock, state_->close_status);
    return;
  }
  state_->StartNextWriteLocked(lock);
}

template <typename Message>
void UpdateStream<Message>::OnCancel() {
  router_->Unsubscribe(id_);
  std::unique_lock lock(state_->mu);
  state_->closing = true;
  if (!state_->writing) FinishOnce(lock, grpc::Status::CANCELLED);
}

template <typename Message>
void UpdateStream<Message>::OnDone() {
  {
    std::lock_guard lock(state_->mu);
    state_->reactor = nullptr;
  }
  if (id_ != 0) router_->Unsubscribe(id_);
  delete this;
}

template class UpdateStream<eventbus::TaskResult>;
template class UpdateStream<eventbus::TaskProgress>;

}  // namespace agenthub::broker
