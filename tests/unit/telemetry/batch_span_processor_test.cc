// BatchSpanProcessor: batching, bounded queue, never blocking the caller,
// flush and shutdown that always return.
#include "telemetry/trace/batch_span_processor.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/test_exporters.h"
#include "telemetry/common/diagnostics.h"
#include "telemetry/trace/tracer_provider.h"

namespace agenthub::telemetry {
namespace {

using namespace std::chrono_literals;
using testing::BlockingExporter;
using testing::CountingExporter;

struct Pipeline {
  Pipeline(std::unique_ptr<SpanExporter> exporter, BatchSpanProcessorOptions options) {
    auto processor = std::make_unique<BatchSpanProcessor>(std::move(exporter), options);
    batch = processor.get();
    TracerProviderOptions o;
    o.processors.push_back(std::move(processor));
    provider = std::make_unique<TracerProvider>(std::move(o));
    tracer = provider->GetTracer("test");
  }
  void EndSpans(int n) {
    for (int i = 0; i < n; ++i) tracer.StartSpan("op").End();
  }
  std::unique_ptr<TracerProvider> provider;
  BatchSpanProcessor* batch = nullptr;
  Tracer tracer;
};

BatchSpanProcessorOptions Options(size_t queue, size_t batch, std::chrono::milliseconds delay) {
  BatchSpanProcessorOptions o;
  o.max_queue_size = queue;
  o.max_export_batch_size = batch;
  o.schedule_delay = delay;
  return o;
}

TEST(BatchSpanProcessor, ExportsFullBatchesWithoutWaitingForTheDelay) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  Pipeline p(std::make_unique<CountingExporter>(shared), Options(64, 8, 60s));
  p.EndSpans(16);
  for (int i = 0; i < 500 && shared->spans < 16; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(shared->spans, 16);
  EXPECT_LE(shared->max_batch, 8);
}

TEST(BatchSpanProcessor, ExportsAPartialBatchAfterTheScheduleDelay) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  Pipeline p(std::make_unique<CountingExporter>(shared), Options(64, 32, 50ms));
  p.EndSpans(3);
  for (int i = 0; i < 500 && shared->spans < 3; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(shared->spans, 3);
}

TEST(BatchSpanProcessor, NeverExportsMoreThanTheBatchSizeAtOnce) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  Pipeline p(std::make_unique<CountingExporter>(shared), Options(1000, 10, 60s));
  p.EndSpans(95);
  ASSERT_TRUE(p.provider->ForceFlush(10s));
  EXPECT_EQ(shared->spans, 95);
  EXPECT_EQ(shared->max_batch, 10);
}

TEST(BatchSpanProcessor, FullQueueDropsAndCountsWhileTheCallerNeverBlocks) {
  auto shared = std::make_shared<BlockingExporter::Shared>();
  Pipeline p(std::make_unique<BlockingExporter>(shared), Options(4, 1, 1ms));
  p.EndSpans(1);
  ASSERT_TRUE(BlockingExporter::WaitUntilInExport(*shared, 10s));
  // The exporter is hung; the queue holds 4 more, the rest must be dropped
  // at once (a blocking caller would hang this test).
  p.EndSpans(100);
  EXPECT_EQ(p.provider->stats().spans_dropped, 96u);
  EXPECT_EQ(p.provider->stats().queue_depth, 4u);
  BlockingExporter::Unblock(*shared);
}

TEST(BatchSpanProcessor, ExportCallsNeverOverlap) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  Pipeline p(std::make_unique<CountingExporter>(shared, 200us), Options(4096, 16, 1ms));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&] { p.EndSpans(500); });
  for (auto& t : threads) t.join();
  ASSERT_TRUE(p.provider->ForceFlush(30s));
  EXPECT_FALSE(shared->overlapped);
}

TEST(BatchSpanProcessor, EverySpanIsExportedOrCountedAsDropped) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  Pipeline p(std::make_unique<CountingExporter>(shared), Options(256, 64, 5ms));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&] { p.EndSpans(2000); });
  for (auto& t : threads) t.join();
  ASSERT_TRUE(p.provider->ForceFlush(30s));
  const TraceStats stats = p.provider->stats();
  EXPECT_EQ(stats.spans_exported + stats.spans_dropped, 8000u);
  EXPECT_EQ(static_cast<uint64_t>(shared->spans.load()), stats.spans_exported);
}

TEST(BatchSpanProcessor, ForceFlushExportsEverythingQueuedAndFlushesTheExporter) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  Pipeline p(std::make_unique<CountingExporter>(shared), Options(2048, 512, 60s));
  p.EndSpans(10);
  EXPECT_TRUE(p.provider->ForceFlush(10s));
  EXPECT_EQ(shared->spans, 10);
  EXPECT_GE(shared->flushes, 1);
}

TEST(BatchSpanProcessor, ForceFlushReturnsFalseByItsTimeoutWhenTheExporterHangs) {
  auto shared = std::make_shared<BlockingExporter::Shared>();
  Pipeline p(std::make_unique<BlockingExporter>(shared), Options(16, 1, 1ms));
  p.EndSpans(2);
  ASSERT_TRUE(BlockingExporter::WaitUntilInExport(*shared, 10s));
  const auto start = SteadyClock::now();
  EXPECT_FALSE(p.provider->ForceFlush(100ms));
  EXPECT_LT(SteadyClock::now() - start, 10s);  // generous: only "it returned"
  BlockingExporter::Unblock(*shared);
}

TEST(BatchSpanProcessor, ShutdownReturnsByItsTimeoutWhenTheExporterHangs) {
  SetDiagnosticHandler([](DiagnosticLevel, std::string_view) {});
  auto shared = std::make_shared<BlockingExporter::Shared>();
  // This exporter ignores Shutdown: the worst case of a hung backend.
  Pipeline p(std::make_unique<BlockingExporter>(shared, /*unblock_on_shutdown=*/false),
             Options(16, 1, 1ms));
  p.EndSpans(1);
  ASSERT_TRUE(BlockingExporter::WaitUntilInExport(*shared, 10s));
  EXPECT_FALSE(p.provider->Shutdown(100ms));
  BlockingExporter::Unblock(*shared);  // lets the detached thread finish
  SetDiagnosticHandler(nullptr);
}

TEST(BatchSpanProcessor, ShutdownExportsWhatIsStillQueued) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  Pipeline p(std::make_unique<CountingExporter>(shared), Options(2048, 512, 60s));
  p.EndSpans(7);
  EXPECT_TRUE(p.provider->Shutdown(10s));
  EXPECT_EQ(shared->spans, 7);
}

TEST(BatchSpanProcessor, SpansEndedAfterShutdownAreDroppedAndCounted) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  auto processor = std::make_unique<BatchSpanProcessor>(std::make_unique<CountingExporter>(shared),
                                                        Options(16, 4, 60s));
  BatchSpanProcessor* raw = processor.get();
  TracerProviderOptions o;
  o.processors.push_back(std::move(processor));
  TracerProvider provider(std::move(o));
  Tracer tracer = provider.GetTracer("t");
  Span open = tracer.StartSpan("open");
  EXPECT_TRUE(raw->Shutdown(10s));
  open.End();
  EXPECT_EQ(raw->stats().spans_dropped, 1u);
  EXPECT_EQ(shared->spans, 0);
}

TEST(BatchSpanProcessorOptions, DefaultsAreTheSpecifications) {
  BatchSpanProcessorOptions o = BatchSpanProcessorOptions::FromEnvironment();
  EXPECT_EQ(o.max_queue_size, 2048u);
  EXPECT_EQ(o.schedule_delay, 5000ms);
  EXPECT_EQ(o.export_timeout, 30000ms);
  EXPECT_EQ(o.max_export_batch_size, 512u);
}

class EnvGuard {
 public:
  EnvGuard(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~EnvGuard() { unsetenv(name_); }

 private:
  const char* name_;
};

// A processor that keeps every span it is handed, as an exporter that
// retries later might.
class KeepingProcessor : public SpanProcessor {
 public:
  bool UsesOnStart() const override { return false; }
  void OnEnd(RecordedSpanRef span) override { kept.push_back(std::move(span)); }
  bool ForceFlush(std::chrono::milliseconds) override { return true; }
  // Lets go at shutdown: the kept spans hold the provider that holds us.
  bool Shutdown(std::chrono::milliseconds) override {
    kept.clear();
    return true;
  }
  std::vector<RecordedSpanRef> kept;
};

// The batch processor recycles a span's storage after export only when its
// reference was the span's only one; with another processor holding the span
// too, the storage must survive until that one lets go, however many new
// spans start meanwhile.
TEST(BatchSpanProcessor, ASpanAnotherProcessorHoldsIsNotRecycledUnderIt) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  auto keeping = std::make_unique<KeepingProcessor>();
  KeepingProcessor* keeper = keeping.get();
  TracerProviderOptions o;
  o.processors.push_back(std::make_unique<BatchSpanProcessor>(
      std::make_unique<CountingExporter>(shared), Options(4096, 64, 60s)));
  o.processors.push_back(std::move(keeping));
  TracerProvider provider(std::move(o));
  Tracer tracer = provider.GetTracer("test");
  for (int i = 0; i < 1000; ++i) {
    Span span = tracer.StartSpan("kept-" + std::to_string(i));
    span.SetAttribute("i", i);
    span.End();
  }
  ASSERT_TRUE(provider.ForceFlush(5s));
  EXPECT_EQ(shared->spans, 1000);
  // Recycled storage would now be reused and overwritten by these.
  for (int i = 0; i < 2000; ++i) tracer.StartSpan("new").End();
  ASSERT_TRUE(provider.ForceFlush(5s));
  ASSERT_EQ(keeper->kept.size(), 3000u);
  for (int i = 0; i < 1000; ++i) {
    const SpanData& data = keeper->kept[static_cast<size_t>(i)].data();
    ASSERT_EQ(data.name, "kept-" + std::to_string(i));
    ASSERT_EQ(data.attributes.size(), 1u);
    EXPECT_EQ(std::get<int64_t>(data.attributes[0].value), i);
  }
}

// A handle copied before End keeps the span alive past its export.
TEST(BatchSpanProcessor, ASpanStillHeldByAHandleIsNotRecycledUnderIt) {
  auto shared = std::make_shared<CountingExporter::Shared>();
  Pipeline p(std::make_unique<CountingExporter>(shared), Options(4096, 8, 60s));
  std::vector<Span> held;
  for (int i = 0; i < 100; ++i) {
    Span span = p.tracer.StartSpan("held");
    held.push_back(span);
    span.End();
  }
  ASSERT_TRUE(p.provider->ForceFlush(5s));
  p.EndSpans(1000);
  ASSERT_TRUE(p.provider->ForceFlush(5s));
  EXPECT_EQ(shared->spans, 1100);
  // Live spans take pooled storage; a held span's storage among it would
  // read as recording again.
  std::vector<Span> live;
  for (int i = 0; i < 500; ++i) live.push_back(p.tracer.StartSpan("live"));
  std::set<std::string> ids;
  for (const Span& span : held) {
    EXPECT_FALSE(span.IsRecording());
    ids.insert(span.context().span_id().ToHex());
  }
  EXPECT_EQ(ids.size(), 100u);
  for (Span& span : live) span.End();
  live.clear();
  held.clear();  // the last references: recycled now, exactly once each
  p.EndSpans(100);
  ASSERT_TRUE(p.provider->ForceFlush(5s));
  EXPECT_EQ(shared->spans, 1700);
}

TEST(BatchSpanProcessorOptions, ReadsTheOtelBspVariables) {
  EnvGuard a("OTEL_BSP_MAX_QUEUE_SIZE", "100");
  EnvGuard b("OTEL_BSP_SCHEDULE_DELAY", "250");
  EnvGuard c("OTEL_BSP_EXPORT_TIMEOUT", "1000");
  EnvGuard d("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10");
  BatchSpanProcessorOptions o = BatchSpanProcessorOptions::FromEnvironment();
  EXPECT_EQ(o.max_queue_size, 100u);
  EXPECT_EQ(o.schedule_delay, 250ms);
  EXPECT_EQ(o.export_timeout, 1000ms);
  EXPECT_EQ(o.max_export_batch_size, 10u);
}

TEST(BatchSpanProcessorOptions, InvalidValuesWarnAndKeepTheDefault) {
  std::vector<std::string> warnings;
  SetDiagnosticHandler([&](DiagnosticLevel, std::string_view m) { warnings.emplace_back(m); });
  EnvGuard a("OTEL_BSP_MAX_QUEUE_SIZE", "lots");
  EnvGuard b("OTEL_BSP_SCHEDULE_DELAY", "-5");
  BatchSpanProcessorOptions o = BatchSpanProcessorOptions::FromEnvironment();
  SetDiagnosticHandler(nullptr);
  EXPECT_EQ(o.max_queue_size, 2048u);
  EXPECT_EQ(o.schedule_delay, 5000ms);
  EXPECT_EQ(warnings.size(), 2u);
}

TEST(BatchSpanProcessorOptions, BatchSizeAboveQueueSizeIsClamped) {
  SetDiagnosticHandler([](DiagnosticLevel, std::string_view) {});
  EnvGuard a("OTEL_BSP_MAX_QUEUE_SIZE", "100");
  EnvGuard b("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "500");
  BatchSpanProcessorOptions o = BatchSpanProcessorOptions::FromEnvironment();
  SetDiagnosticHandler(nullptr);
  EXPECT_EQ(o.max_export_batch_size, 100u);
}

}  // namespace
}  // namespace agenthub::telemetry
