// Exporters that misbehave on purpose, for processor tests: one that blocks
// until released (a hung backend), one that records call overlap.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "telemetry/trace/span_exporter.h"

namespace agenthub::telemetry::testing {

// Blocks every Export until Unblock() (or its own Shutdown, which is how a
// real network exporter abandons a hung request).
class BlockingExporter : public SpanExporter {
 public:
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    bool released = false;
    int export_calls = 0;
    int spans_seen = 0;
    bool shut_down = false;
    bool in_export = false;
  };

  explicit BlockingExporter(std::shared_ptr<Shared> shared, bool unblock_on_shutdown = true)
      : shared_(std::move(shared)), unblock_on_shutdown_(unblock_on_shutdown) {}

  ExportResult Export(std::span<const SpanData* const> batch, Deadline) override {
    std::unique_lock lock(shared_->mu);
    ++shared_->export_calls;
    shared_->spans_seen += static_cast<int>(batch.size());
    shared_->in_export = true;
    shared_->cv.notify_all();
    shared_->cv.wait(lock, [&] { return shared_->released; });
    shared_->in_export = false;
    return ExportResult::kSuccess;
  }
  bool Shutdown(std::chrono::milliseconds) override {
    std::lock_guard lock(shared_->mu);
    shared_->shut_down = true;
    if (unblock_on_shutdown_) {
      shared_->released = true;
      shared_->cv.notify_all();
    }
    return true;
  }

  static void Unblock(Shared& s) {
    std::lock_guard lock(s.mu);
    s.released = true;
    s.cv.notify_all();
  }
  static bool WaitUntilInExport(Shared& s, std::chrono::milliseconds timeout) {
    std::unique_lock lock(s.mu);
    return s.cv.wait_for(lock, timeout, [&] { return s.in_export; });
  }

 private:
  std::shared_ptr<Shared> shared_;
  bool unblock_on_shutdown_;
};

// Counts spans and batches and notices overlapping Export calls.
class CountingExporter : public SpanExporter {
 public:
  struct Shared {
    std::atomic<int> batches{0};
    std::atomic<int> spans{0};
    std::atomic<int> max_batch{0};
    std::atomic<int> in_flight{0};
    std::atomic<bool> overlapped{false};
    std::atomic<int> flushes{0};
  };
  explicit CountingExporter(std::shared_ptr<Shared> shared, std::chrono::microseconds delay = {})
      : shared_(std::move(shared)), delay_(delay) {}

  ExportResult Export(std::span<const SpanData* const> batch, Deadline) override {
    if (shared_->in_flight.fetch_add(1) != 0) shared_->overlapped = true;
    if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
    shared_->batches++;
    shared_->spans += static_cast<int>(batch.size());
    int prev = shared_->max_batch.load();
    while (static_cast<int>(batch.size()) > prev &&
           !shared_->max_batch.compare_exchange_weak(prev, static_cast<int>(batch.size()))) {
    }
    shared_->in_flight.fetch_sub(1);
    return ExportResult::kSuccess;
  }
  bool ForceFlush(std::chrono::milliseconds) override {
    shared_->flushes++;
    return true;
  }
  bool Shutdown(std::chrono::milliseconds) override { return true; }

 private:
  std::shared_ptr<Shared> shared_;
  std::chrono::microseconds delay_;
};

}  // namespace agenthub::telemetry::testing
