// HealthChecker: named health checks, each run on its own thread and bounded
// by its own timeout, so a check that hangs (a dead database, a stuck lock)
// makes /health report it unhealthy instead of hanging the endpoint.
//
// Threads stay bounded: while a run of a check is still going, later
// requests join that run instead of starting another, so a check that never
// returns costs one thread, not one per request. Concurrent /health
// requests therefore share results too.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "telemetry/telemetry.h"

namespace agenthub::ops {

struct CheckResult {
  bool healthy = true;
  std::string message;

  static CheckResult Healthy(std::string message = "ok") { return {true, std::move(message)}; }
  static CheckResult Unhealthy(std::string message) { return {false, std::move(message)}; }
};

// Runs on a thread of its own; may block. What it captures must stay alive
// while a run may still be going (capture shared_ptrs, not references to
// objects that die before the process). A thrown exception counts as
// unhealthy with its message.
using HealthCheck = std::function<CheckResult()>;

// The outcome of one check for one /health request.
struct CheckReport {
  std::string name;
  bool healthy = false;
  std::string message;
  telemetry::Timestamp last_checked;     // when the run that produced this started
  std::chrono::nanoseconds duration{0};  // how long it ran (the timeout, if it timed out)
};

struct HealthReport {
  bool healthy = true;              // every check healthy (also true with no checks)
  std::vector<CheckReport> checks;  // in the order the checks were added
};

class HealthChecker {
 public:
  static constexpr std::chrono::milliseconds kDefaultTimeout{5000};

  HealthChecker() = default;
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  // Adds a check, or replaces the one with the same name. Thread-safe; may
  // be called while the server is serving.
  void AddCheck(std::string name, HealthCheck check,
                std::chrono::milliseconds timeout = kDefaultTimeout);
  // False when no check has that name.
  bool RemoveCheck(const std::string& name);

  // Runs every check concurrently and waits for each at most its timeout;
  // returns within the longest timeout.
  HealthReport RunAll();

 private:
  struct Run;
  struct Entry;
  static std::shared_ptr<Run> StartOrJoin(Entry& entry);
  static CheckReport Await(const Entry& entry, Run& run);

  std::mutex mu_;  // guards entries_ (not the runs)
  std::vector<std::shared_ptr<Entry>> entries_;
};

}  // namespace agenthub::ops
