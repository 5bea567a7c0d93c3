#include "telemetry/trace/span_pool.h"

#include <mutex>
#include <vector>

#include "telemetry/trace/recorded_span.h"

namespace agenthub::telemetry::internal {
namespace {

// A singly linked list of spans threaded through next_free_.
struct FreeList {
  RecordedSpan* head = nullptr;
  size_t count = 0;
};

class Depot {
 public:
  bool Put(FreeList magazine) {
    std::lock_guard lock(mutex_);
    if (magazines_.size() >= SpanPool::kMaxDepotMagazines) return false;
    magazines_.push_back(magazine);
    return true;
  }
  bool Take(FreeList* out) {
    std::lock_guard lock(mutex_);
    if (magazines_.empty()) return false;
    *out = magazines_.back();
    magazines_.pop_back();
    return true;
  }
  size_t SpanCount() {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const auto& m : magazines_) n += m.count;
    return n;
  }

 private:
  std::mutex mutex_;
  std::vector<FreeList> magazines_;
};

// Never destroyed: thread-local caches may flush into it during exit.
Depot& GlobalDepot() {
  static Depot* depot = new Depot();
  return *depot;
}

}  // namespace

// Friend of RecordedSpan through SpanPool; these helpers touch next_free_.
struct PoolAccess {
  static RecordedSpan*& Next(RecordedSpan* s) { return s->next_free_; }
  static RecordedSpan* New() { return new RecordedSpan(); }
  static void Delete(RecordedSpan* s) { delete s; }
};

}  // namespace agenthub::telemetry::internal

namespace agenthub::telemetry::internal {
namespace {

void DeleteList(FreeList list) {
  while (list.head) {
    RecordedSpan* next = PoolAccess::Next(list.head);
    PoolAccess::Delete(list.head);
    list.head = next;
  }
}

// Splits the first n spans off `list`.
FreeList SplitFront(FreeList& list, size_t n) {
  FreeList front;
  front.head = list.head;
  RecordedSpan* tail = list.head;
  for (size_t i = 1; i < n; ++i) tail = PoolAccess::Next(tail);
  list.head = PoolAccess::Next(tail);
  PoolAccess::Next(tail) = nullptr;
  front.count = n;
  list.count -= n;
  return front;
}

// Trivially destructible, so it stays readable while other thread_locals
// (a thread's current Context holding a Span, say) are destroyed after the
// cache: those late releases bypass the pool.
thread_local bool cache_destroyed = false;

struct ThreadCache {
  FreeList list;
  ~ThreadCache() {
    cache_destroyed = true;
    while (list.count >= SpanPool::kMagazineSize) {
      FreeList magazine = SplitFront(list, SpanPool::kMagazineSize);
      if (!GlobalDepot().Put(magazine)) DeleteList(magazine);
    }
    DeleteList(list);
  }
};

ThreadCache& Cache() {
  thread_local ThreadCache cache;
  return cache;
}

}  // namespace

RecordedSpan* SpanPool::Take() {
  if (cache_destroyed) return PoolAccess::New();
  ThreadCache& cache = Cache();
  if (cache.list.count == 0 && !GlobalDepot().Take(&cache.list)) {
    return PoolAccess::New();
  }
  RecordedSpan* span = cache.list.head;
  cache.list.head = PoolAccess::Next(span);
  --cache.list.count;
  PoolAccess::Next(span) = nullptr;
  return span;
}

void SpanPool::Give(RecordedSpan* span) {
  if (cache_destroyed) {
    PoolAccess::Delete(span);
    return;
  }
  ThreadCache& cache = Cache();
  PoolAccess::Next(span) = cache.list.head;
  cache.list.head = span;
  ++cache.list.count;
  if (cache.list.count >= 2 * kMagazineSize) {
    FreeList magazine = SplitFront(cache.list, kMagazineSize);
    if (!GlobalDepot().Put(magazine)) DeleteList(magazine);
  }
}

size_t SpanPool::DepotSize() { return GlobalDepot().SpanCount(); }

}  // namespace agenthub::telemetry::internal
