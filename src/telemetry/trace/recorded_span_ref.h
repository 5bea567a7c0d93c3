// RecordedSpanRef: an owning reference to a finished span's data, handed to
// processors. Holding it keeps the span's storage alive; dropping the last
// reference returns the storage to the SDK's per-thread pool (so finished
// spans are recycled in batches, not freed one by one across threads).
#pragma once

#include <utility>

#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

namespace internal {
class RecordedSpan;
}

class RecordedSpanRef {
 public:
  RecordedSpanRef() = default;
  RecordedSpanRef(const RecordedSpanRef& other);
  RecordedSpanRef(RecordedSpanRef&& other) noexcept : span_(std::exchange(other.span_, nullptr)) {}
  RecordedSpanRef& operator=(RecordedSpanRef other) noexcept {
    std::swap(span_, other.span_);
    return *this;
  }
  ~RecordedSpanRef();

  const SpanData& data() const;
  explicit operator bool() const { return span_ != nullptr; }

  // True when this is the span's only reference; it then stays the only
  // one unless this reference is copied (see RecordedSpan::ReleaseSole).
  bool IsSole() const;

  // For lock-free queues that store raw pointers: Release() gives up
  // ownership, Adopt() takes it back.
  internal::RecordedSpan* Release() { return std::exchange(span_, nullptr); }
  static RecordedSpanRef Adopt(internal::RecordedSpan* span) {
    RecordedSpanRef ref;
    ref.span_ = span;
    return ref;
  }

 private:
  internal::RecordedSpan* span_ = nullptr;
};

}  // namespace agenthub::telemetry
