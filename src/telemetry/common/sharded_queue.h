// A bounded multi-producer queue split into shards, one per CPU (up to
// kMaxShards), for handing records from application threads to one export
// thread.
//
// Producers push into the shard of the CPU they run on, so threads running
// at the same time rarely touch the same cache lines: with one shared queue
// every push moves the queue's position counter between cores (measured
// here: ~40 ns of a 2-thread span's cost). A full shard passes the value to
// the next ones, so one busy thread can still fill the whole capacity; the
// total never exceeds the capacity given. Order across shards is not kept.
#pragma once

#include <sched.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "telemetry/common/bounded_queue.h"

namespace agenthub::telemetry {

template <typename T>
class ShardedQueue {
 public:
  static constexpr size_t kMaxShards = 8;

  // One shard per hardware thread (at most kMaxShards, at most `capacity`).
  explicit ShardedQueue(size_t capacity) : ShardedQueue(capacity, DefaultShards()) {}
  ShardedQueue(size_t capacity, size_t shards) : capacity_(capacity == 0 ? 1 : capacity) {
    if (shards == 0) shards = 1;
    if (shards > capacity_) shards = capacity_;
    for (size_t i = 0; i < shards; ++i) {
      // The remainder goes to the first shards: the sum is exactly capacity.
      const size_t size = capacity_ / shards + (i < capacity_ % shards ? 1 : 0);
      shards_.push_back(std::make_unique<BoundedQueue<T>>(size));
    }
  }

  // False when every shard is full. On success *ticket (if given) is the
  // value's position among all pushes into the shard that took it.
  bool TryPush(T value, uint64_t* ticket = nullptr) {
    const size_t n = shards_.size();
    size_t shard = n == 1 ? 0 : CurrentCpu() % n;
    for (size_t tried = 0; tried < n; ++tried) {
      if (shards_[shard]->TryPush(value, ticket)) return true;
      if (++shard == n) shard = 0;
    }
    return false;
  }

  // Takes from the shards in turn. For one consumer at a time.
  bool TryPop(T* out) {
    const size_t n = shards_.size();
    for (size_t tried = 0; tried < n; ++tried) {
      if (shards_[pop_shard_]->TryPop(out)) return true;
      if (++pop_shard_ == n) pop_shard_ = 0;
    }
    return false;
  }

  // Approximate while producers and consumers run; exact when quiet.
  size_t SizeApprox() const {
    size_t size = 0;
    for (const auto& shard : shards_) size += shard->SizeApprox();
    return size;
  }
  size_t capacity() const { return capacity_; }
  size_t shard_count() const { return shards_.size(); }

 private:
  static size_t DefaultShards() {
    const size_t cpus = std::thread::hardware_concurrency();
    return cpus == 0 ? 1 : (cpus < kMaxShards ? cpus : kMaxShards);
  }
  // glibc reads it from the thread's rseq area: a memory load, no syscall.
  static size_t CurrentCpu() {
    const int cpu = sched_getcpu();
    return cpu < 0 ? 0 : static_cast<size_t>(cpu);
  }

  const size_t capacity_;
  std::vector<std::unique_ptr<BoundedQueue<T>>> shards_;
  size_t pop_shard_ = 0;  // consumer side only
};

}  // namespace agenthub::telemetry
