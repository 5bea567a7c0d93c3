// InMemorySpanExporter and its store: what tests read back after spans were
// exported.
#include "telemetry/export/in_memory_span_exporter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace agenthub::telemetry {
namespace {

using std::chrono::milliseconds;

SpanData MakeSpan(std::string name) {
  SpanData span;
  span.context = SpanContext(NewTraceId(), NewSpanId(), TraceFlags{TraceFlags::kSampled}, false);
  span.name = std::move(name);
  return span;
}

ExportResult ExportOne(SpanExporter& exporter, const SpanData& span) {
  const SpanData* batch[] = {&span};
  return exporter.Export(batch, SteadyClock::now() + milliseconds(100));
}

TEST(InMemorySpanExporterTest, ExportedSpansAreStoredInBatchOrder) {
  InMemorySpanExporter exporter;
  SpanData a = MakeSpan("a");
  SpanData b = MakeSpan("b");
  const SpanData* batch[] = {&a, &b};
  EXPECT_EQ(exporter.Export(batch, SteadyClock::now()), ExportResult::kSuccess);
  std::vector<SpanData> spans = exporter.GetFinishedSpans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].name, "a");
  EXPECT_EQ(spans[1].name, "b");
}

TEST(InMemorySpanExporterTest, StoresCopiesNotTheCallersSpans) {
  InMemorySpanExporter exporter;
  SpanData span = MakeSpan("original");
  ExportOne(exporter, span);
  span.name = "changed after export";
  EXPECT_EQ(exporter.GetFinishedSpans().at(0).name, "original");
}

TEST(InMemorySpanExporterTest, SharedStoreOutlivesTheExporter) {
  auto store = std::make_shared<InMemorySpanStore>();
  {
    auto exporter = std::make_unique<InMemorySpanExporter>(store);
    ExportOne(*exporter, MakeSpan("kept"));
  }
  ASSERT_EQ(store->size(), 1u);
  EXPECT_EQ(store->spans()[0].name, "kept");
}

TEST(InMemorySpanExporterTest, ExporterWithoutAStoreMakesItsOwn) {
  InMemorySpanExporter exporter(nullptr);
  ASSERT_NE(exporter.store(), nullptr);
  ExportOne(exporter, MakeSpan("a"));
  EXPECT_EQ(exporter.store()->size(), 1u);
}

TEST(InMemorySpanExporterTest, SnapshotIsUnaffectedByLaterExports) {
  InMemorySpanExporter exporter;
  ExportOne(exporter, MakeSpan("a"));
  std::vector<SpanData> snapshot = exporter.GetFinishedSpans();
  ExportOne(exporter, MakeSpan("b"));
  EXPECT_EQ(snapshot.size(), 1u);
  EXPECT_EQ(exporter.GetFinishedSpans().size(), 2u);
}

TEST(InMemorySpanExporterTest, ResetForgetsSpans) {
  InMemorySpanExporter exporter;
  ExportOne(exporter, MakeSpan("a"));
  exporter.Reset();
  EXPECT_TRUE(exporter.GetFinishedSpans().empty());
}

TEST(InMemorySpanExporterTest, ExportAfterShutdownFailsAndStoresNothing) {
  InMemorySpanExporter exporter;
  EXPECT_TRUE(exporter.Shutdown(milliseconds(100)));
  EXPECT_EQ(ExportOne(exporter, MakeSpan("late")), ExportResult::kFailure);
  EXPECT_TRUE(exporter.GetFinishedSpans().empty());
}

TEST(InMemorySpanExporterTest, ForceFlushSucceeds) {
  InMemorySpanExporter exporter;
  EXPECT_TRUE(exporter.ForceFlush(milliseconds(100)));
}

TEST(InMemorySpanStoreTest, NullEntriesAreSkipped) {
  InMemorySpanStore store;
  SpanData span = MakeSpan("a");
  const SpanData* batch[] = {nullptr, &span};
  store.Add(batch);
  EXPECT_EQ(store.size(), 1u);
}

TEST(InMemorySpanStoreTest, FullStoreDropsNewSpansAndCountsThem) {
  InMemorySpanStore store(2);
  SpanData a = MakeSpan("a");
  SpanData b = MakeSpan("b");
  SpanData c = MakeSpan("c");
  const SpanData* batch[] = {&a, &b, &c};
  store.Add(batch);
  std::vector<SpanData> spans = store.spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].name, "a");
  EXPECT_EQ(spans[1].name, "b");
  EXPECT_EQ(store.dropped(), 1u);
}

TEST(InMemorySpanStoreTest, ResetClearsTheDropCountAndFreesCapacity) {
  InMemorySpanStore store(1);
  SpanData a = MakeSpan("a");
  SpanData b = MakeSpan("b");
  const SpanData* batch[] = {&a, &b};
  store.Add(batch);
  store.Reset();
  EXPECT_EQ(store.dropped(), 0u);
  const SpanData* again[] = {&b};
  store.Add(again);
  EXPECT_EQ(store.spans().at(0).name, "b");
}

TEST(InMemorySpanStoreTest, SpansNamedReturnsOnlyMatchingSpans) {
  InMemorySpanStore store;
  SpanData a = MakeSpan("route_task");
  SpanData b = MakeSpan("publish_event");
  SpanData c = MakeSpan("route_task");
  const SpanData* batch[] = {&a, &b, &c};
  store.Add(batch);
  EXPECT_EQ(store.SpansNamed("route_task").size(), 2u);
  EXPECT_TRUE(store.SpansNamed("missing").empty());
}

TEST(InMemorySpanStoreTest, WaitForSpansReturnsOnceAnotherThreadAddsThem) {
  InMemorySpanStore store;
  std::thread producer([&store] {
    std::this_thread::sleep_for(milliseconds(20));
    SpanData a = MakeSpan("a");
    SpanData b = MakeSpan("b");
    const SpanData* batch[] = {&a, &b};
    store.Add(batch);
  });
  EXPECT_TRUE(store.WaitForSpans(2, milliseconds(10'000)));
  producer.join();
}

TEST(InMemorySpanStoreTest, WaitForSpansTimesOutWhenTooFewArrive) {
  InMemorySpanStore store;
  SpanData a = MakeSpan("a");
  const SpanData* batch[] = {&a};
  store.Add(batch);
  EXPECT_FALSE(store.WaitForSpans(2, milliseconds(10)));
  EXPECT_TRUE(store.WaitForSpans(1, milliseconds(0)));
}

TEST(InMemorySpanStoreTest, ConcurrentAddsAreAllKept) {
  InMemorySpanStore store;
  constexpr int kThreads = 4;
  constexpr int kBatches = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store] {
      SpanData span = MakeSpan("s");
      const SpanData* batch[] = {&span};
      for (int i = 0; i < kBatches; ++i) {
        store.Add(batch);
        (void)store.size();  // readers race with writers too
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(store.size(), static_cast<size_t>(kThreads * kBatches));
}

}  // namespace
}  // namespace agenthub::telemetry
