#include "telemetry/metrics/sharded_histogram.h"

#include <limits>

namespace agenthub::telemetry::internal {

ShardedHistogram::ShardedHistogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {}

ShardedHistogram::~ShardedHistogram() {
  for (auto& shard : shards_) delete shard.load(std::memory_order_acquire);
}

ShardedHistogram::Shard* ShardedHistogram::AddShard(size_t slot) {
  auto* fresh = new Shard(kFirstBucketCell + bounds_.size() + 1);
  Shard* expected = nullptr;
  // Only the overflow slot can race here (several threads share it).
  if (!shards_[slot].compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) {
    delete fresh;
    return expected;
  }
  return fresh;
}

void ShardedHistogram::RecordShared(Shard& shard, size_t bucket, double value) {
  shard.Cell(kFirstBucketCell + bucket).fetch_add(1, std::memory_order_relaxed);
  std::atomic<uint64_t>& sum = shard.Cell(kSumCell);
  uint64_t old_bits = sum.load(std::memory_order_relaxed);
  while (!sum.compare_exchange_weak(
      old_bits, std::bit_cast<uint64_t>(std::bit_cast<double>(old_bits) + value),
      std::memory_order_relaxed)) {
  }
}

prometheus::ClientMetric::Histogram ShardedHistogram::Collect() const {
  const size_t buckets = bounds_.size() + 1;
  std::vector<uint64_t> counts(buckets, 0);
  double sum = 0;
  for (const auto& slot : shards_) {
    const Shard* shard = slot.load(std::memory_order_acquire);
    if (shard == nullptr) continue;
    sum += std::bit_cast<double>(shard->Cell(kSumCell).load(std::memory_order_relaxed));
    for (size_t i = 0; i < buckets; ++i) {
      counts[i] += shard->Cell(kFirstBucketCell + i).load(std::memory_order_relaxed);
    }
  }
  prometheus::ClientMetric::Histogram out;
  out.bucket.resize(buckets);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < buckets; ++i) {
    cumulative += counts[i];
    out.bucket[i].cumulative_count = cumulative;
    out.bucket[i].upper_bound =
        i < bounds_.size() ? bounds_[i] : std::numeric_limits<double>::infinity();
  }
  out.sample_count = cumulative;
  out.sample_sum = sum;
  return out;
}

}  // namespace agenthub::telemetry::internal
