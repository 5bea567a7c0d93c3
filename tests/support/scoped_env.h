// Test helpers for code that reads OTEL_* variables and reports through
// diagnostics: set or unset a variable for one scope, and collect the
// warnings the code under test emits.
#pragma once

#include <cstdlib>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "telemetry/common/diagnostics.h"

namespace agenthub::telemetry::testing {

// Sets (or, with nullopt, unsets) an environment variable and restores its
// previous state on destruction. Not thread-safe, like setenv itself: use it
// only while no other test thread reads the environment.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) previous_ = old;
    Apply(value);
  }
  ~ScopedEnv() { Apply(previous_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void Apply(const std::optional<std::string>& value) {
    if (value) {
      setenv(name_.c_str(), value->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }

  std::string name_;
  std::optional<std::string> previous_;  // nullopt: was unset
};

// Captures every diagnostic while alive; restores the default (stderr)
// handler afterwards.
class DiagnosticCapture {
 public:
  struct Entry {
    DiagnosticLevel level;
    std::string message;
  };

  DiagnosticCapture() {
    SetDiagnosticHandler([this](DiagnosticLevel level, std::string_view message) {
      std::lock_guard lock(mu_);
      entries_.push_back({level, std::string(message)});
    });
  }
  ~DiagnosticCapture() { SetDiagnosticHandler({}); }
  DiagnosticCapture(const DiagnosticCapture&) = delete;
  DiagnosticCapture& operator=(const DiagnosticCapture&) = delete;

  std::vector<std::string> Warnings() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const Entry& e : entries_) {
      if (e.level == DiagnosticLevel::kWarn) out.push_back(e.message);
    }
    return out;
  }

  // True when some warning contains every one of `fragments`.
  bool HasWarningContaining(std::initializer_list<std::string_view> fragments) const {
    for (const std::string& warning : Warnings()) {
      bool all = true;
      for (std::string_view fragment : fragments) {
        all = all && warning.find(fragment) != std::string::npos;
      }
      if (all) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Entry> entries_;
};

}  // namespace agenthub::telemetry::testing
