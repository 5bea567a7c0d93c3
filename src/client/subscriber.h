// Subscriber: receives tasks for one agent id and runs a handler per task
// type on a bounded pool of worker threads.
//
//   Subscriber subscriber(connection, {.agent_id = "agent_demo_subscriber"});
//   subscriber.Handle("greeting", [](TaskContext& ctx) -> HandlerResult {
//     return MakeStruct({{"message", "Hello, " + ctx.GetString("name").value_or("you")}});
//   });
//   subscriber.Start();
//   ...
//   subscriber.Stop();  // finishes tasks already received, publishes their results
//
// Each task is traced as TaskRunner describes (consume_event, process_task,
// publish_result), continuing the trace its publisher started. The task
// stream reconnects by itself after a broker restart.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "client/client_telemetry.h"
#include "client/connection.h"
#include "client/reconnecting_stream.h"
#include "client/task_runner.h"
#include "client/worker_pool.h"

namespace agenthub::client {

struct SubscriberOptions {
  std::string agent_id = "agent_subscriber";
  // Types to ask the broker for. Empty: every type, so a task of a type
  // with no handler gets a FAILED "unknown task type" answer instead of
  // waiting at the broker until its deadline.
  std::vector<std::string> task_types;
  // Handlers running at once (worker threads).
  int max_concurrent_tasks = 4;
  // How long Stop() lets tasks already received finish.
  std::chrono::milliseconds shutdown_timeout{30000};
};

class Subscriber {
 public:
  Subscriber(std::shared_ptr<Connection> connection, SubscriberOptions options,
             ClientTelemetry telemetry = ClientTelemetry::FromGlobals());
  // Stop()s.
  ~Subscriber();
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  // Registers (or replaces) the handler of `task_type`; allowed at any time.
  void Handle(const std::string& task_type, TaskHandler handler);

  // Opens the task stream; true once it is open (false at the timeout, it
  // keeps trying in the background).
  bool Start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Graceful shutdown: stops receiving, lets every task already received
  // finish and publish its result (TaskContext::stopping() turns true), then
  // returns whether all finished within shutdown_timeout. Idempotent.
  bool Stop();

  // Connected, and the task stream is open.
  bool IsReady() const;
  const std::string& agent_id() const { return options_.agent_id; }
  // Tasks received since Start (all of them end in a published result).
  uint64_t received() const { return received_.load(); }
  // Deliveries skipped because the same task was still running here (a
  // redelivery that came back to this agent while its handler ran).
  uint64_t duplicates_skipped() const { return duplicates_skipped_.load(); }
  // Times the task stream was opened (1 + reconnects).
  uint64_t stream_opens() const { return tasks_.opens(); }

 private:
  grpc::Status RunTasks(grpc::ClientContext& context, const std::function<void()>& opened);
  TaskHandler HandlerFor(const std::string& task_type) const;

  const std::shared_ptr<Connection> connection_;
  const SubscriberOptions options_;
  const ClientTelemetry telemetry_;
  std::atomic<bool> stopping_{false};  // read by handlers via TaskContext
  std::atomic<uint64_t> received_{0};
  std::atomic<uint64_t> duplicates_skipped_{0};
  // Task ids whose handler is queued or running: a redelivery of one of
  // them is not run a second time (its running handler will answer).
  std::mutex running_mu_;
  std::unordered_set<std::string> running_;
  mutable std::mutex handlers_mu_;
  std::unordered_map<std::string, TaskHandler> handlers_;  // guarded by handlers_mu_
  TaskRunner runner_;
  WorkerPool pool_;
  ReconnectingStream tasks_;
  std::once_flag stopped_;
  bool drained_ = true;  // what Stop() returned the first time
};

}  // namespace agenthub::client
