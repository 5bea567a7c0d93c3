#include "telemetry/trace/span_pool.h"

#include <mutex>
#include <utility>
#include <vector>

#include "telemetry/trace/recorded_span.h"

namespace agenthub::telemetry::internal {

// Friend of RecordedSpan through SpanPool: the constructor is private.
struct PoolAccess {
  static RecordedSpan* New() { return new RecordedSpan(); }
  static void Delete(RecordedSpan* s) { delete s; }
};

namespace {

using Magazine = std::vector<RecordedSpan*>;

void DeleteAll(const Magazine& spans) {
  for (RecordedSpan* s : spans) PoolAccess::Delete(s);
}

class Depot {
 public:
  // Takes the magazine, or deletes its spans when the depot is full.
  void Put(Magazine&& magazine) {
    {
      std::lock_guard lock(mutex_);
      if (magazines_.size() < SpanPool::kMaxDepotMagazines) {
        magazines_.push_back(std::move(magazine));
        return;
      }
    }
    DeleteAll(magazine);
  }
  bool Take(Magazine* out) {
    std::lock_guard lock(mutex_);
    if (magazines_.empty()) return false;
    *out = std::move(magazines_.back());  // the most recently freed: warmest
    magazines_.pop_back();
    return true;
  }
  size_t SpanCount() {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const auto& m : magazines_) n += m.size();
    return n;
  }

 private:
  std::mutex mutex_;
  std::vector<Magazine> magazines_;
};

// Never destroyed: thread-local caches may flush into it during exit.
Depot& GlobalDepot() {
  static Depot* depot = new Depot();
  return *depot;
}

// Trivially destructible, so it stays readable while other thread_locals
// (a thread's current Context holding a Span, say) are destroyed after the
// cache: those late releases bypass the pool.
thread_local bool cache_destroyed = false;

// A stack: the most recently freed span is reused first.
struct ThreadCache {
  Magazine spans;
  ~ThreadCache() {
    cache_destroyed = true;
    while (spans.size() >= SpanPool::kMagazineSize) {
      Magazine magazine(spans.end() - SpanPool::kMagazineSize, spans.end());
      spans.resize(spans.size() - SpanPool::kMagazineSize);
      GlobalDepot().Put(std::move(magazine));
    }
    DeleteAll(spans);
  }
};

ThreadCache& Cache() {
  thread_local ThreadCache cache;
  return cache;
}

}  // namespace

RecordedSpan* SpanPool::Take() {
  if (cache_destroyed) return PoolAccess::New();
  Magazine& spans = Cache().spans;
  if (spans.empty() && !GlobalDepot().Take(&spans)) return PoolAccess::New();
  RecordedSpan* span = spans.back();
  spans.pop_back();
  return span;
}

void SpanPool::Give(RecordedSpan* span) {
  if (cache_destroyed) {
    PoolAccess::Delete(span);
    return;
  }
  Magazine& spans = Cache().spans;
  if (spans.capacity() == 0) spans.reserve(2 * kMagazineSize);
  spans.push_back(span);
  if (spans.size() >= 2 * kMagazineSize) {
    // The oldest half leaves; the recently freed (warm) half stays here.
    Magazine magazine(spans.begin(), spans.begin() + kMagazineSize);
    spans.erase(spans.begin(), spans.begin() + kMagazineSize);
    GlobalDepot().Put(std::move(magazine));
  }
}

size_t SpanPool::DepotSize() { return GlobalDepot().SpanCount(); }

}  // namespace agenthub::telemetry::internal
