#include "client/subscriber.h"

#include <algorithm>

namespace agenthub::client {

Subscriber::Subscriber(std::shared_ptr<Connection> connection, SubscriberOptions options,
                       ClientTelemetry telemetry)
    : connection_(std::move(connection)),
      options_(std::move(options)),
      telemetry_(std::move(telemetry)),
      runner_(*connection_, telemetry_, options_.agent_id, stopping_),
      // Queue room equal to the worker count: enough to keep workers busy,
      // small enough that tasks wait at the broker, not here.
      pool_(static_cast<size_t>(std::max(1, options_.max_concurrent_tasks)),
            static_cast<size_t>(std::max(1, options_.max_concurrent_tasks))),
      tasks_(
          connection_, "tasks",
          [this](grpc::ClientContext& c, const std::function<void()>& opened) {
            return RunTasks(c, opened);
          },
          telemetry_.log()) {}

Subscriber::~Subscriber() { Stop(); }

void Subscriber::Handle(const std::string& task_type, TaskHandler handler) {
  std::lock_guard lock(handlers_mu_);
  handlers_[task_type] = std::move(handler);
}

TaskHandler Subscriber::HandlerFor(const std::string& task_type) const {
  std::lock_guard lock(handlers_mu_);
  auto it = handlers_.find(task_type);
  return it == handlers_.end() ? TaskHandler() : it->second;
}

bool Subscriber::Start(std::chrono::milliseconds timeout) {
  tasks_.Start();
  return tasks_.WaitUntilOpen(timeout);
}

bool Subscriber::Stop() {
  std::call_once(stopped_, [this] {
    // Handlers see stopping() from here on. Then stop receiving: the broker
    // keeps (or requeues) what it has not written to us, and everything we
    // did receive is ours to finish.
    stopping_ = true;
    tasks_.Stop();
    drained_ = pool_.Shutdown(options_.shutdown_timeout);
    if (!drained_) {
      telemetry_.log().Error("tasks still running at the end of the shutdown timeout",
                             {{"agent_id", options_.agent_id}});
    }
  });
  return drained_;
}

bool Subscriber::IsReady() const { return connection_->IsConnected() && tasks_.IsOpen(); }

grpc::Status Subscriber::RunTasks(grpc::ClientContext& context,
                                  const std::function<void()>& opened) {
  eventbus::SubscribeToTasksRequest request;
  request.set_agent_id(options_.agent_id);
  for (const auto& type : options_.task_types) request.add_task_types(type);
  auto reader = connection_->stub().SubscribeToTasks(&context, request);
  // The broker acknowledges a registered subscription with its initial
  // metadata; a task published after Start() returns then reaches us.
  // Start() bounds the wait.
  reader->WaitForInitialMetadata();
  opened();
  telemetry_.log().Info("subscribed to tasks", {{"agent_id", options_.agent_id}});
  while (true) {
    auto task = std::make_shared<eventbus::TaskMessage>();
    if (!reader->Read(task.get())) break;
    received_.fetch_add(1);
    {
      std::lock_guard lock(running_mu_);
      if (!running_.insert(task->task_id()).second) {
        duplicates_skipped_.fetch_add(1);
        telemetry_.log().Info("redelivered task is already running here; not run twice",
                              {{"task_id", task->task_id()},
                               {"attempt", static_cast<int64_t>(DeliveryAttemptOf(*task))}});
        continue;
      }
    }
    TaskHandler handler = HandlerFor(task->task_type());
    // Blocks while every worker is busy: backpressure towards the broker.
    const bool queued = pool_.Submit([this, task, handler = std::move(handler)] {
      runner_.Run(*task, handler);
      std::lock_guard lock(running_mu_);
      running_.erase(task->task_id());
    });
    if (!queued) {
      std::lock_guard lock(running_mu_);
      running_.erase(task->task_id());
    }
  }
  return reader->Finish();
}

}  // namespace agenthub::client
