// TraceStore: spans, log records and metric points in one SQLite database
// (WAL mode), written in batches by one writer and read concurrently by the
// query API.
//
// Writes take whole OTLP export requests, already validated by the
// receivers (ids of the right length, end not before start): the store does
// not check them again. A batch is one transaction, and its spans one block
// (store_schema.h explains the layout), so a crash or an error never leaves
// half of it behind.
//
// Reads go through their own connection, so a search never waits for an
// ingest transaction (WAL lets readers see the last commit). A ":memory:"
// database has one connection, shared under a lock.
//
// Thread-safe. Bounded: a search examines at most max_search_spans spans
// that meet its service, operation, time and duration conditions, and a
// trace returns at most max_trace_spans spans, whatever the client asks.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/store/block_builder.h"
#include "collector/store/sqlite_db.h"
#include "collector/store/stored_data.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace agenthub::collector {

struct TraceStoreOptions {
  std::string path = "./agenthub-traces.db";  // or ":memory:"
  // Data older than this (by span start, log time, metric arrival) is
  // deleted by ApplyRetention. Zero keeps everything.
  std::chrono::nanoseconds retention{std::chrono::hours(24)};
  // The most spans kept; ingest beyond it deletes the oldest arrivals. Zero:
  // no limit.
  int64_t max_spans = 0;
  size_t max_search_spans = 200000;
  size_t max_trace_spans = 100000;
  size_t max_trace_logs = 10000;
};

// One transaction's worth of requests; the pointers need only live for the
// Write call.
struct StoreBatch {
  std::vector<const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest*> traces;
  std::vector<const opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest*> logs;
  std::vector<const opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest*>
      metrics;
};

struct StoreCounts {
  int64_t spans = 0;
  int64_t logs = 0;
  int64_t metric_points = 0;
};

class TraceStore {
 public:
  // Opens or creates the database and its schema. Null with *error when the
  // file cannot be opened, is not a database, or has another schema version.
  static std::unique_ptr<TraceStore> Open(TraceStoreOptions options, std::string* error);
  ~TraceStore();
  TraceStore(const TraceStore&) = delete;
  TraceStore& operator=(const TraceStore&) = delete;

  // Stores everything in `batch` in one transaction, then enforces
  // max_spans. "" on success, else the error (and nothing was stored).
  std::string Write(const StoreBatch& batch, StoreCounts* written = nullptr);

  // Deletes what is older than the retention period at `now_ns` (Unix
  // nanoseconds) and what exceeds max_spans. Returns how much went.
  StoreCounts ApplyRetention(int64_t now_ns, std::string* error = nullptr);

  // Service names, sorted.
  std::vector<std::string> Services(std::string* error = nullptr);
  // Operations of `service`, sorted by name then kind.
  std::vector<StoredOperation> Operations(std::string_view service, std::string* error = nullptr);
  // Traces with a span matching `query`, most recent match first.
  std::vector<StoredTrace> FindTraces(const TraceQuery& query, std::string* error = nullptr);
  // Every span of a trace (16-byte id); no spans when it is unknown.
  StoredTrace GetTrace(std::string_view trace_id, std::string* error = nullptr);
  // Log records carrying the trace id, oldest first.
  std::vector<StoredLog> TraceLogs(std::string_view trace_id, std::string* error = nullptr);

  int64_t span_count() const;
  int64_t log_count();
  int64_t metric_point_count();
  const TraceStoreOptions& options() const { return options_; }

 private:
  // One SQLite connection and the lock that serializes its users.
  struct Connection {
    SqliteDb db;
    std::mutex mu;
  };
  // A block's dictionary, decoded: what its spans' records index into.
  struct BlockDictionary {
    std::vector<std::shared_ptr<const StoredResource>> resources;
    std::vector<StoredScope> scopes;
  };
  // A blocks row as retention and rewrites need it.
  struct BlockRow {
    int64_t id = 0;
    int64_t min_start_ns = 0;
    int64_t spans = 0;
    int64_t first_chunk = 0;
    int64_t last_chunk = 0;
  };

  explicit TraceStore(TraceStoreOptions options) : options_(std::move(options)) {}
  std::string Prepare();
  std::string WriteLocked(const StoreBatch& batch, StoreCounts* written, int64_t* deleted);
  std::string WriteSpans(
      const std::vector<
          const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest*>& requests,
      int64_t* count);
  std::string WriteLogs(
      const opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest& request,
      int64_t now_ns, int64_t* count);
  std::string WriteMetrics(
      const opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest& request,
      int64_t now_ns, int64_t* count);
  // Inserts an encoded block (as block `id`, with new chunk rows).
  std::string InsertBlock(int64_t id, const EncodedBlock& block);
  // The id of a resource row (of logs), inserting it when new.
  int64_t ResourceId(const opentelemetry::proto::resource::v1::Resource& resource,
                     const std::string& schema_url, const std::string& service, std::string* error);
  // The id of an operation row, inserting it when new.
  int64_t OperationId(const std::string& service, const std::string& name, int kind,
                      std::string* error);
  // Deletes the oldest arrivals while more than max_spans of `total` are
  // left; adds how many to *deleted.
  std::string EnforceMaxSpans(int64_t total, int64_t* deleted);
  // Deletes a block and its chunks.
  std::string DeleteBlock(const BlockRow& block);
  // Rewrites a block without its spans that start before `cutoff_ns` and
  // without its `earliest` first arrivals; deletes it when none are left.
  // Adds how many went to *dropped.
  std::string RewriteBlock(const BlockRow& block, int64_t cutoff_ns, int64_t earliest,
                           int64_t* dropped);
  std::string DeleteOrphans();

  Connection& reader() { return reader_ ? *reader_ : writer_; }
  // Logs' resources by row id, cached since every read needs them.
  std::shared_ptr<const StoredResource> LoadResource(SqliteDb& db, int64_t id);
  // Blocks' dictionaries by block id, cached likewise (a block's
  // dictionary never changes). Null when the block is gone.
  std::shared_ptr<const BlockDictionary> LoadDictionary(SqliteDb& db, int64_t block_id);
  // The spans of a trace's chunks, in start order.
  StoredTrace ReadTrace(SqliteDb& db, std::string_view trace_id, std::string* error);

  const TraceStoreOptions options_;
  Connection writer_;
  std::unique_ptr<Connection> reader_;  // null for ":memory:"
  // Prepared once; used under writer_.mu.
  SqliteStatement insert_block_;
  SqliteStatement insert_chunk_;
  SqliteStatement insert_log_;
  SqliteStatement insert_metrics_;
  SqliteStatement insert_resource_;
  SqliteStatement find_resource_;
  SqliteStatement insert_operation_;
  SqliteStatement find_operation_;
  // Known resource rows (encoded resource + '\0' + schema URL -> id) and
  // operations (service '\0' name '\0' kind -> id), so the common case
  // inserts neither. Bounded: cleared when full. Guarded by writer_.mu.
  std::unordered_map<std::string, int64_t> resource_ids_;
  std::unordered_map<std::string, int64_t> operation_ids_;
  std::string operation_key_;  // OperationId's scratch buffer
  // The next block and chunk row ids: numbered here, so that an id is never
  // reused while this process runs. Guarded by writer_.mu.
  int64_t next_block_id_ = 1;
  int64_t next_chunk_id_ = 1;
  // Guarded by resources_mu_ (readers on any connection use them).
  std::mutex resources_mu_;
  std::unordered_map<int64_t, std::shared_ptr<const StoredResource>> resources_;
  std::unordered_map<int64_t, std::shared_ptr<const BlockDictionary>> dictionaries_;
  std::atomic<int64_t> span_count_{0};
  // Spans were deleted by max_spans since the last orphan sweep. Guarded by
  // writer_.mu.
  bool orphans_pending_ = false;
};

}  // namespace agenthub::collector
