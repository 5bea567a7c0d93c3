// ShardedHistogram: one histogram series (explicit bucket bounds) whose
// Record is a bucket search and two plain stores.
//
// prometheus-cpp's Histogram::Observe takes a mutex and updates atomic
// doubles with compare-and-swap loops: ~30 ns alone, and far more once two
// cores record into the same series. Here every thread that records owns a
// shard (the thread slots of sharded_counter.h) with its own bucket counts
// and sum, written with relaxed load+store (no locked instruction, no
// shared cache line); threads beyond the slots share one overflow shard
// with atomic adds. Collect() sums the shards. Shards are allocated the
// first time a thread slot records, so an idle series costs a few hundred
// bytes, not one shard per possible thread.
//
// A reader sums shards while writers go on, so a snapshot may be a few
// records behind, never torn: each count and the sum are single atomic
// words, and the total is the sum of the bucket counts, so the +Inf bucket
// always equals the count (Prometheus requires it).
#pragma once

#include <prometheus/client_metric.h>

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "telemetry/common/sharded_counter.h"

namespace agenthub::telemetry::internal {

class ShardedHistogram {
 public:
  // `bounds`: finite upper bounds, strictly increasing (ValidatedBuckets);
  // a +Inf bucket follows the last. Values equal to a bound count in its
  // bucket (Prometheus `le`).
  explicit ShardedHistogram(std::vector<double> bounds);
  ~ShardedHistogram();
  ShardedHistogram(const ShardedHistogram&) = delete;
  ShardedHistogram& operator=(const ShardedHistogram&) = delete;

  // `value` must be finite (the instrument checks).
  void Record(double value) {
    const size_t slot = ThreadSlot();
    Shard* shard = shards_[slot].load(std::memory_order_acquire);
    if (shard == nullptr) [[unlikely]]
      shard = AddShard(slot);
    const size_t bucket = BucketOf(value);
    if (slot < kMaxThreadSlots) [[likely]] {
      // This thread is the shard's only writer.
      std::atomic<uint64_t>& count = shard->Cell(kFirstBucketCell + bucket);
      count.store(count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      std::atomic<uint64_t>& sum = shard->Cell(kSumCell);
      sum.store(std::bit_cast<uint64_t>(std::bit_cast<double>(sum.load(std::memory_order_relaxed)) +
                                        value),
                std::memory_order_relaxed);
    } else {
      RecordShared(*shard, bucket, value);
    }
  }

  // Cumulative buckets (the last one +Inf), count and sum, summed over the
  // shards: what prometheus::Histogram::Collect gives, so the Prometheus
  // text format and the OTLP exporter read it unchanged.
  prometheus::ClientMetric::Histogram Collect() const;

  const std::vector<double>& bounds() const { return bounds_; }

 private:
  static constexpr size_t kSumCell = 0;  // the sum's bits (a double)
  static constexpr size_t kFirstBucketCell = 1;

  // A shard's cells in whole cache lines, so two threads' shards never
  // share one.
  struct alignas(64) Line {
    std::atomic<uint64_t> cells[8] = {};
  };
  struct Shard {
    explicit Shard(size_t cells) : lines(new Line[(cells + 7) / 8]) {}
    std::atomic<uint64_t>& Cell(size_t i) { return lines[i / 8].cells[i % 8]; }
    const std::atomic<uint64_t>& Cell(size_t i) const { return lines[i / 8].cells[i % 8]; }
    std::unique_ptr<Line[]> lines;
  };

  size_t BucketOf(double value) const {
    // Bounds are few (17 by default): a branch-free count of the bounds
    // below the value beats a binary search's mispredictions.
    size_t below = 0;
    for (double bound : bounds_) below += value > bound ? 1 : 0;
    return below;
  }
  Shard* AddShard(size_t slot);
  void RecordShared(Shard& shard, size_t bucket, double value);

  const std::vector<double> bounds_;
  std::atomic<Shard*> shards_[kMaxThreadSlots + 1] = {};
};

}  // namespace agenthub::telemetry::internal
