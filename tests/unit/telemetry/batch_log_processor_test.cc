// BatchLogRecordProcessor: batching, a bounded queue that never blocks the
// logging thread, flush and shutdown that return by their timeout, and the
// OTEL_BLRP_* variables.
#include "telemetry/logs/batch_log_record_processor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "support/scoped_env.h"
#include "telemetry/logs/in_memory_log_exporter.h"

namespace agenthub::telemetry {
namespace {

using namespace std::chrono_literals;
using testing::DiagnosticCapture;
using testing::ScopedEnv;

// Counts records and batches; notices overlapping Export calls.
class CountingLogExporter : public LogRecordExporter {
 public:
  struct Shared {
    std::atomic<int> records{0};
    std::atomic<int> batches{0};
    std::atomic<int> max_batch{0};
    std::atomic<int> in_flight{0};
    std::atomic<bool> overlapped{false};
    std::atomic<bool> fail{false};
  };
  explicit CountingLogExporter(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  ExportResult Export(std::span<const LogRecordData* const> batch, Deadline) override {
    if (shared_->in_flight.fetch_add(1) != 0) shared_->overlapped = true;
    std::this_thread::sleep_for(100us);
    shared_->records += static_cast<int>(batch.size());
    shared_->batches++;
    int prev = shared_->max_batch.load();
    while (static_cast<int>(batch.size()) > prev &&
           !shared_->max_batch.compare_exchange_weak(prev, static_cast<int>(batch.size()))) {
    }
    shared_->in_flight.fetch_sub(1);
    return shared_->fail ? ExportResult::kFailure : ExportResult::kSuccess;
  }
  bool Shutdown(std::chrono::milliseconds) override { return true; }

 private:
  std::shared_ptr<Shared> shared_;
};

// Hangs in Export until released; Shutdown releases it only if asked to,
// so tests can model an exporter that ignores cancellation.
class HangingLogExporter : public LogRecordExporter {
 public:
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    bool in_export = false;
    bool released = false;
  };
  HangingLogExporter(std::shared_ptr<Shared> shared, bool release_on_shutdown)
      : shared_(std::move(shared)), release_on_shutdown_(release_on_shutdown) {}

  ExportResult Export(std::span<const LogRecordData* const>, Deadline) override {
    std::unique_lock lock(shared_->mu);
    shared_->in_export = true;
    shared_->cv.notify_all();
    shared_->cv.wait(lock, [&] { return shared_->released; });
    return ExportResult::kSuccess;
  }
  bool Shutdown(std::chrono::milliseconds) override {
    if (release_on_shutdown_) Release(*shared_);
    return true;
  }
  static void Release(Shared& s) {
    std::lock_guard lock(s.mu);
    s.released = true;
    s.cv.notify_all();
  }
  static bool WaitInExport(Shared& s) {
    std::unique_lock lock(s.mu);
    return s.cv.wait_for(lock, 10s, [&] { return s.in_export; });
  }

 private:
  std::shared_ptr<Shared> shared_;
  bool release_on_shutdown_;
};

BatchLogRecordProcessorOptions Options(size_t queue, size_t batch,
                                       std::chrono::milliseconds delay) {
  BatchLogRecordProcessorOptions o;
  o.max_queue_size = queue;
  o.max_export_batch_size = batch;
  o.schedule_delay = delay;
  return o;
}

void Emit(LogRecordProcessor& processor, int n) {
  for (int i = 0; i < n; ++i) {
    auto record = std::make_unique<LogRecordData>();
    record->body = "record " + std::to_string(i);
    processor.OnEmit(std::move(record));
  }
}

template <typename Predicate>
bool Eventually(Predicate done) {
  for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

TEST(BatchLogRecordProcessor, ExportsFullBatchesWithoutWaitingForTheDelay) {
  auto shared = std::make_shared<CountingLogExporter::Shared>();
  BatchLogRecordProcessor p(std::make_unique<CountingLogExporter>(shared), Options(64, 8, 60s));
  Emit(p, 16);
  EXPECT_TRUE(Eventually([&] { return shared->records == 16; }));
  EXPECT_LE(shared->max_batch, 8);
}

TEST(BatchLogRecordProcessor, ExportsAPartialBatchAfterTheScheduleDelay) {
  auto shared = std::make_shared<CountingLogExporter::Shared>();
  BatchLogRecordProcessor p(std::make_unique<CountingLogExporter>(shared), Options(64, 32, 50ms));
  Emit(p, 3);
  EXPECT_TRUE(Eventually([&] { return shared->records == 3; }));
}

TEST(BatchLogRecordProcessor, ForceFlushExportsEverythingInBatchesOfAtMostTheMaximum) {
  auto shared = std::make_shared<CountingLogExporter::Shared>();
  BatchLogRecordProcessor p(std::make_unique<CountingLogExporter>(shared), Options(1000, 10, 60s));
  Emit(p, 95);
  ASSERT_TRUE(p.ForceFlush(10s));
  EXPECT_EQ(shared->records, 95);
  EXPECT_EQ(shared->max_batch, 10);
  EXPECT_FALSE(shared->overlapped);
  EXPECT_EQ(p.stats().records_exported, 95u);
  EXPECT_EQ(p.stats().queue_depth, 0u);
}

TEST(BatchLogRecordProcessor, KeepsEveryFieldOfTheRecord) {
  auto store = std::make_shared<InMemoryLogStore>();
  BatchLogRecordProcessor p(std::make_unique<InMemoryLogRecordExporter>(store));
  auto record = std::make_unique<LogRecordData>();
  record->body = "hello";
  record->severity_number = SeverityNumber::kError;
  record->severity_text = "ERROR";
  record->attributes = {{"k", 1}};
  record->trace_id = NewTraceId();
  record->span_id = NewSpanId();
  const LogRecordData copy = *record;
  p.OnEmit(std::move(record));
  ASSERT_TRUE(p.ForceFlush(5s));
  ASSERT_EQ(store->size(), 1u);
  const LogRecordData got = store->records()[0];
  EXPECT_EQ(got.body, copy.body);
  EXPECT_EQ(got.severity_number, copy.severity_number);
  EXPECT_EQ(got.attributes, copy.attributes);
  EXPECT_EQ(got.trace_id, copy.trace_id);
  EXPECT_EQ(got.span_id, copy.span_id);
}

TEST(BatchLogRecordProcessor, RecyclesExportedRecordsBackToTheirDefaults) {
  auto store = std::make_shared<InMemoryLogStore>();
  BatchLogRecordProcessor p(std::make_unique<InMemoryLogRecordExporter>(store));
  auto resource = std::make_shared<const Resource>(Attributes{{"service.name", "svc"}});
  std::unique_ptr<LogRecordData> record = p.NewRecord();
  record->body = "hello";
  record->severity_number = SeverityNumber::kWarn;
  record->attributes = {{"k", 1}};
  record->trace_id = NewTraceId();
  record->resource = resource;
  const LogRecordData* first = record.get();
  p.OnEmit(std::move(record));
  ASSERT_TRUE(p.ForceFlush(5s));

  std::unique_ptr<LogRecordData> reused = p.NewRecord();
  EXPECT_EQ(reused.get(), first);  // the exported record came back
  EXPECT_TRUE(reused->body.empty());
  EXPECT_TRUE(reused->attributes.empty());
  EXPECT_EQ(reused->severity_number, SeverityNumber::kUnspecified);
  EXPECT_FALSE(reused->trace_id.IsValid());
  EXPECT_EQ(reused->resource, resource);  // kept, as the interface promises
  EXPECT_EQ(store->records()[0].body, "hello");
}

TEST(BatchLogRecordProcessor, FullQueueDropsAndCountsWhileTheCallerNeverBlocks) {
  auto shared = std::make_shared<HangingLogExporter::Shared>();
  BatchLogRecordProcessor p(std::make_unique<HangingLogExporter>(shared, true), Options(4, 1, 1ms));
  Emit(p, 1);
  ASSERT_TRUE(HangingLogExporter::WaitInExport(*shared));
  // The exporter is hung: the queue takes 4 more, the rest must be dropped
  // at once (a blocking OnEmit would hang this test).
  Emit(p, 100);
  EXPECT_EQ(p.stats().records_dropped, 96u);
  EXPECT_EQ(p.stats().queue_depth, 4u);
  HangingLogExporter::Release(*shared);
}

TEST(BatchLogRecordProcessor, ForceFlushReturnsFalseByItsTimeoutWhenTheExporterHangs) {
  auto shared = std::make_shared<HangingLogExporter::Shared>();
  BatchLogRecordProcessor p(std::make_unique<HangingLogExporter>(shared, true), Options(8, 1, 1ms));
  Emit(p, 1);
  ASSERT_TRUE(HangingLogExporter::WaitInExport(*shared));
  const auto start = SteadyClock::now();
  EXPECT_FALSE(p.ForceFlush(100ms));
  EXPECT_LT(SteadyClock::now() - start, 5s);
  HangingLogExporter::Release(*shared);
}

TEST(BatchLogRecordProcessor, ShutdownReturnsByItsTimeoutEvenIfTheExporterIgnoresIt) {
  auto shared = std::make_shared<HangingLogExporter::Shared>();
  DiagnosticCapture diagnostics;
  {
    BatchLogRecordProcessor p(std::make_unique<HangingLogExporter>(shared, false),
                              Options(8, 1, 1ms));
    Emit(p, 1);
    ASSERT_TRUE(HangingLogExporter::WaitInExport(*shared));
    const auto start = SteadyClock::now();
    EXPECT_FALSE(p.Shutdown(100ms));
    EXPECT_LT(SteadyClock::now() - start, 5s);
    EXPECT_TRUE(diagnostics.HasWarningContaining({"shutdown timed out"}));
  }
  // The detached export thread finishes once the exporter lets go.
  HangingLogExporter::Release(*shared);
}

TEST(BatchLogRecordProcessor, ShutdownExportsWhatIsQueuedThenDropsLaterRecords) {
  auto store = std::make_shared<InMemoryLogStore>();
  BatchLogRecordProcessor p(std::make_unique<InMemoryLogRecordExporter>(store),
                            Options(64, 32, 60s));
  Emit(p, 5);
  ASSERT_TRUE(p.Shutdown(5s));
  EXPECT_EQ(store->size(), 5u);
  Emit(p, 3);
  EXPECT_EQ(p.stats().records_dropped, 3u);
  EXPECT_TRUE(p.Shutdown(1s));  // idempotent
  EXPECT_TRUE(p.ForceFlush(1s));
}

TEST(BatchLogRecordProcessor, CountsRecordsOfFailedExports) {
  auto shared = std::make_shared<CountingLogExporter::Shared>();
  shared->fail = true;
  BatchLogRecordProcessor p(std::make_unique<CountingLogExporter>(shared), Options(64, 8, 60s));
  Emit(p, 10);
  ASSERT_TRUE(p.ForceFlush(5s));
  EXPECT_EQ(p.stats().export_failures, 10u);
  EXPECT_EQ(p.stats().records_exported, 0u);
}

class BlrpEnvironment : public ::testing::Test {
 protected:
  ScopedEnv delay_{"OTEL_BLRP_SCHEDULE_DELAY", std::nullopt};
  ScopedEnv timeout_{"OTEL_BLRP_EXPORT_TIMEOUT", std::nullopt};
  ScopedEnv queue_{"OTEL_BLRP_MAX_QUEUE_SIZE", std::nullopt};
  ScopedEnv batch_{"OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", std::nullopt};
};

TEST_F(BlrpEnvironment, DefaultsAreTheSpecificationValues) {
  const auto o = BatchLogRecordProcessorOptions::FromEnvironment();
  EXPECT_EQ(o.schedule_delay, 1000ms);
  EXPECT_EQ(o.export_timeout, 30000ms);
  EXPECT_EQ(o.max_queue_size, 2048u);
  EXPECT_EQ(o.max_export_batch_size, 512u);
}

TEST_F(BlrpEnvironment, VariablesOverrideTheDefaults) {
  ScopedEnv delay("OTEL_BLRP_SCHEDULE_DELAY", "250");
  ScopedEnv timeout("OTEL_BLRP_EXPORT_TIMEOUT", "7000");
  ScopedEnv queue("OTEL_BLRP_MAX_QUEUE_SIZE", "100");
  ScopedEnv batch("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "20");
  const auto o = BatchLogRecordProcessorOptions::FromEnvironment();
  EXPECT_EQ(o.schedule_delay, 250ms);
  EXPECT_EQ(o.export_timeout, 7000ms);
  EXPECT_EQ(o.max_queue_size, 100u);
  EXPECT_EQ(o.max_export_batch_size, 20u);
}

TEST_F(BlrpEnvironment, InvalidValuesWarnAndKeepTheDefault) {
  DiagnosticCapture diagnostics;
  ScopedEnv delay("OTEL_BLRP_SCHEDULE_DELAY", "soon");
  ScopedEnv queue("OTEL_BLRP_MAX_QUEUE_SIZE", "0");
  const auto o = BatchLogRecordProcessorOptions::FromEnvironment();
  EXPECT_EQ(o.schedule_delay, 1000ms);
  EXPECT_EQ(o.max_queue_size, 2048u);
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_BLRP_SCHEDULE_DELAY"}));
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_BLRP_MAX_QUEUE_SIZE"}));
}

TEST_F(BlrpEnvironment, BatchLargerThanTheQueueIsClampedToIt) {
  DiagnosticCapture diagnostics;
  ScopedEnv queue("OTEL_BLRP_MAX_QUEUE_SIZE", "10");
  ScopedEnv batch("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "50");
  const auto o = BatchLogRecordProcessorOptions::FromEnvironment();
  EXPECT_EQ(o.max_export_batch_size, 10u);
  EXPECT_TRUE(diagnostics.HasWarningContaining({"clamping"}));
}

}  // namespace
}  // namespace agenthub::telemetry
