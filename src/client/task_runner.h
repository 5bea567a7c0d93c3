// TaskRunner: takes one delivered task through its handler and publishes
// the result, inside the subscriber's part of the task's trace:
//
//   consume_event (CONSUMER, child of the broker's route_task)
//   └─ process_task        task.type, task.parameter.<k>, processing.status
//      └─ publish_result   result.status
//
// Every path ends in exactly one published result: the handler's data
// (COMPLETED), its Failure or exception (FAILED, recorded on the span with
// error.type and an `exception` event), or "unknown task type: X".
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "client/client_telemetry.h"
#include "client/connection.h"
#include "client/handler_result.h"
#include "client/task_context.h"

namespace agenthub::client {

using TaskHandler = std::function<HandlerResult(TaskContext&)>;

class TaskRunner {
 public:
  // Everything referenced must outlive the runner.
  TaskRunner(Connection& connection, const ClientTelemetry& telemetry, std::string agent_id,
             const std::atomic<bool>& stopping);

  // `handler` empty: the type is unknown. Never throws.
  void Run(const eventbus::TaskMessage& task, const TaskHandler& handler);

 private:
  // The handler's result; an exception becomes a Failure named after its
  // type, with the `exception` event recorded on `span`.
  HandlerResult Invoke(const TaskHandler& handler, TaskContext& context, telemetry::Span& span,
                       bool* exception_recorded);
  void PublishResult(const eventbus::TaskMessage& task, const HandlerResult& outcome,
                     const telemetry::Context& parent);

  Connection& connection_;
  const ClientTelemetry& telemetry_;
  const std::string agent_id_;
  const std::atomic<bool>& stopping_;
  telemetry::Int64Counter processed_;  // tasks, by type and status
  telemetry::Histogram duration_;      // handler time, seconds
};

}  // namespace agenthub::client
