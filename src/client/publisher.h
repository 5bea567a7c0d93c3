// Publisher: sends tasks to the broker and waits for their results.
//
//   auto connection = Connection::Create(ConnectionOptions::FromEnvironment());
//   Publisher publisher(connection, {.agent_id = "agent_demo_publisher"});
//   publisher.Start(std::chrono::seconds(10));
//   auto outcome = publisher.Publish({.task_type = "greeting",
//                                     .parameters = MakeStruct({{"name", "Claude"}}),
//                                     .responder_agent_id = "agent_demo_subscriber"})
//                      .get();
//
// Every task starts a trace: a `publish_event` PRODUCER span (event.type,
// event.id, responder.agent) whose context, with the caller's baggage, goes
// into TaskMessage.metadata.trace_headers and into the call's gRPC metadata.
// When the result arrives, a `consume_result` CONSUMER span continues the
// trace from the broker's route_result (the result's
// execution_metadata.trace_headers), so one trace holds the task's whole
// round trip (docs/reference/spans.md).
//
// Results and progress come over subscriptions filtered to this agent id,
// which reconnect by themselves after a broker restart. The broker keeps
// results for a requester that is not subscribed (--result-ttl) and sends
// them when it subscribes again, but progress does not wait: call Start()
// before publishing and use one agent id per publisher. Delivery is at least
// once, so a task may be answered twice; only its first result counts.
#pragma once

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "client/client_telemetry.h"
#include "client/connection.h"
#include "client/pending_tasks.h"
#include "client/reconnecting_stream.h"
#include "client/task_request.h"

namespace agenthub::client {

struct PublisherOptions {
  // requester_agent_id of every task: where the broker sends results back.
  std::string agent_id = "agent_publisher";
  // Default wait for a result (TaskRequest::result_timeout overrides).
  std::chrono::milliseconds result_timeout{30000};
  // Subscribe to progress updates (needed for progress callbacks).
  bool receive_progress = true;
};

class Publisher {
 public:
  // `connection` is shared (a subscriber may use it too).
  Publisher(std::shared_ptr<Connection> connection, PublisherOptions options,
            ClientTelemetry telemetry = ClientTelemetry::FromGlobals());
  // Stop()s.
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Opens the result (and progress) subscriptions and waits until they are
  // open; false at the timeout (they keep trying in the background).
  bool Start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Closes the subscriptions; tasks still waiting end as kAbandoned.
  void Stop();

  // Publishes and returns a future of the outcome. Blocks for the publish
  // RPC itself (with its retries), not for the result. `parent` is the
  // context the publish span starts under (its baggage travels too).
  std::future<TaskOutcome> Publish(
      TaskRequest request, ProgressCallback on_progress = {},
      const telemetry::Context& parent = telemetry::Context::Current());
  // The same with a callback, called exactly once on an SDK thread (also
  // when publishing fails). Returns the task id.
  std::string PublishAsync(TaskRequest request, ResultCallback on_result,
                           ProgressCallback on_progress = {},
                           const telemetry::Context& parent = telemetry::Context::Current());

  // Connected, and the result subscription is open.
  bool IsReady() const;
  const std::string& agent_id() const { return options_.agent_id; }
  // Tasks published and still waiting for their result.
  size_t waiting() const { return pending_.size(); }
  // Results ignored because their task had its result already (or was
  // given up): at-least-once delivery can produce a second one.
  uint64_t duplicate_results() const { return duplicate_results_.load(); }

 private:
  grpc::Status RunResults(grpc::ClientContext& context, const std::function<void()>& opened);
  grpc::Status RunProgress(grpc::ClientContext& context, const std::function<void()>& opened);
  void OnResult(const eventbus::TaskResult& result);
  void OnProgress(const eventbus::TaskProgress& progress);
  void Finish(PendingTask& task, TaskOutcome outcome);
  // The steps of PublishAsync: the wire message, the publish_event span
  // (returned context holds it), the entry that waits for the result, the
  // RPC itself, and what a refused publish records.
  eventbus::PublishTaskRequest BuildRequest(TaskRequest& request) const;
  telemetry::Context StartPublishSpan(const eventbus::TaskMessage& task,
                                      const telemetry::Context& base);
  std::shared_ptr<PendingTask> Await(const std::string& task_id, ResultCallback on_result,
                                     ProgressCallback on_progress,
                                     std::chrono::milliseconds timeout,
                                     const telemetry::Context& context) const;
  grpc::Status Send(const eventbus::PublishTaskRequest& request, bool added,
                    const telemetry::Context& context);
  void FailPublish(const std::shared_ptr<PendingTask>& pending, bool added,
                   const grpc::Status& status, const telemetry::Context& context);

  const std::shared_ptr<Connection> connection_;
  const PublisherOptions options_;
  const ClientTelemetry telemetry_;
  telemetry::Int64Counter published_;  // tasks, by type and outcome
  telemetry::Histogram round_trip_;    // publish to result, seconds
  PendingTasks pending_;
  std::atomic<uint64_t> duplicate_results_{0};
  ReconnectingStream results_;
  std::unique_ptr<ReconnectingStream> progress_;  // null unless receive_progress
};

}  // namespace agenthub::client
