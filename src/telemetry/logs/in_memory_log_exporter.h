// InMemoryLogRecordExporter: keeps copies of exported log records for tests.
//
// The records live in an InMemoryLogStore held by shared_ptr, not in the
// exporter, because a processor owns (and eventually destroys) the exporter
// while the test still wants to read what arrived:
//
//   auto store = std::make_shared<InMemoryLogStore>();
//   auto processor = std::make_shared<BatchLogRecordProcessor>(
//       std::make_unique<InMemoryLogRecordExporter>(store));
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "telemetry/logs/log_record_exporter.h"

namespace agenthub::telemetry {

// A bounded, thread-safe list of records. Once full, further records are
// dropped (and counted) so the first ones a test produced stay.
class InMemoryLogStore {
 public:
  static constexpr size_t kDefaultCapacity = 100'000;

  explicit InMemoryLogStore(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  InMemoryLogStore(const InMemoryLogStore&) = delete;
  InMemoryLogStore& operator=(const InMemoryLogStore&) = delete;

  // Copies the records of `batch` (null entries skipped) and wakes waiters.
  void Add(std::span<const LogRecordData* const> batch);

  // A snapshot of copies.
  std::vector<LogRecordData> records() const;
  size_t size() const;
  uint64_t dropped() const;
  void Reset();

  // Blocks until at least `count` records are stored or `timeout` passes.
  bool WaitForRecords(size_t count, std::chrono::milliseconds timeout) const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  mutable std::condition_variable added_;  // signalled by Add
  std::vector<LogRecordData> records_;     // guarded by mu_
  uint64_t dropped_ = 0;                   // guarded by mu_
};

class InMemoryLogRecordExporter final : public LogRecordExporter {
 public:
  explicit InMemoryLogRecordExporter(
      std::shared_ptr<InMemoryLogStore> store = std::make_shared<InMemoryLogStore>());

  const std::shared_ptr<InMemoryLogStore>& store() const { return store_; }

  ExportResult Export(std::span<const LogRecordData* const> batch, Deadline deadline) override;
  bool Shutdown(std::chrono::milliseconds timeout) override;

 private:
  const std::shared_ptr<InMemoryLogStore> store_;
  std::atomic<bool> shut_down_{false};  // Export refuses batches once set
};

}  // namespace agenthub::telemetry
