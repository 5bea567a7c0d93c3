#include "telemetry/export/in_memory_span_exporter.h"

#include <utility>

namespace agenthub::telemetry {

void InMemorySpanStore::Add(std::span<const SpanData* const> batch) {
  {
    std::lock_guard lock(mu_);
    for (const SpanData* span : batch) {
      if (span == nullptr) continue;
      if (spans_.size() >= capacity_) {
        ++dropped_;
        continue;
      }
      spans_.push_back(*span);
    }
  }
  added_.notify_all();
}

std::vector<SpanData> InMemorySpanStore::spans() const {
  std::lock_guard lock(mu_);
  return spans_;
}

std::vector<SpanData> InMemorySpanStore::SpansNamed(std::string_view name) const {
  std::vector<SpanData> named;
  std::lock_guard lock(mu_);
  for (const auto& span : spans_) {
    if (span.name == name) named.push_back(span);
  }
  return named;
}

size_t InMemorySpanStore::size() const {
  std::lock_guard lock(mu_);
  return spans_.size();
}

uint64_t InMemorySpanStore::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void InMemorySpanStore::Reset() {
  std::lock_guard lock(mu_);
  spans_.clear();
  dropped_ = 0;
}

bool InMemorySpanStore::WaitForSpans(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return added_.wait_for(lock, timeout, [&] { return spans_.size() >= count; });
}

InMemorySpanExporter::InMemorySpanExporter(std::shared_ptr<InMemorySpanStore> store)
    : store_(store ? std::move(store) : std::make_shared<InMemorySpanStore>()) {}

ExportResult InMemorySpanExporter::Export(std::span<const SpanData* const> batch,
                                          Deadline /*deadline*/) {
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  store_->Add(batch);
  return ExportResult::kSuccess;
}

bool InMemorySpanExporter::Shutdown(std::chrono::milliseconds /*timeout*/) {
  shut_down_.store(true, std::memory_order_release);
  return true;
}

}  // namespace agenthub::telemetry
