// agenthub::ops: the operations HTTP endpoint (/metrics, /health, /ready)
// every AgentHub process serves. This header is the folder's front door.
//
//   OpsServer server({.port = 8080, .version = "0.1.0"});
//   server.SetMetricsCallback([&] { return registry_text(); });
//   server.AddCheck("broker", [&] { return CheckResult::Healthy(); }, 2s);
//   server.SetReadinessCallback([&] { return ready ? Readiness::Ready()
//                                                  : Readiness::NotReady("no agent"); });
//   if (auto error = server.Start(); !error.empty()) { ... }
#pragma once

#include "ops/health_checks.h"
#include "ops/ops_server.h"
