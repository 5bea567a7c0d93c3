// ShardedQueue (and the BoundedQueue shards under it): exact total capacity
// over shards, a full shard passing values on, and nothing lost or
// duplicated under concurrent producers.
#include "telemetry/common/sharded_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace agenthub::telemetry {
namespace {

// The classic array queue cannot tell "full" from "empty" with one cell;
// OTEL_BSP_MAX_QUEUE_SIZE=1 and small shards need it to.
TEST(BoundedQueue, ACapacityOfOneHoldsOneValue) {
  BoundedQueue<int> queue(1);
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(queue.TryPush(round));
    EXPECT_FALSE(queue.TryPush(99));
    int v = -1;
    ASSERT_TRUE(queue.TryPop(&v));
    EXPECT_EQ(v, round);
    EXPECT_FALSE(queue.TryPop(&v));
  }
}

TEST(ShardedQueue, HoldsExactlyItsCapacityWhateverTheShardCount) {
  for (size_t shards : {1u, 2u, 3u, 8u}) {
    for (size_t capacity : {1u, 5u, 64u, 100u}) {
      ShardedQueue<uint64_t> queue(capacity, shards);
      EXPECT_EQ(queue.shard_count(), std::min(shards, capacity));
      size_t pushed = 0;
      while (queue.TryPush(pushed)) ++pushed;
      EXPECT_EQ(pushed, capacity) << shards << " shards";
      EXPECT_EQ(queue.SizeApprox(), capacity);
      std::vector<uint64_t> popped;
      uint64_t v = 0;
      while (queue.TryPop(&v)) popped.push_back(v);
      std::sort(popped.begin(), popped.end());
      ASSERT_EQ(popped.size(), capacity);
      for (size_t i = 0; i < capacity; ++i) EXPECT_EQ(popped[i], i);
      EXPECT_EQ(queue.SizeApprox(), 0u);
    }
  }
}

TEST(ShardedQueue, OneThreadCanFillEveryShard) {
  ShardedQueue<int> queue(16, 4);
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(queue.TryPush(i)) << i;
  EXPECT_FALSE(queue.TryPush(99));
  int v = 0;
  ASSERT_TRUE(queue.TryPop(&v));
  EXPECT_TRUE(queue.TryPush(16));  // room again, in whichever shard it is
}

TEST(ShardedQueue, TicketsCountPushesPerShard) {
  ShardedQueue<int> queue(8, 1);
  for (uint64_t i = 0; i < 8; ++i) {
    uint64_t ticket = 99;
    ASSERT_TRUE(queue.TryPush(1, &ticket));
    EXPECT_EQ(ticket, i);
  }
}

TEST(ShardedQueue, ConcurrentProducersLoseAndDuplicateNothing) {
  constexpr int kThreads = 4;
  constexpr uint64_t kPerThread = 50000;
  ShardedQueue<uint64_t> queue(256, 2);
  std::vector<uint64_t> seen;
  std::atomic<int> done{0};
  std::thread consumer([&] {
    uint64_t v = 0;
    for (;;) {
      if (queue.TryPop(&v)) {
        seen.push_back(v);
      } else if (done.load() == kThreads && queue.SizeApprox() == 0) {
        break;
      } else {
        std::this_thread::yield();
      }
    }
  });
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (uint64_t i = 0; i < kPerThread; ++i) {
        const uint64_t value = static_cast<uint64_t>(t) * kPerThread + i;
        while (!queue.TryPush(value)) std::this_thread::yield();
      }
      done.fetch_add(1);
    });
  }
  for (auto& p : producers) p.join();
  consumer.join();
  ASSERT_EQ(seen.size(), kThreads * kPerThread);
  std::sort(seen.begin(), seen.end());
  for (uint64_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], i);
}

}  // namespace
}  // namespace agenthub::telemetry
