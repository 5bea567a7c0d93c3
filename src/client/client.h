// agenthub::client — the agent SDK. This header is the front door.
//
// An agent is a process that talks to the AgentHub broker over gRPC
// (proto/eventbus.proto). It publishes tasks, handles tasks, or both:
//
//   Connection                 one channel to the broker, shared by both roles:
//                              retry with exponential backoff, per-call
//                              deadlines, TLS through injectable credentials
//   Publisher                  Publish(TaskRequest) -> std::future<TaskOutcome>
//                              (or a callback); progress callbacks; timeouts
//   Subscriber                 Handle("type", handler); Start(); Stop()
//     └ handler(TaskContext&)  parameters, baggage, progress, attributes,
//         -> HandlerResult     child spans; return data or Failure(), or throw
//   MakeStruct / GetString     building and reading protobuf Struct payloads
//
// Everything is traced without code in the agent (docs/reference/spans.md):
//
//   publish_event (publisher, PRODUCER)        event.type, event.id, responder.agent
//   └─ route_task (broker)
//      └─ consume_event (subscriber, CONSUMER)
//         └─ process_task (subscriber)        task.type, task.parameter.<k>, processing.status
//            └─ publish_result (subscriber)   result.status
//               └─ route_result (broker)
//                  └─ consume_result (publisher, CONSUMER)
//
// Trace context and baggage travel in the messages' trace_headers Structs and
// in gRPC metadata, so agents in other languages join the same traces.
// Streams (tasks, results, progress) reopen by themselves after a broker
// restart; IsReady() on either role is what an agent's /ready reports.
//
// Telemetry goes to the process-wide providers by default: start the process
// with runtime::ProcessTelemetry (OTEL_* variables) and the SDK's spans,
// logs and metrics (agent_tasks_published, agent_tasks_processed, ...) go
// where the rest of the process's go. Pass a ClientTelemetry to redirect
// them (tests use in-memory exporters).
//
// Threading: Publisher and Subscriber are thread-safe. Callbacks and
// handlers run on SDK threads; a result callback runs on the thread that
// reads results, so keep it short (the std::future form has no such
// constraint).
#pragma once

#include "client/backoff.h"
#include "client/client_telemetry.h"
#include "client/connection.h"
#include "client/connection_options.h"
#include "client/handler_result.h"
#include "client/publisher.h"
#include "client/struct_values.h"
#include "client/subscriber.h"
#include "client/task_context.h"
#include "client/task_request.h"
