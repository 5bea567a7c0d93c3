// What a publisher sends (TaskRequest) and what it gets back (TaskOutcome).
#pragma once

#include <google/protobuf/struct.pb.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "eventbus.pb.h"

namespace agenthub::client {

struct TaskRequest {
  std::string task_type;  // required
  google::protobuf::Struct parameters;
  // The agent that should do the work. Empty: every connected agent whose
  // task-type filter matches receives the task.
  std::string responder_agent_id;
  eventbus::Priority priority = eventbus::PRIORITY_MEDIUM;
  // Until when the broker may hold the task for a busy or absent agent;
  // past it the broker answers with a FAILED result. Unset: no deadline.
  std::optional<std::chrono::system_clock::time_point> deadline;
  // Empty: a new unique id ("task_" + 32 hex digits).
  std::string task_id;
  // Added to the caller's baggage and propagated with the task, so every
  // hop (and the handler) can read them: {"user.tier", "premium"}.
  std::vector<std::pair<std::string, std::string>> baggage;
  // Extra TaskMessage.metadata fields; "trace_headers" is always replaced by
  // the publish span's context.
  google::protobuf::Struct metadata;
  // How long to wait for the result. Zero: PublisherOptions::result_timeout.
  std::chrono::milliseconds result_timeout{0};
};

struct TaskOutcome {
  enum class Kind {
    kResult,         // the executor's result arrived (COMPLETED or FAILED)
    kPublishFailed,  // the broker refused the task or could not be reached
    kTimedOut,       // no result within the timeout
    kAbandoned,      // the publisher stopped while waiting
  };
  Kind kind = Kind::kResult;
  std::string task_id;
  std::string trace_id;                 // of the publish_event span: look the trace up by it
  eventbus::TaskResult result;          // for kResult
  std::string error;                    // why, for every other kind and for FAILED results
  std::chrono::nanoseconds elapsed{0};  // publish to outcome

  // A result arrived and says COMPLETED.
  bool completed() const {
    return kind == Kind::kResult && result.status() == eventbus::TASK_STATUS_COMPLETED;
  }
};

const char* OutcomeKindName(TaskOutcome::Kind kind);  // "result", "publish_failed", ...

// "task_" + 32 random hex digits: unique without coordination.
std::string NewTaskId();

// Called exactly once per published task, on an SDK thread: keep it short.
using ResultCallback = std::function<void(const TaskOutcome&)>;
// Called for each progress update of the task, on an SDK thread. Progress
// and results travel on separate streams: the last updates may come just
// after the result callback (they are still delivered for a few seconds).
using ProgressCallback = std::function<void(const eventbus::TaskProgress&)>;

}  // namespace agenthub::client
