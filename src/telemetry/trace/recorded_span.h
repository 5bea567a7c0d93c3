// Internal: the storage behind a recording Span.
//
// Lifetime: reference counted by Span handles, RecordedSpanRef (processors)
// and nothing else. When the count reaches zero the object goes back to a
// per-thread pool (span_pool.h) instead of the heap, and is reused with its
// vectors' capacity intact: steady-state tracing allocates nothing per span
// beyond long strings, and no span memory is freed across threads one object
// at a time (the malloc contention that dominates other SDKs' batch cost).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "telemetry/common/spin_lock.h"
#include "telemetry/trace/provider_state.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry::internal {

class RecordedSpan {
 public:
  // A cleared span from the calling thread's pool with one reference.
  static RecordedSpan* Acquire();

  void AddRef() { refs_.fetch_add(1, std::memory_order_relaxed); }
  // Drops a reference; the last one ends a never-ended span, then recycles.
  void Release();

  bool ended() const { return ended_.load(std::memory_order_acquire); }
  // True when the caller holds the only reference. Acquire pairs with the
  // release in Release(), so writes made under other references are seen.
  bool IsExclusive() const { return refs_.load(std::memory_order_acquire) == 1; }

  // Everything below is called by Span / Tracer.
  void Begin(std::shared_ptr<ProviderState> provider);
  void SetAttribute(std::string_view key, AttributeValue&& value);
  // Runs fn on the live span. When the caller's handle is the only
  // reference, no other thread can reach the span, so the lock is skipped:
  // the common case (one thread starts, fills and ends a span) pays no
  // locked instruction per attribute.
  template <typename Fn>
  void Mutate(Fn&& fn) {
    if (IsExclusive()) {
      if (!ended_.load(std::memory_order_relaxed)) fn();
      return;
    }
    std::lock_guard lock(lock_);
    if (!ended_.load(std::memory_order_relaxed)) fn();
  }
  // Applies limits; caller holds the lock (through Mutate) or owns the span
  // exclusively (at start).
  void SetAttributeUnlocked(std::string_view key, AttributeValue&& value);
  // The same without building a value first, so a recycled slot's string
  // buffers are reused instead of allocating.
  void SetAttributeUnlocked(std::string_view key, const AttributeValue& value);
  void SetAttributeUnlocked(std::string_view key, std::string_view value);
  void AddEventUnlocked(std::string_view name, Timestamp time, Attributes&& attributes);
  void AddLinkUnlocked(const SpanContext& context, Attributes&& attributes);
  void End(std::optional<Timestamp> end_time);

  SpanData data;

 private:
  friend class SpanPool;
  friend struct PoolAccess;
  RecordedSpan() = default;
  void LimitAttributes(Attributes& attributes, size_t max_count, uint32_t* dropped) const;
  void TruncateValue(AttributeValue& value) const;
  // The attribute `key` already has, or a fresh slot for it (whose old value
  // the caller overwrites), or null when the count limit drops it.
  Attribute* SlotFor(std::string_view key);

  std::atomic<uint32_t> refs_{0};
  std::atomic<bool> ended_{false};
  SpinLock lock_;  // guards data while the span is live
  // Kept across recycling and replaced only when a span of another provider
  // reuses this object, so the hot path pays no reference counting for it.
  std::shared_ptr<ProviderState> provider_;
  RecordedSpan* next_free_ = nullptr;  // pool free-list link
  // Attributes of earlier uses of this object, kept with their string
  // buffers: a span that sets the same keys as the last one allocates
  // nothing for them.
  std::vector<Attribute> spare_attributes_;
};

}  // namespace agenthub::telemetry::internal
