// BatchExportEngine on its own, with a toy signal (ints): what it does for
// both batching processors, each of which has its own tests besides.
#include "telemetry/common/batch_export_engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "support/scoped_env.h"
#include "telemetry/common/bounded_queue.h"

namespace agenthub::telemetry {
namespace {

using namespace std::chrono_literals;
using testing::DiagnosticCapture;
using testing::ScopedEnv;

struct IntExporter {
  bool ForceFlush(std::chrono::milliseconds) { return true; }
  bool Shutdown(std::chrono::milliseconds) { return true; }
};

// Records what the engine does with each item.
struct Ledger {
  std::mutex mu;
  std::vector<int> exported;
  std::vector<int> released;
  std::vector<int> discarded;
};

struct IntBatch {
  using Item = int;
  using Queue = BoundedQueue<int>;
  using Exporter = IntExporter;
  static constexpr const char* kName = "IntBatch";

  explicit IntBatch(std::shared_ptr<Ledger> l) : ledger(std::move(l)) {}
  bool Export(IntExporter&, std::span<const int> batch, Deadline) {
    std::lock_guard lock(ledger->mu);
    ledger->exported.insert(ledger->exported.end(), batch.begin(), batch.end());
    return batch.front() >= 0;  // a negative first item fails the batch
  }
  void Release(int item) {
    std::lock_guard lock(ledger->mu);
    ledger->released.push_back(item);
  }
  void Discard(int item) { ledger->discarded.push_back(item); }

  std::shared_ptr<Ledger> ledger;
};

using Engine = BatchExportEngine<IntBatch>;

BatchExportOptions Options(size_t queue, size_t batch, std::chrono::milliseconds delay) {
  BatchExportOptions o;
  o.max_queue_size = queue;
  o.max_export_batch_size = batch;
  o.schedule_delay = delay;
  return o;
}

std::shared_ptr<Engine> Started(std::shared_ptr<Ledger> ledger, BatchExportOptions options) {
  auto engine = std::make_shared<Engine>(std::make_unique<IntExporter>(), options, ledger);
  Engine::StartExportThread(engine);
  return engine;
}

TEST(BatchExportEngine, ReleasesEveryExportedItemAfterItsExport) {
  auto ledger = std::make_shared<Ledger>();
  auto engine = Started(ledger, Options(64, 8, 60s));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(engine->TryPush(i));
  ASSERT_TRUE(engine->ForceFlush(10s));
  std::lock_guard lock(ledger->mu);
  EXPECT_EQ(ledger->exported.size(), 20u);
  EXPECT_EQ(ledger->released, ledger->exported);
  EXPECT_EQ(engine->stats().exported, 20u);
}

TEST(BatchExportEngine, CountsTheItemsOfAFailedBatchAsFailed) {
  auto ledger = std::make_shared<Ledger>();
  auto engine = Started(ledger, Options(64, 8, 60s));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(engine->TryPush(-1));
  ASSERT_TRUE(engine->ForceFlush(10s));
  EXPECT_EQ(engine->stats().failed, 3u);
  EXPECT_EQ(engine->stats().exported, 0u);
}

TEST(BatchExportEngine, AfterShutdownRefusesItemsAndLeavesThemToTheCaller) {
  auto ledger = std::make_shared<Ledger>();
  auto engine = Started(ledger, Options(64, 8, 60s));
  ASSERT_TRUE(engine->Shutdown(5s));
  EXPECT_FALSE(engine->TryPush(7));
  EXPECT_EQ(engine->stats().dropped, 1u);
  std::lock_guard lock(ledger->mu);
  EXPECT_TRUE(ledger->released.empty());
}

TEST(BatchExportEngine, DiscardsWhatIsStillQueuedWhenDestroyed) {
  auto ledger = std::make_shared<Ledger>();
  {
    // No export thread: nothing takes the items out.
    Engine engine(std::make_unique<IntExporter>(), Options(8, 8, 60s), ledger);
    ASSERT_TRUE(engine.TryPush(1));
    ASSERT_TRUE(engine.TryPush(2));
  }
  EXPECT_EQ(ledger->discarded, (std::vector<int>{1, 2}));
}

TEST(BatchExportEngine, WakesForAFullBatchWhoseSizeIsNotAPowerOfTwo) {
  auto ledger = std::make_shared<Ledger>();
  auto engine = Started(ledger, Options(64, 10, 60s));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(engine->TryPush(i));
  // The size is measured every 8 pushes: 16 pushes hold a full batch.
  for (int i = 10; i < 16; ++i) ASSERT_TRUE(engine->TryPush(i));
  for (int i = 0; i < 500 && engine->stats().exported < 10; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_GE(engine->stats().exported, 10u);
}

TEST(BatchExportSizeCheck, IsAPowerOfTwoUpToABatchShareOfAShard) {
  EXPECT_EQ(internal::SizeCheckMask(1, 1), 0u);      // every push
  EXPECT_EQ(internal::SizeCheckMask(8, 1), 7u);      // every 8th
  EXPECT_EQ(internal::SizeCheckMask(10, 1), 7u);     // rounded down
  EXPECT_EQ(internal::SizeCheckMask(512, 8), 63u);   // 64 per shard
  EXPECT_EQ(internal::SizeCheckMask(4096, 1), 63u);  // never above 64
  EXPECT_EQ(internal::SizeCheckMask(4, 8), 0u);      // less than one per shard
}

TEST(ReadBatchExportOptions, ReadsThePrefixedVariables) {
  ScopedEnv queue("TEST_BATCH_MAX_QUEUE_SIZE", "100");
  ScopedEnv delay("TEST_BATCH_SCHEDULE_DELAY", "7");
  ScopedEnv timeout("TEST_BATCH_EXPORT_TIMEOUT", "9");
  ScopedEnv batch("TEST_BATCH_MAX_EXPORT_BATCH_SIZE", "10");
  const BatchExportOptions o = ReadBatchExportOptions("TEST_BATCH", {});
  EXPECT_EQ(o.max_queue_size, 100u);
  EXPECT_EQ(o.schedule_delay, 7ms);
  EXPECT_EQ(o.export_timeout, 9ms);
  EXPECT_EQ(o.max_export_batch_size, 10u);
}

TEST(ReadBatchExportOptions, AZeroSizeWarnsAndKeepsTheGivenDefault) {
  ScopedEnv queue("TEST_BATCH_MAX_QUEUE_SIZE", "0");
  DiagnosticCapture diagnostics;
  BatchExportOptions defaults;
  defaults.max_queue_size = 300;
  EXPECT_EQ(ReadBatchExportOptions("TEST_BATCH", defaults).max_queue_size, 300u);
  EXPECT_TRUE(diagnostics.HasWarningContaining({"TEST_BATCH_MAX_QUEUE_SIZE=0", "300"}));
}

}  // namespace
}  // namespace agenthub::telemetry
