// TraceStore against real SQLite (in memory and in temporary files): every
// field survives, the searches follow Jaeger's semantics, retention and
// --max-spans delete the right rows, a database reopens with its data.
#include "collector/store/trace_store.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "collector/store/ids.h"
#include "collector/store/span_tags.h"
#include "collector_test_data.h"

namespace agenthub::collector {
namespace {

using namespace testdata;
using google::protobuf::util::MessageDifferencer;

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("agenthub-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n_));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int n_ = 0;
  std::filesystem::path path_;
};

std::unique_ptr<TraceStore> OpenMemory(TraceStoreOptions options = {}) {
  options.path = ":memory:";
  std::string error;
  auto store = TraceStore::Open(options, &error);
  EXPECT_TRUE(store) << error;
  return store;
}

void WriteTraces(TraceStore& store, const std::vector<ExportTraceServiceRequest>& requests) {
  StoreBatch batch;
  for (const auto& r : requests) batch.traces.push_back(&r);
  ASSERT_EQ(store.Write(batch), "");
}

// A span with every field set, to check that nothing is lost.
Span FullSpan() {
  Span span = MakeSpan(1, 2, 1, "process_task", kT0, 25 * kMs);
  span.set_trace_state("vendor=a");
  span.set_flags(0x301);
  span.set_kind(Span::SPAN_KIND_CONSUMER);
  SetString(span.add_attributes(), "task.type", "summarize");
  auto* count = span.add_attributes();
  count->set_key("task.count");
  count->mutable_value()->set_int_value(3);
  span.set_dropped_attributes_count(4);
  auto* event = span.add_events();
  event->set_name("exception");
  event->set_time_unix_nano(kT0 + 5 * kMs);
  SetString(event->add_attributes(), "exception.message", "boom");
  span.set_dropped_events_count(1);
  auto* link = span.add_links();
  link->set_trace_id(TraceId(9));
  link->set_span_id(SpanId(9));
  link->set_trace_state("x=y");
  link->set_flags(1);
  SetString(link->add_attributes(), "link.kind", "batch");
  span.set_dropped_links_count(2);
  span.mutable_status()->set_code(opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR);
  span.mutable_status()->set_message("task failed");
  return span;
}

TEST(TraceStore, KeepsEverySpanFieldResourceAndScope) {
  auto store = OpenMemory();
  const Span span = FullSpan();
  WriteTraces(*store, {MakeRequest("subscriber", {span})});

  const StoredTrace trace = store->GetTrace(TraceId(1));
  ASSERT_EQ(trace.spans.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(trace.spans[0].span, span));
  ASSERT_TRUE(trace.spans[0].resource);
  EXPECT_EQ(trace.spans[0].resource->service, "subscriber");
  EXPECT_EQ(trace.spans[0].resource->schema_url, "https://opentelemetry.io/schemas/1.21.0");
  EXPECT_EQ(trace.spans[0].resource->resource.attributes_size(), 2);
  EXPECT_EQ(trace.spans[0].scope.scope.name(), "test.scope");
  EXPECT_EQ(trace.spans[0].scope.scope.version(), "1.2.3");
}

TEST(TraceStore, UnknownTraceHasNoSpans) {
  auto store = OpenMemory();
  EXPECT_TRUE(store->GetTrace(TraceId(7)).spans.empty());
}

TEST(TraceStore, TraceSpansComeInStartOrderAcrossBatchesAndServices) {
  auto store = OpenMemory();
  WriteTraces(*store, {MakeRequest("b", {MakeSpan(1, 2, 1, "child", kT0 + 10 * kMs, kMs)})});
  WriteTraces(*store, {MakeRequest("a", {MakeSpan(1, 1, 0, "root", kT0, 50 * kMs)})});
  const StoredTrace trace = store->GetTrace(TraceId(1));
  ASSERT_EQ(trace.spans.size(), 2u);
  EXPECT_EQ(trace.spans[0].span.name(), "root");
  EXPECT_EQ(trace.spans[0].resource->service, "a");
  EXPECT_EQ(trace.spans[1].resource->service, "b");
}

TEST(TraceStore, ListsServicesAndTheirOperations) {
  auto store = OpenMemory();
  Span server = MakeSpan(1, 1, 0, "route_task", kT0, kMs);
  server.set_kind(Span::SPAN_KIND_SERVER);
  WriteTraces(*store, {MakeRequest("broker", {server, MakeSpan(1, 2, 1, "enqueue", kT0, kMs)}),
                       MakeRequest("publisher", {MakeSpan(1, 3, 0, "publish_event", kT0, kMs)})});
  EXPECT_EQ(store->Services(), (std::vector<std::string>{"broker", "publisher"}));
  const auto ops = store->Operations("broker");
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].name, "enqueue");
  EXPECT_EQ(ops[1].name, "route_task");
  EXPECT_EQ(ops[1].kind, Span::SPAN_KIND_SERVER);
  EXPECT_TRUE(store->Operations("nobody").empty());
}

TEST(TraceStore, ResourceWithoutServiceNameIsUnknownService) {
  auto store = OpenMemory();
  ExportTraceServiceRequest request = MakeRequest("x", {MakeSpan(1, 1, 0, "op", kT0, kMs)});
  request.mutable_resource_spans(0)->mutable_resource()->clear_attributes();
  WriteTraces(*store, {request});
  EXPECT_EQ(store->Services(), (std::vector<std::string>{"unknown_service"}));
}

class TraceSearch : public testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenMemory();
    // Trace 1: publisher, 100 ms, root "publish_event" with task.type=a.
    // Trace 2: publisher, 10 ms, later, task.type=b, status ERROR.
    // Trace 3: broker only, 1 s, earliest.
    Span t1 = MakeSpan(1, 1, 0, "publish_event", kT0 + 1000 * kMs, 100 * kMs);
    SetString(t1.add_attributes(), "task.type", "a");
    Span t2 = MakeSpan(2, 1, 0, "publish_event", kT0 + 2000 * kMs, 10 * kMs);
    SetString(t2.add_attributes(), "task.type", "b");
    t2.mutable_status()->set_code(opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR);
    Span t2b = MakeSpan(2, 2, 1, "consume_result", kT0 + 2005 * kMs, kMs);
    Span t3 = MakeSpan(3, 1, 0, "route_task", kT0, 1000 * kMs);
    WriteTraces(*store_, {MakeRequest("publisher", {t1, t2, t2b}), MakeRequest("broker", {t3})});
  }

  std::vector<std::string> Find(TraceQuery query) {
    std::string error;
    std::vector<std::string> ids;
    for (const auto& trace : store_->FindTraces(query, &error)) {
      ids.push_back(ToHex(trace.trace_id.substr(15)));
    }
    EXPECT_EQ(error, "");
    return ids;
  }

  std::unique_ptr<TraceStore> store_;
};

TEST_F(TraceSearch, ByServiceMostRecentFirst) {
  EXPECT_EQ(Find({.service = "publisher"}), (std::vector<std::string>{"02", "01"}));
  EXPECT_EQ(Find({.service = "broker"}), (std::vector<std::string>{"03"}));
  EXPECT_EQ(Find({.service = "nobody"}), (std::vector<std::string>{}));
}

TEST_F(TraceSearch, AnyServiceWhenNoneGiven) {
  EXPECT_EQ(Find({}), (std::vector<std::string>{"02", "01", "03"}));
}

TEST_F(TraceSearch, ByOperation) {
  EXPECT_EQ(Find({.service = "publisher", .operation = "consume_result"}),
            (std::vector<std::string>{"02"}));
}

TEST_F(TraceSearch, ByTagsAllOfWhichOneSpanCarries) {
  EXPECT_EQ(Find({.service = "publisher", .tags = {{"task.type", "a"}}}),
            (std::vector<std::string>{"01"}));
  EXPECT_EQ(Find({.service = "publisher", .tags = {{"error", "true"}}}),
            (std::vector<std::string>{"02"}));
  EXPECT_EQ(Find({.service = "publisher", .tags = {{"host.name", "test-host"}}}),
            (std::vector<std::string>{"02", "01"}));
  EXPECT_EQ(Find({.service = "publisher", .tags = {{"task.type", "a"}, {"error", "true"}}}),
            (std::vector<std::string>{}));
}

TEST_F(TraceSearch, ByStartTimeRange) {
  EXPECT_EQ(Find({.start_min_ns = kT0 + 500 * kMs, .start_max_ns = kT0 + 1500 * kMs}),
            (std::vector<std::string>{"01"}));
}

TEST_F(TraceSearch, ByDuration) {
  EXPECT_EQ(Find({.service = "publisher", .min_duration_ns = 50 * kMs}),
            (std::vector<std::string>{"01"}));
  EXPECT_EQ(Find({.service = "publisher", .max_duration_ns = 20 * kMs}),
            (std::vector<std::string>{"02"}));
}

TEST_F(TraceSearch, LimitCountsTraces) {
  EXPECT_EQ(Find({.limit = 2}), (std::vector<std::string>{"02", "01"}));
}

TEST_F(TraceSearch, FoundTracesCarryAllTheirSpans) {
  const auto traces = store_->FindTraces({.service = "publisher", .operation = "consume_result"});
  ASSERT_EQ(traces.size(), 1u);
  EXPECT_EQ(traces[0].spans.size(), 2u);
}

TEST(TraceStore, LogsOfATraceOldestFirst) {
  auto store = OpenMemory();
  const auto second = MakeLogs("subscriber", 1, 2, "second", kT0 + 2 * kMs);
  const auto first = MakeLogs("subscriber", 1, 1, "first", kT0 + kMs);
  const auto other = MakeLogs("subscriber", 2, 1, "other trace", kT0);
  const auto none = MakeLogs("subscriber", 0, 0, "no trace", kT0);
  StoreBatch batch;
  batch.logs = {&second, &first, &other, &none};
  StoreCounts counts;
  ASSERT_EQ(store->Write(batch, &counts), "");
  EXPECT_EQ(counts.logs, 4);
  const auto logs = store->TraceLogs(TraceId(1));
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[0].record.body().string_value(), "first");
  EXPECT_EQ(logs[1].record.body().string_value(), "second");
  EXPECT_EQ(logs[0].record.span_id(), SpanId(1));
  EXPECT_EQ(logs[0].resource->service, "subscriber");
  EXPECT_EQ(store->log_count(), 4);
}

TEST(TraceStore, CountsMetricPoints) {
  auto store = OpenMemory();
  const auto metrics = MakeMetrics("broker", 3);
  StoreBatch batch;
  batch.metrics = {&metrics};
  StoreCounts counts;
  ASSERT_EQ(store->Write(batch, &counts), "");
  EXPECT_EQ(counts.metric_points, 3);
  EXPECT_EQ(store->metric_point_count(), 3);
}

TEST(TraceStore, RetentionDeletesOldSpansLogsAndTheirOperations) {
  auto store = OpenMemory({.retention = std::chrono::hours(1)});
  const uint64_t hour = 3600ull * 1000 * kMs;
  WriteTraces(*store, {MakeRequest("old", {MakeSpan(1, 1, 0, "ancient", kT0, kMs)}),
                       MakeRequest("new", {MakeSpan(2, 1, 0, "recent", kT0 + 2 * hour, kMs)})});
  const auto old_log = MakeLogs("old", 1, 1, "old", kT0);
  StoreBatch batch;
  batch.logs = {&old_log};
  ASSERT_EQ(store->Write(batch), "");

  std::string error;
  const StoreCounts deleted = store->ApplyRetention(kT0 + 2 * hour + kMs, &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(deleted.spans, 1);
  EXPECT_EQ(deleted.logs, 1);
  EXPECT_EQ(store->span_count(), 1);
  EXPECT_TRUE(store->GetTrace(TraceId(1)).spans.empty());
  EXPECT_EQ(store->GetTrace(TraceId(2)).spans.size(), 1u);
  EXPECT_EQ(store->Services(), (std::vector<std::string>{"new"}));
}

TEST(TraceStore, ZeroRetentionKeepsEverything) {
  auto store = OpenMemory({.retention = std::chrono::nanoseconds(0)});
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(1, 1, 0, "op", 1, kMs)})});
  EXPECT_EQ(store->ApplyRetention(kT0).spans, 0);
  EXPECT_EQ(store->span_count(), 1);
}

TEST(TraceStore, MaxSpansKeepsTheNewestArrivals) {
  auto store = OpenMemory({.max_spans = 3});
  for (uint8_t i = 1; i <= 5; ++i) {
    WriteTraces(*store, {MakeRequest("svc", {MakeSpan(i, 1, 0, "op", kT0 + i * kMs, kMs)})});
  }
  EXPECT_EQ(store->span_count(), 3);
  EXPECT_TRUE(store->GetTrace(TraceId(1)).spans.empty());
  EXPECT_TRUE(store->GetTrace(TraceId(2)).spans.empty());
  EXPECT_EQ(store->GetTrace(TraceId(5)).spans.size(), 1u);
}

TEST(TraceStore, MaxSpansWithinOneBigBatch) {
  auto store = OpenMemory({.max_spans = 2});
  std::vector<Span> spans;
  for (uint8_t i = 1; i <= 4; ++i) spans.push_back(MakeSpan(1, i, 0, "op", kT0 + i, kMs));
  WriteTraces(*store, {MakeRequest("svc", spans)});
  EXPECT_EQ(store->span_count(), 2);
  const auto trace = store->GetTrace(TraceId(1));
  ASSERT_EQ(trace.spans.size(), 2u);
  EXPECT_EQ(trace.spans[0].span.span_id(), SpanId(3));
}

TEST(TraceStore, FileDatabaseUsesWalAndReopensWithItsData) {
  TempDir dir;
  const std::string path = dir.File("traces.db");
  {
    std::string error;
    auto store = TraceStore::Open({.path = path}, &error);
    ASSERT_TRUE(store) << error;
    WriteTraces(*store, {MakeRequest("svc", {FullSpan()})});
  }
  std::string error;
  auto store = TraceStore::Open({.path = path}, &error);
  ASSERT_TRUE(store) << error;
  EXPECT_EQ(store->span_count(), 1);
  const auto trace = store->GetTrace(TraceId(1));
  ASSERT_EQ(trace.spans.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(trace.spans[0].span, FullSpan()));
  EXPECT_EQ(store->Services(), (std::vector<std::string>{"svc"}));
  // New writes after reopening land beside the old ones.
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(2, 1, 0, "op", kT0, kMs)})});
  EXPECT_EQ(store->span_count(), 2);
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
}

TEST(TraceStore, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const std::string path = dir.File("garbage.db");
  std::ofstream(path) << std::string(4096, 'x');
  std::string error;
  EXPECT_FALSE(TraceStore::Open({.path = path}, &error));
  EXPECT_NE(error.find("not a database"), std::string::npos) << error;
}

TEST(TraceStore, RefusesAnUnwritableLocation) {
  std::string error;
  EXPECT_FALSE(TraceStore::Open({.path = "/nonexistent-dir/x/traces.db"}, &error));
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

TEST(TraceStore, ReadersSeeCommittedDataWhileTheWriterWorks) {
  TempDir dir;
  std::string error;
  auto store = TraceStore::Open({.path = dir.File("t.db")}, &error);
  ASSERT_TRUE(store) << error;
  std::thread writer([&] {
    for (uint8_t i = 1; i <= 50; ++i) {
      WriteTraces(*store, {MakeRequest("svc", {MakeSpan(i, 1, 0, "op", kT0 + i, kMs)})});
    }
  });
  for (int i = 0; i < 50; ++i) {
    std::string read_error;
    store->FindTraces({.service = "svc", .limit = 100}, &read_error);
    EXPECT_EQ(read_error, "");
  }
  writer.join();
  EXPECT_EQ(store->FindTraces({.service = "svc", .limit = 100}).size(), 50u);
}

// Every Write is a block of its own; a trace may arrive in several.
TEST(TraceStoreBlocks, TraceArrivingInSeveralBatchesComesBackWholeInStartOrder) {
  auto store = OpenMemory();
  WriteTraces(*store, {MakeRequest("b", {MakeSpan(1, 3, 2, "third", kT0 + 30 * kMs, kMs),
                                         MakeSpan(2, 1, 0, "other", kT0, kMs)})});
  WriteTraces(*store, {MakeRequest("c", {MakeSpan(3, 1, 0, "unrelated", kT0, kMs)})});
  WriteTraces(*store, {MakeRequest("a", {MakeSpan(1, 1, 0, "first", kT0, 50 * kMs)}),
                       MakeRequest("b", {MakeSpan(1, 2, 1, "second", kT0 + 10 * kMs, kMs)})});
  const StoredTrace trace = store->GetTrace(TraceId(1));
  ASSERT_EQ(trace.spans.size(), 3u);
  EXPECT_EQ(trace.spans[0].span.name(), "first");
  EXPECT_EQ(trace.spans[0].resource->service, "a");
  EXPECT_EQ(trace.spans[1].span.name(), "second");
  EXPECT_EQ(trace.spans[1].resource->service, "b");
  EXPECT_EQ(trace.spans[2].span.name(), "third");
  EXPECT_EQ(trace.spans[2].scope.scope.name(), "test.scope");
  EXPECT_EQ(store->GetTrace(TraceId(2)).spans.size(), 1u);
  EXPECT_EQ(store->span_count(), 5);
}

TEST(TraceStoreBlocks, TracesWhoseIdsShareTheFirstEightBytesStayApart) {
  auto store = OpenMemory();
  // TraceId(n) differ only in the last byte: one chunk-index key for all.
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(1, 1, 0, "one", kT0, kMs),
                                           MakeSpan(2, 1, 0, "two", kT0, kMs)})});
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(2, 2, 1, "two-b", kT0 + kMs, kMs)})});
  const StoredTrace one = store->GetTrace(TraceId(1));
  ASSERT_EQ(one.spans.size(), 1u);
  EXPECT_EQ(one.spans[0].span.name(), "one");
  EXPECT_EQ(store->GetTrace(TraceId(2)).spans.size(), 2u);
}

// Search order is by the most recent matching span, whichever block holds
// it: here the block written first holds the latest span.
TEST(TraceStoreBlocks, SearchMergesBlocksByStartTime) {
  auto store = OpenMemory();
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(1, 1, 0, "op", kT0 + 300 * kMs, kMs),
                                           MakeSpan(2, 1, 0, "op", kT0 + 100 * kMs, kMs)})});
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(3, 1, 0, "op", kT0 + 200 * kMs, kMs),
                                           MakeSpan(4, 1, 0, "op", kT0 + 400 * kMs, kMs)})});
  std::vector<uint8_t> order;
  for (const auto& t : store->FindTraces({.service = "svc"})) {
    order.push_back(static_cast<uint8_t>(t.trace_id[15]));
  }
  EXPECT_EQ(order, (std::vector<uint8_t>{4, 1, 3, 2}));
  order.clear();
  for (const auto& t : store->FindTraces({.service = "svc", .limit = 2})) {
    order.push_back(static_cast<uint8_t>(t.trace_id[15]));
  }
  EXPECT_EQ(order, (std::vector<uint8_t>{4, 1}));
}

TEST(TraceStoreBlocks, SearchByDurationAndTagsAcrossBlocks) {
  auto store = OpenMemory();
  Span slow = MakeSpan(1, 1, 0, "op", kT0, 500 * kMs);
  SetString(slow.add_attributes(), "tenant", "acme");
  Span fast = MakeSpan(2, 1, 0, "op", kT0 + kMs, kMs);
  SetString(fast.add_attributes(), "tenant", "acme");
  Span slow_other = MakeSpan(3, 1, 0, "op", kT0 + 2 * kMs, 500 * kMs);
  SetString(slow_other.add_attributes(), "tenant", "globex");
  WriteTraces(*store, {MakeRequest("svc", {slow})});
  WriteTraces(*store, {MakeRequest("svc", {fast})});
  WriteTraces(*store, {MakeRequest("svc", {slow_other})});
  auto find = [&](TraceQuery query) {
    std::vector<uint8_t> ids;
    std::string error;
    for (const auto& t : store->FindTraces(query, &error)) {
      ids.push_back(static_cast<uint8_t>(t.trace_id[15]));
    }
    EXPECT_EQ(error, "");
    return ids;
  };
  EXPECT_EQ(find({.tags = {{"tenant", "acme"}}}), (std::vector<uint8_t>{2, 1}));
  EXPECT_EQ(find({.tags = {{"tenant", "acme"}}, .min_duration_ns = 100 * kMs}),
            (std::vector<uint8_t>{1}));
  EXPECT_EQ(find({.service = "svc", .max_duration_ns = 10 * kMs}), (std::vector<uint8_t>{2}));
  EXPECT_EQ(find({.min_duration_ns = 100 * kMs}), (std::vector<uint8_t>{3, 1}));
  EXPECT_EQ(find({.tags = {{"tenant", "initech"}}}), (std::vector<uint8_t>{}));
}

TEST(TraceStoreBlocks, SearchStopsAfterMaxSearchSpans) {
  auto store = OpenMemory({.max_search_spans = 2});
  for (uint8_t i = 1; i <= 4; ++i) {
    WriteTraces(*store, {MakeRequest("svc", {MakeSpan(i, 1, 0, "op", kT0 + i * kMs, kMs)})});
  }
  EXPECT_EQ(store->FindTraces({.limit = 10}).size(), 2u);
}

TEST(TraceStoreBlocks, RetentionDropsWholeBlocksAndCutsThroughPartlyExpiredOnes) {
  auto store = OpenMemory({.retention = std::chrono::hours(1)});
  const uint64_t hour = 3600ull * 1000 * kMs;
  // Block 1: all old. Block 2: trace 2 has an old and a new span. Block 3:
  // new.
  WriteTraces(*store, {MakeRequest("old", {MakeSpan(1, 1, 0, "a", kT0, kMs),
                                           MakeSpan(1, 2, 1, "b", kT0 + kMs, kMs)})});
  WriteTraces(*store,
              {MakeRequest("mixed", {MakeSpan(2, 1, 0, "early", kT0, kMs),
                                     MakeSpan(2, 2, 1, "late", kT0 + 2 * hour, kMs),
                                     MakeSpan(3, 1, 0, "late", kT0 + 2 * hour + kMs, kMs)})});
  WriteTraces(*store, {MakeRequest("new", {MakeSpan(4, 1, 0, "c", kT0 + 2 * hour, kMs)})});
  ASSERT_EQ(store->span_count(), 6);

  std::string error;
  const StoreCounts deleted = store->ApplyRetention(kT0 + 2 * hour - kMs, &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(deleted.spans, 3);
  EXPECT_EQ(store->span_count(), 3);
  EXPECT_TRUE(store->GetTrace(TraceId(1)).spans.empty());
  const StoredTrace mixed = store->GetTrace(TraceId(2));
  ASSERT_EQ(mixed.spans.size(), 1u);
  EXPECT_EQ(mixed.spans[0].span.name(), "late");
  EXPECT_EQ(store->GetTrace(TraceId(3)).spans.size(), 1u);
  EXPECT_EQ(store->Services(), (std::vector<std::string>{"mixed", "new"}));
  const auto ops = store->Operations("mixed");
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].name, "late");
  EXPECT_EQ(store->FindTraces({.service = "mixed", .operation = "early"}).size(), 0u);
  EXPECT_EQ(store->FindTraces({.service = "mixed", .operation = "late"}).size(), 2u);
}

TEST(TraceStoreBlocks, MaxSpansCutsInsideTheOldestBlockByArrival) {
  auto store = OpenMemory({.max_spans = 4});
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(1, 1, 0, "op", kT0 + 9 * kMs, kMs),
                                           MakeSpan(2, 1, 0, "op", kT0, kMs),
                                           MakeSpan(1, 2, 1, "op", kT0 + 8 * kMs, kMs)})});
  WriteTraces(
      *store,
      {MakeRequest("svc", {MakeSpan(3, 1, 0, "op", kT0, kMs), MakeSpan(3, 2, 1, "op", kT0, kMs)})});
  // 5 spans: the first arrival (trace 1's span 1) goes.
  EXPECT_EQ(store->span_count(), 4);
  const StoredTrace one = store->GetTrace(TraceId(1));
  ASSERT_EQ(one.spans.size(), 1u);
  EXPECT_EQ(one.spans[0].span.span_id(), SpanId(2));
  EXPECT_EQ(store->GetTrace(TraceId(2)).spans.size(), 1u);
  EXPECT_EQ(store->GetTrace(TraceId(3)).spans.size(), 2u);
  // The rewritten block keeps its place: it is still the oldest, and its
  // next arrival (trace 2's span) is the next to go.
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(4, 1, 0, "op", kT0, kMs)})});
  EXPECT_TRUE(store->GetTrace(TraceId(2)).spans.empty());
  EXPECT_EQ(store->GetTrace(TraceId(1)).spans.size(), 1u);
  EXPECT_EQ(store->GetTrace(TraceId(4)).spans.size(), 1u);
  EXPECT_EQ(store->span_count(), 4);
}

TEST(TraceStoreBlocks, ReopenedStoreKeepsAddingBlocksAndEnforcesMaxSpans) {
  TempDir dir;
  const std::string path = dir.File("traces.db");
  {
    std::string error;
    auto store = TraceStore::Open({.path = path, .max_spans = 2}, &error);
    ASSERT_TRUE(store) << error;
    WriteTraces(*store, {MakeRequest("svc", {MakeSpan(1, 1, 0, "op", kT0, kMs)})});
    WriteTraces(*store, {MakeRequest("svc", {MakeSpan(2, 1, 0, "op", kT0, kMs)})});
  }
  std::string error;
  auto store = TraceStore::Open({.path = path, .max_spans = 2}, &error);
  ASSERT_TRUE(store) << error;
  EXPECT_EQ(store->span_count(), 2);
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(3, 1, 0, "op", kT0, kMs),
                                           MakeSpan(1, 2, 1, "op", kT0 + kMs, kMs)})});
  EXPECT_EQ(store->span_count(), 2);
  EXPECT_TRUE(store->GetTrace(TraceId(2)).spans.empty());
  EXPECT_EQ(store->GetTrace(TraceId(3)).spans.size(), 1u);
  // Trace 1's first span went with the oldest block; its later one stays.
  ASSERT_EQ(store->GetTrace(TraceId(1)).spans.size(), 1u);
  EXPECT_EQ(store->GetTrace(TraceId(1)).spans[0].span.span_id(), SpanId(2));
}

// The file is input like any other: a damaged block serves what can be
// read, and retention still deletes it.
TEST(TraceStoreBlocks, ADamagedBlockIsSkippedNotFatal) {
  TempDir dir;
  const std::string path = dir.File("damaged.db");
  {
    std::string error;
    auto store = TraceStore::Open({.path = path}, &error);
    ASSERT_TRUE(store) << error;
    WriteTraces(*store, {MakeRequest("svc", {MakeSpan(1, 1, 0, "op", kT0, kMs)})});
    WriteTraces(*store, {MakeRequest("svc", {MakeSpan(2, 1, 0, "op", kT0 + kMs, kMs)})});
  }
  {
    SqliteDb db;
    ASSERT_EQ(db.Open(path), "");
    ASSERT_EQ(db.Exec("UPDATE blocks SET headers=x'05ff', dictionary=x'ff' WHERE id=1"), "");
  }
  std::string error;
  auto store = TraceStore::Open({.path = path, .max_spans = 1}, &error);
  ASSERT_TRUE(store) << error;
  const auto found = store->FindTraces({.service = "svc"}, &error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].trace_id, TraceId(2));
  // Its chunk is intact: the span is there, without its resource.
  const StoredTrace one = store->GetTrace(TraceId(1));
  ASSERT_EQ(one.spans.size(), 1u);
  EXPECT_FALSE(one.spans[0].resource);
  // Over --max-spans the damaged block goes first, whole.
  WriteTraces(*store, {MakeRequest("svc", {MakeSpan(3, 1, 0, "op", kT0, kMs)})});
  EXPECT_TRUE(store->GetTrace(TraceId(1)).spans.empty());
  EXPECT_TRUE(store->GetTrace(TraceId(2)).spans.empty());
  EXPECT_EQ(store->span_count(), 1);
}

TEST(TraceStore, RefusesAnOlderSchemaVersionSayingWhatToDo) {
  TempDir dir;
  const std::string path = dir.File("v1.db");
  {
    SqliteDb db;
    ASSERT_EQ(db.Open(path), "");
    ASSERT_EQ(db.Exec("CREATE TABLE spans(id INTEGER PRIMARY KEY); PRAGMA user_version=1;"), "");
  }
  std::string error;
  EXPECT_FALSE(TraceStore::Open({.path = path}, &error));
  EXPECT_NE(error.find("schema version 1 is not supported"), std::string::npos) << error;
  EXPECT_NE(error.find("--db"), std::string::npos) << error;
}

TEST(Ids, HexRoundTripAndJaegerShortIds) {
  EXPECT_EQ(ToHex(TraceId(1)), "4b000000000000000000000000000001");
  EXPECT_EQ(TraceIdFromHex("4B000000000000000000000000000001"), TraceId(1));
  std::string short_id(16, '\0');
  short_id[15] = 0x2a;
  EXPECT_EQ(TraceIdFromHex("2a"), short_id);
  EXPECT_FALSE(TraceIdFromHex(""));
  EXPECT_FALSE(TraceIdFromHex("0"));
  EXPECT_FALSE(TraceIdFromHex("xyz"));
  EXPECT_FALSE(TraceIdFromHex(std::string(33, 'a')));
}

TEST(SpanTags, DerivedTagsFollowJaegersOtlpTranslation) {
  StoredScope scope;
  scope.scope.set_name("lib");
  Span span = FullSpan();
  const auto tags = DerivedSpanTags(span, scope);
  std::map<std::string, std::string> got;
  for (const auto& kv : tags) got[kv.key()] = AnyValueToString(kv.value());
  EXPECT_EQ(got["span.kind"], "consumer");
  EXPECT_EQ(got["otel.status_code"], "ERROR");
  EXPECT_EQ(got["otel.status_description"], "task failed");
  EXPECT_EQ(got["error"], "true");
  EXPECT_EQ(got["otel.scope.name"], "lib");
}

}  // namespace
}  // namespace agenthub::collector
