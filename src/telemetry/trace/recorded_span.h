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
#include <type_traits>
#include <variant>

#include "telemetry/common/same_bytes.h"
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
  // Drops a reference that was the only one of an ended span when its holder
  // got it (IsExclusive() then): nobody else can have made one since, so the
  // span is recycled without reading it. An export thread releasing spans
  // this way leaves their cache lines untouched for the thread that reuses
  // them.
  void ReleaseSole();

  bool ended() const { return ended_.load(std::memory_order_acquire); }
  // True when the caller holds the only reference. Acquire pairs with the
  // release in Release(), so writes made under other references are seen.
  bool IsExclusive() const { return refs_.load(std::memory_order_acquire) == 1; }

  // Everything below is called by Span / Tracer.
  // By reference: copying the shared_ptr costs two locked instructions,
  // each of which waits for the span's pending stores to drain.
  void Begin(const std::shared_ptr<ProviderState>& provider);
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
  // Scalars straight into the slot: no variant is built or moved.
  template <typename T>
  requires(std::is_same_v<T, bool> || std::is_same_v<T, int64_t> ||
           std::is_same_v<T, double>) void SetScalarUnlocked(std::string_view key, T value) {
    if (Attribute* slot = SlotFor(key)) {
      if (T* held = std::get_if<T>(&slot->value)) {
        *held = value;
      } else {
        slot->value.template emplace<T>(value);
      }
    }
  }
  void AddEventUnlocked(std::string_view name, Timestamp time, Attributes&& attributes);
  void AddLinkUnlocked(const SpanContext& context, Attributes&& attributes);
  // Makes data.attributes hold exactly the live attributes (see
  // live_attributes_); needed before anyone else reads them. End() does it.
  void TrimAttributes();
  // After a processor's OnStart may have added attributes directly (their
  // keys were not deduplicated by SlotFor).
  void AdoptAttributes() {
    live_attributes_ = data.attributes.size();
    keys_unique_ = false;
    in_place_prefix_ = false;
  }
  // Ends the span and hands it to the processors. Returns true when the
  // caller's reference went with it: a caller holding the only reference
  // gives it to the processors instead of keeping it (one locked decrement
  // fewer per span), and must not touch the span afterwards.
  bool End(std::optional<Timestamp> end_time);

  SpanData data;

 private:
  friend class SpanPool;
  friend struct PoolAccess;
  RecordedSpan() = default;
  void LimitAttributes(Attributes& attributes, size_t max_count, uint32_t* dropped) const;
  void TruncateValue(AttributeValue& value) const;
  // The attribute `key` already has, or a fresh slot for it (whose old value
  // the caller overwrites), or null when the count limit drops it. Inline
  // for the usual case (see in_place_prefix_), the rest out of line.
  Attribute* SlotFor(std::string_view key) {
    const size_t live = live_attributes_;
    if (in_place_prefix_ && live < data.attributes.size() && live < attribute_count_limit_) {
      Attribute& slot = data.attributes[live];
      if (!key.empty() &&
          SameBytes(slot.key, key)) {  // same key as last time: cannot be a duplicate
        live_attributes_ = live + 1;
        return &slot;
      }
    }
    return SlotForSlow(key);
  }
  Attribute* SlotForSlow(std::string_view key);

  std::atomic<uint32_t> refs_{0};
  std::atomic<bool> ended_{false};
  SpinLock lock_;  // guards data while the span is live
  // Kept across recycling and replaced only when a span of another provider
  // reuses this object, so the hot path pays no reference counting for it.
  std::shared_ptr<ProviderState> provider_;
  // While the span is live, data.attributes[0, live_attributes_) are its
  // attributes and the rest are slots left by the previous use of this
  // object, reused in place (key and string buffers included): a span that
  // sets the same keys as the last one at its call site copies no key,
  // moves nothing and allocates nothing. TrimAttributes() cuts the stale
  // tail, into spare_attributes_, when the span ends.
  size_t live_attributes_ = 0;
  // True while every live slot kept the key it had in the previous use, and
  // that use's keys were all set through SlotFor (so distinct): a slot
  // whose old key matches the new one then cannot duplicate a live key, and
  // the search for one is skipped. The usual case: a call site sets the
  // same keys in the same order every time.
  bool in_place_prefix_ = false;
  bool keys_unique_ = true;  // of the current use, carried to the next
  // Slots trimmed from earlier uses, taken when the in-place ones run out.
  std::vector<Attribute> spare_attributes_;
  // provider_->limits, copied at Begin: read on every attribute.
  size_t attribute_count_limit_ = 0;
  size_t attribute_length_limit_ = 0;
};

}  // namespace agenthub::telemetry::internal
