// WorkerPool: bounded concurrency, Submit blocking while full, and a
// Shutdown that runs everything already accepted.
#include "client/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace agenthub::client {
namespace {

using namespace std::chrono_literals;

TEST(WorkerPoolTest, ShutdownRunsEveryAcceptedJob) {
  std::atomic<int> done{0};
  WorkerPool pool(2, 2);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(pool.Submit([&] { done.fetch_add(1); }));
  }
  EXPECT_TRUE(pool.Shutdown(30s));
  EXPECT_EQ(done.load(), 20);
}

TEST(WorkerPoolTest, NoMoreJobsRunAtOnceThanThreads) {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  WorkerPool pool(3, 1);
  for (int i = 0; i < 30; ++i) {
    pool.Submit([&] {
      const int now = running.fetch_add(1) + 1;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(1ms);
      running.fetch_sub(1);
    });
  }
  pool.Shutdown(30s);
  EXPECT_LE(peak.load(), 3);
}

TEST(WorkerPoolTest, SubmitWaitsWhileTheQueueIsFull) {
  WorkerPool pool(1, 1);
  std::promise<void> release;
  auto released = release.get_future().share();
  pool.Submit([released] { released.wait(); });  // occupies the worker
  pool.Submit([] {});                            // fills the queue (it may take a moment)
  std::atomic<bool> third_accepted{false};
  std::thread submitter([&] {
    pool.Submit([] {});
    third_accepted = true;
  });
  // While the worker is blocked, at most one job fits in the queue.
  std::this_thread::sleep_for(50ms);
  const size_t busy = pool.busy();
  EXPECT_LE(busy, 2u);
  release.set_value();
  submitter.join();
  EXPECT_TRUE(third_accepted.load());
  EXPECT_TRUE(pool.Shutdown(30s));
}

TEST(WorkerPoolTest, SubmitAfterShutdownIsRefused) {
  WorkerPool pool(1, 1);
  pool.Shutdown(1s);
  EXPECT_FALSE(pool.Submit([] {}));
}

TEST(WorkerPoolTest, ShutdownReportsJobsThatOutlastTheTimeout) {
  WorkerPool pool(1, 1);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> started;
  pool.Submit([&, released] {
    started.set_value();
    released.wait();
  });
  started.get_future().wait();
  std::thread releaser([&] {
    std::this_thread::sleep_for(100ms);
    release.set_value();
  });
  EXPECT_FALSE(pool.Shutdown(1ms));  // joined once the job ends, but late
  releaser.join();
}

}  // namespace
}  // namespace agenthub::client
