// The server side of SubscribeToTaskResults and SubscribeToTaskProgress.
//
// Updates are fire-and-forget for the router: the stream keeps a bounded
// backlog for a slow client and drops (counting and logging) beyond it, so
// one slow subscriber never holds up publishers or other subscribers.
#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <memory>
#include <mutex>

#include "broker/routing/router.h"
#include "broker/service/instrumentation.h"

namespace agenthub::broker {

template <typename Message>
class UpdateStream : public grpc::ServerWriteReactor<Message> {
 public:
  using Ptr = std::shared_ptr<const Message>;

  class State : public UpdateSink {
   public:
    void DeliverResult(const ResultPtr& result) override { Push(result); }
    void DeliverProgress(const ProgressPtr& progress) override { Push(progress); }
    void Close(grpc::Status status);

   private:
    friend class UpdateStream;
    template <typename Any>
    void Push(const Any& update);
    void StartNextWriteLocked(std::unique_lock<std::mutex>& lock);

    std::mutex mu;
    UpdateStream* reactor = nullptr;
    size_t max_backlog = 1024;
    std::deque<Ptr> pending;
    Ptr writing;
    // Writes wait until the client has been told it is subscribed (initial
    // metadata must go out before the first write op is started).
    bool started = false;
    bool closing = false;
    bool finished = false;
    grpc::Status close_status;
    uint64_t dropped = 0;
    Instrumentation* instrumentation = nullptr;
    std::string requester;
  };

  UpdateStream(std::shared_ptr<Router> router, Instrumentation& instrumentation,
               const eventbus::SubscribeToTaskResultsRequest& request, UpdateKind kind,
               size_t max_backlog);

  std::shared_ptr<State> state() const { return state_; }
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void FinishOnce(std::unique_lock<std::mutex>& lock, grpc::Status status);

  std::shared_ptr<Router> router_;
  std::shared_ptr<State> state_;
  SubscriptionId id_ = 0;
};

using ResultStream = UpdateStream<eventbus::TaskResult>;
using ProgressStream = UpdateStream<eventbus::TaskProgress>;

}  // namespace agenthub::broker
