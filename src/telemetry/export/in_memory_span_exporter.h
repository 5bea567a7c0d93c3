// InMemorySpanExporter: keeps copies of exported spans for tests and for
// tools that inspect what the SDK produced.
//
// The spans live in an InMemorySpanStore held by shared_ptr, not in the
// exporter, because the exporter is owned (and eventually destroyed) by a
// span processor while the test still wants to read what arrived:
//
//   auto store = std::make_shared<InMemorySpanStore>();
//   auto processor = std::make_unique<SimpleSpanProcessor>(
//       std::make_unique<InMemorySpanExporter>(store));
//   ...
//   EXPECT_EQ(store->spans().size(), 1u);
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "telemetry/trace/span_exporter.h"

namespace agenthub::telemetry {

// A bounded, thread-safe list of finished spans. Once full, further spans are
// dropped (and counted) rather than evicting older ones, so a test can rely
// on the first spans it produced being there.
class InMemorySpanStore {
 public:
  static constexpr size_t kDefaultCapacity = 100'000;

  explicit InMemorySpanStore(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  InMemorySpanStore(const InMemorySpanStore&) = delete;
  InMemorySpanStore& operator=(const InMemorySpanStore&) = delete;

  // Copies the spans of `batch` (null entries skipped) and wakes waiters.
  void Add(std::span<const SpanData* const> batch);

  // A snapshot: copies, so callers may keep them while exports continue.
  std::vector<SpanData> spans() const;
  std::vector<SpanData> SpansNamed(std::string_view name) const;
  size_t size() const;
  // Spans refused because the store was full, since the last Reset().
  uint64_t dropped() const;
  size_t capacity() const { return capacity_; }

  // Forgets all spans and the drop count.
  void Reset();

  // Blocks until at least `count` spans are stored or `timeout` passes; true
  // when the count was reached. For tests of asynchronous (batch) export.
  bool WaitForSpans(size_t count, std::chrono::milliseconds timeout) const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  mutable std::condition_variable added_;  // signalled by Add for WaitForSpans
  std::vector<SpanData> spans_;            // guarded by mu_
  uint64_t dropped_ = 0;                   // guarded by mu_
};

class InMemorySpanExporter final : public SpanExporter {
 public:
  // `store` receives every exported span and may outlive the exporter.
  explicit InMemorySpanExporter(
      std::shared_ptr<InMemorySpanStore> store = std::make_shared<InMemorySpanStore>());

  const std::shared_ptr<InMemorySpanStore>& store() const { return store_; }
  // Shorthands for store()->spans() and store()->Reset().
  std::vector<SpanData> GetFinishedSpans() const { return store_->spans(); }
  void Reset() { store_->Reset(); }

  ExportResult Export(std::span<const SpanData* const> batch, Deadline deadline) override;
  bool Shutdown(std::chrono::milliseconds timeout) override;

 private:
  const std::shared_ptr<InMemorySpanStore> store_;
  std::atomic<bool> shut_down_{false};  // Export refuses batches once set
};

}  // namespace agenthub::telemetry
