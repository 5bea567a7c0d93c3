// A counter that many threads bump without sharing a cache line.
//
// A plain std::atomic counter incremented from two cores costs ~50 ns per add
// once the line ping-pongs; hot paths (span start/end, queue drops) cannot
// afford that. Each thread adds to its own padded shard; reads sum the shards,
// so a read is O(shards) and only approximately simultaneous, which is fine
// for monitoring counters.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace agenthub::telemetry {

namespace internal {
// Stable small index for the calling thread, assigned on first use.
size_t ThreadShardIndex();
}  // namespace internal

class ShardedCounter {
 public:
  static constexpr size_t kShards = 16;

  void Add(uint64_t n = 1) {
    shards_[internal::ThreadShardIndex() % kShards].value.fetch_add(n, std::memory_order_relaxed);
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
  std::array<Shard, kShards> shards_{};
};

}  // namespace agenthub::telemetry
