// A counter that many threads bump without sharing a cache line.
//
// A plain std::atomic counter incremented from two cores costs ~50 ns per add
// once the line ping-pongs, and even uncontended its locked instruction costs
// ~5 ns; hot paths (span start/end, queue drops) cannot afford either. Each
// live thread owns one padded shard exclusively and adds with a plain
// load+store (no locked instruction); threads beyond kShards share one
// overflow shard with atomic adds. Reads sum the shards, so a read is
// O(shards) and only approximately simultaneous: fine for monitoring.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace agenthub::telemetry {

namespace internal {
// The calling thread's exclusive shard slot in [0, kMaxThreadSlots), or
// kMaxThreadSlots when all are taken. Slots are returned when threads exit.
inline constexpr size_t kMaxThreadSlots = 32;
inline constexpr size_t kNoSlotYet = ~size_t{0};
// Constant-initialised so the fast path is one TLS load with no guard.
extern constinit thread_local size_t thread_slot;
size_t AssignThreadSlot();
inline size_t ThreadSlot() {
  const size_t slot = thread_slot;
  return slot != kNoSlotYet ? slot : AssignThreadSlot();
}
}  // namespace internal

class ShardedCounter {
 public:
  void Add(uint64_t n = 1) {
    const size_t slot = internal::ThreadSlot();
    if (slot < internal::kMaxThreadSlots) {
      auto& v = shards_[slot].value;
      v.store(v.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    } else {
      shards_[internal::kMaxThreadSlots].value.fetch_add(n, std::memory_order_relaxed);
    }
  }

  uint64_t Value() const {
    uint64_t sum = 0;
    for (const auto& s : shards_) sum += s.value.load(std::memory_order_relaxed);
    return sum;
  }

 private:
  struct alignas(64) Shard {
    std::atomic<uint64_t> value{0};
  };
  std::array<Shard, internal::kMaxThreadSlots + 1> shards_{};
};

}  // namespace agenthub::telemetry
