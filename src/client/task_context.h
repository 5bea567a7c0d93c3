// TaskContext: what a handler gets for one delivered task — the task, its
// trace (the process_task span, with the publisher's baggage), and a way to
// tell the requester how far along it is.
//
//   HandlerResult Greet(TaskContext& ctx) {
//     ctx.ReportProgress(50, "thinking");
//     std::string name = ctx.GetString("name").value_or("world");
//     if (ctx.Baggage("user.tier") == "premium") ctx.SetAttribute("greeting.style", "warm");
//     return MakeStruct({{"message", "Hello, " + name + "!"}});
//   }
//
// A TaskContext lives for one handler call, on the worker thread running it;
// the process_task context is also current there (ContextScope), so logs and
// spans started without an explicit parent join the task's trace.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "client/connection.h"
#include "eventbus.pb.h"
#include "telemetry/telemetry.h"

namespace agenthub::client {

class TaskContext {
 public:
  // Everything referenced must outlive the handler call.
  TaskContext(const eventbus::TaskMessage& task, telemetry::Context context,
              const telemetry::Tracer& tracer, Connection& connection, std::string_view agent_id,
              telemetry::Logger& log, const std::atomic<bool>& stopping);

  const eventbus::TaskMessage& task() const { return task_; }
  const std::string& task_id() const { return task_.task_id(); }
  const std::string& task_type() const { return task_.task_type(); }
  const std::string& requester() const { return task_.requester_agent_id(); }
  const google::protobuf::Struct& parameters() const { return task_.parameters(); }
  // Which delivery this is: 1 the first time, more when the broker delivers
  // the task again (its previous holder went away or its lease ran out).
  // Delivery is at least once: a handler with side effects checks this (or
  // its own record of task ids) before doing them twice.
  uint32_t attempt() const { return attempt_; }
  // Typed parameter access (see struct_values.h for the conversions).
  std::optional<std::string> GetString(std::string_view key) const;
  std::optional<double> GetNumber(std::string_view key) const;

  // The process_task span and the baggage that came with the task.
  const telemetry::Context& context() const { return context_; }
  const telemetry::Span& span() const { return context_.span(); }
  std::optional<std::string> Baggage(std::string_view key) const;

  // On the process_task span.
  void SetAttribute(std::string_view key, telemetry::AttributeValue value) const;
  void AddEvent(std::string_view name, telemetry::Attributes attributes = {}) const;
  // A child span of process_task for one step of the work (validate_input,
  // compute_result, ...): performance attribution. The caller ends it.
  telemetry::Span StartSpan(std::string_view name, telemetry::Attributes attributes = {}) const;

  // Sends a progress update (IN_PROGRESS, 0..100) to the requester, with
  // this task's trace headers in progress_data. One attempt, within the
  // call timeout; false when it failed. The task goes on either way.
  bool ReportProgress(int percentage, std::string_view message,
                      google::protobuf::Struct data = {}) const;

  // The subscriber is shutting down: finish or give up quickly.
  bool stopping() const { return stopping_.load(); }
  const std::string& agent_id() const { return agent_id_; }
  telemetry::Logger& log() const { return log_; }

 private:
  const eventbus::TaskMessage& task_;
  const telemetry::Context context_;
  const telemetry::Tracer& tracer_;
  Connection& connection_;
  const std::string agent_id_;
  telemetry::Logger& log_;
  const std::atomic<bool>& stopping_;
  const uint32_t attempt_;
};

// The delivery attempt a task message carries (contract::kDeliveryAttemptKey
// in its metadata); 1 when absent.
uint32_t DeliveryAttemptOf(const eventbus::TaskMessage& task);

}  // namespace agenthub::client
