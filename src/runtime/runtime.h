// agenthub::runtime, the front door of src/runtime: ProcessTelemetry, what
// every AgentHub process (broker, agents, collector) starts with: traces,
// metrics and logs configured from OTEL_*, and the ops endpoint.
//
//   runtime::ProcessTelemetryOptions options{.service_name = "my-agent"};
//   std::string error;
//   auto telemetry = runtime::ProcessTelemetry::Start(options, &error);
#pragma once

#include "runtime/process_telemetry.h"
