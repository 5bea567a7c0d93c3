// The server side of SubscribeToTasks: one agent's task stream.
//
// The router hands over at most `window` tasks at a time (Deliver); the
// stream writes them one by one, marking a write as buffered while more are
// waiting (flushing at least every 16 writes) so a busy stream batches its
// frames. Each finished write is reported back to the router, which then
// hands over the next task. When the client goes away, the router takes
// back what was not written (requeue), so nothing is lost silently.
#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <memory>
#include <mutex>

#include "broker/routing/router.h"
#include "broker/service/instrumentation.h"

namespace agenthub::broker {

class TaskStream : public grpc::ServerWriteReactor<eventbus::TaskMessage> {
 public:
  // Shared with the router (as its TaskSink) and the stream registry; it
  // outlives the reactor, and anything delivered after the end is dropped
  // (the router has already requeued it).
  class State : public TaskSink, public std::enable_shared_from_this<State> {
   public:
    void Deliver(RoutedTaskPtr task) override;
    // Ends the stream with `status` once the write in progress finishes.
    void Close(grpc::Status status);

   private:
    friend class TaskStream;
    void StartNextWriteLocked(std::unique_lock<std::mutex>& lock);

    std::mutex mu;
    TaskStream* reactor = nullptr;  // null once OnDone ran
    Router* router = nullptr;
    SubscriptionId id = 0;
    std::string agent_id;
    std::deque<RoutedTaskPtr> pending;
    RoutedTaskPtr writing;
    int writes_since_flush = 0;
    bool first_write = true;
    bool closing = false;
    bool finished = false;
    grpc::Status close_status;
  };

  TaskStream(std::shared_ptr<Router> router, Instrumentation& instrumentation,
             const eventbus::SubscribeToTasksRequest& request, size_t window);

  std::shared_ptr<State> state() const { return state_; }

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  std::shared_ptr<Router> router_;
  Instrumentation& instrumentation_;
  std::shared_ptr<State> state_;
};

}  // namespace agenthub::broker
