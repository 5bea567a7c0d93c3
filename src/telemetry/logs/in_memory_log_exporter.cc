#include "telemetry/logs/in_memory_log_exporter.h"

namespace agenthub::telemetry {

void InMemoryLogStore::Add(std::span<const LogRecordData* const> batch) {
  {
    std::lock_guard lock(mu_);
    for (const LogRecordData* record : batch) {
      if (record == nullptr) continue;
      if (records_.size() >= capacity_) {
        ++dropped_;
        continue;
      }
      records_.push_back(*record);
    }
  }
  added_.notify_all();
}

std::vector<LogRecordData> InMemoryLogStore::records() const {
  std::lock_guard lock(mu_);
  return records_;
}

size_t InMemoryLogStore::size() const {
  std::lock_guard lock(mu_);
  return records_.size();
}

uint64_t InMemoryLogStore::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void InMemoryLogStore::Reset() {
  std::lock_guard lock(mu_);
  records_.clear();
  dropped_ = 0;
}

bool InMemoryLogStore::WaitForRecords(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return added_.wait_for(lock, timeout, [&] { return records_.size() >= count; });
}

InMemoryLogRecordExporter::InMemoryLogRecordExporter(std::shared_ptr<InMemoryLogStore> store)
    : store_(std::move(store)) {}

ExportResult InMemoryLogRecordExporter::Export(std::span<const LogRecordData* const> batch,
                                               Deadline /*deadline*/) {
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  store_->Add(batch);
  return ExportResult::kSuccess;
}

bool InMemoryLogRecordExporter::Shutdown(std::chrono::milliseconds /*timeout*/) {
  shut_down_.store(true, std::memory_order_release);
  return true;
}

}  // namespace agenthub::telemetry
