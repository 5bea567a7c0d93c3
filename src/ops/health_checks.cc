#include "ops/health_checks.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <system_error>
#include <thread>

#include "telemetry/telemetry.h"

namespace agenthub::ops {

using telemetry::SteadyClock;

// One execution of a check. Shared by the thread running it and by every
// request waiting for it; outlives both if the check hangs.
struct HealthChecker::Run {
  telemetry::Timestamp started_at;
  SteadyClock::time_point started;
  std::mutex mu;
  std::condition_variable finished;
  bool done = false;                    // guarded by mu
  CheckResult result;                   // guarded by mu; valid once done
  std::chrono::nanoseconds elapsed{0};  // guarded by mu; valid once done
};

struct HealthChecker::Entry {
  std::string name;
  HealthCheck check;
  std::chrono::milliseconds timeout;
  std::mutex mu;                   // guards in_flight
  std::shared_ptr<Run> in_flight;  // the latest run; joined while not done
};

namespace {

CheckResult RunGuarded(const HealthCheck& check) {
  try {
    return check();
  } catch (const std::exception& e) {
    return CheckResult::Unhealthy(std::string("check failed: ") + e.what());
  } catch (...) {
    return CheckResult::Unhealthy("check failed: unknown exception");
  }
}

}  // namespace

void HealthChecker::AddCheck(std::string name, HealthCheck check,
                             std::chrono::milliseconds timeout) {
  auto entry = std::make_shared<Entry>();
  entry->name = std::move(name);
  entry->check = std::move(check);
  entry->timeout = timeout;
  std::lock_guard lock(mu_);
  for (auto& existing : entries_) {
    if (existing->name == entry->name) {
      existing = std::move(entry);
      return;
    }
  }
  entries_.push_back(std::move(entry));
}

bool HealthChecker::RemoveCheck(const std::string& name) {
  std::lock_guard lock(mu_);
  return std::erase_if(entries_, [&](const auto& e) { return e->name == name; }) > 0;
}

std::shared_ptr<HealthChecker::Run> HealthChecker::StartOrJoin(Entry& entry) {
  std::lock_guard lock(entry.mu);
  if (entry.in_flight) {
    std::lock_guard run_lock(entry.in_flight->mu);
    if (!entry.in_flight->done) return entry.in_flight;
  }
  auto run = std::make_shared<Run>();
  run->started_at = telemetry::Now();
  run->started = SteadyClock::now();
  try {
    // Detached: a hung check must not block anyone joining it. The thread
    // owns copies of what it needs.
    std::thread([run, check = entry.check] {
      CheckResult result = RunGuarded(check);
      std::lock_guard run_lock(run->mu);
      run->result = std::move(result);
      run->elapsed = SteadyClock::now() - run->started;
      run->done = true;
      run->finished.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    std::lock_guard run_lock(run->mu);
    run->result = CheckResult::Unhealthy(std::string("could not start check: ") + e.what());
    run->done = true;
  }
  entry.in_flight = run;
  return run;
}

CheckReport HealthChecker::Await(const Entry& entry, Run& run) {
  CheckReport report;
  report.name = entry.name;
  report.last_checked = run.started_at;
  std::unique_lock lock(run.mu);
  if (run.finished.wait_until(lock, run.started + entry.timeout, [&] { return run.done; })) {
    report.healthy = run.result.healthy;
    report.message = run.result.message;
    report.duration = run.elapsed;
  } else {
    report.healthy = false;
    report.message = "timed out after " + telemetry::FormatGoDuration(entry.timeout);
    report.duration = SteadyClock::now() - run.started;
  }
  return report;
}

HealthReport HealthChecker::RunAll() {
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard lock(mu_);
    entries = entries_;
  }
  // Start everything first so the checks run in parallel, then collect.
  std::vector<std::shared_ptr<Run>> runs;
  runs.reserve(entries.size());
  for (const auto& entry : entries) runs.push_back(StartOrJoin(*entry));
  HealthReport report;
  report.checks.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    report.checks.push_back(Await(*entries[i], *runs[i]));
    report.healthy = report.healthy && report.checks.back().healthy;
  }
  return report;
}

}  // namespace agenthub::ops
