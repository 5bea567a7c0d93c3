// TraceStore: opening and batched writes. Retention is in
// trace_store_retention.cc, the queries in trace_store_read.cc.
#include "collector/store/trace_store.h"

#include <chrono>

#include "collector/store/block_format.h"
#include "collector/store/store_schema.h"

namespace agenthub::collector {
namespace {

using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::metrics::v1::Metric;
using opentelemetry::proto::resource::v1::Resource;

// Caches are dropped when they reach this many entries: a flood of distinct
// resources or span names costs inserts, never unbounded memory.
constexpr size_t kMaxCacheEntries = 10000;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ServiceName(const Resource& resource) {
  for (const auto& kv : resource.attributes()) {
    if (kv.key() == "service.name" && kv.value().has_string_value() &&
        !kv.value().string_value().empty()) {
      return kv.value().string_value();
    }
  }
  // What the OpenTelemetry specification prescribes when it is missing.
  return "unknown_service";
}

int64_t CountPoints(const Metric& metric) {
  switch (metric.data_case()) {
    case Metric::kGauge:
      return metric.gauge().data_points_size();
    case Metric::kSum:
      return metric.sum().data_points_size();
    case Metric::kHistogram:
      return metric.histogram().data_points_size();
    case Metric::kExponentialHistogram:
      return metric.exponential_histogram().data_points_size();
    case Metric::kSummary:
      return metric.summary().data_points_size();
    case Metric::DATA_NOT_SET:
      break;
  }
  return 0;
}

int64_t QueryInt(SqliteDb& db, const char* sql, std::string* error) {
  SqliteStatement statement = db.Prepare(sql, error);
  if (!statement.valid() || !statement.Step()) return 0;
  return statement.ColumnInt(0);
}

}  // namespace

std::unique_ptr<TraceStore> TraceStore::Open(TraceStoreOptions options, std::string* error) {
  std::unique_ptr<TraceStore> store(new TraceStore(std::move(options)));
  std::string failure = store->Prepare();
  if (!failure.empty()) {
    if (error) *error = failure;
    return nullptr;
  }
  return store;
}

TraceStore::~TraceStore() = default;

std::string TraceStore::Prepare() {
  const bool memory = options_.path == ":memory:" || options_.path.empty();
  const std::string path = memory ? ":memory:" : options_.path;
  if (auto error = writer_.db.Open(path); !error.empty()) return error;
  if (auto error = writer_.db.Exec(schema::kPragmas); !error.empty()) {
    return path + ": " + error;  // e.g. "file is not a database"
  }
  std::string error;
  const int64_t version = QueryInt(writer_.db, "PRAGMA user_version", &error);
  if (!error.empty()) return path + ": " + error;
  if (version != 0 && version != schema::kVersion) {
    // No migration: version 1 kept a row per span, and converting millions
    // of rows at startup would hold the collector down for minutes for
    // telemetry that retention deletes within a day anyway.
    return path + ": trace store schema version " + std::to_string(version) +
           " is not supported (this build reads version " + std::to_string(schema::kVersion) +
           "); it was written by " + (version < schema::kVersion ? "an older" : "a newer") +
           " agenthub. Start the collector with another --db, or move " + path +
           " (and its -wal and -shm files) away to start an empty store";
  }
  if (auto e = writer_.db.Exec(schema::kCreate); !e.empty()) return path + ": " + e;
  if (auto e = writer_.db.Exec("PRAGMA user_version=" + std::to_string(schema::kVersion));
      !e.empty()) {
    return path + ": " + e;
  }
  if (!memory) {
    reader_ = std::make_unique<Connection>();
    if (auto e = reader_->db.Open(path); !e.empty()) return e;
    // The reader never writes; this also guards against a bug that would.
    if (auto e = reader_->db.Exec("PRAGMA query_only=ON"); !e.empty()) return e;
  }

  insert_block_ = writer_.db.Prepare(
      "INSERT INTO blocks(id, min_start_ns, max_start_ns, spans, first_chunk, last_chunk, "
      "operations, dictionary, headers) VALUES(?,?,?,?,?,?,?,?,?)",
      &error);
  insert_chunk_ = writer_.db.Prepare(
      "INSERT INTO chunks(id, trace_key, block_id, trace_id, records) VALUES(?,?,?,?,?)", &error);
  insert_log_ = writer_.db.Prepare(
      "INSERT INTO logs(trace_id, span_id, time_ns, service, resource_id, scope, "
      "scope_schema_url, record) VALUES(?,?,?,?,?,?,?,?)",
      &error);
  insert_metrics_ = writer_.db.Prepare(
      "INSERT INTO metrics(received_ns, service, points, data) VALUES(?,?,?,?)", &error);
  insert_resource_ = writer_.db.Prepare(
      "INSERT OR IGNORE INTO resources(service, schema_url, data) VALUES(?,?,?)", &error);
  find_resource_ =
      writer_.db.Prepare("SELECT id FROM resources WHERE data=? AND schema_url=?", &error);
  insert_operation_ = writer_.db.Prepare(
      "INSERT OR IGNORE INTO operations(service, name, kind) VALUES(?,?,?)", &error);
  find_operation_ =
      writer_.db.Prepare("SELECT id FROM operations WHERE service=? AND name=? AND kind=?", &error);
  if (!error.empty()) return error;

  span_count_ = QueryInt(writer_.db, "SELECT coalesce(sum(spans), 0) FROM blocks", &error);
  next_block_id_ = QueryInt(writer_.db, "SELECT coalesce(max(id), 0) + 1 FROM blocks", &error);
  next_chunk_id_ = QueryInt(writer_.db, "SELECT coalesce(max(id), 0) + 1 FROM chunks", &error);
  return error;
}

std::string TraceStore::Write(const StoreBatch& batch, StoreCounts* written) {
  std::lock_guard lock(writer_.mu);
  StoreCounts counts;
  int64_t deleted = 0;
  std::string error = WriteLocked(batch, &counts, &deleted);
  if (!error.empty()) {
    // The transaction rolled back, and with it any rows our caches name.
    resource_ids_.clear();
    operation_ids_.clear();
    return error;
  }
  span_count_ += counts.spans - deleted;
  if (written) *written = counts;
  return {};
}

std::string TraceStore::WriteLocked(const StoreBatch& batch, StoreCounts* counts,
                                    int64_t* deleted) {
  SqliteTransaction transaction(writer_.db);
  if (!transaction.begin_error().empty()) return transaction.begin_error();
  const int64_t now = NowNs();
  if (auto error = WriteSpans(batch.traces, &counts->spans); !error.empty()) return error;
  for (const auto* request : batch.logs) {
    if (auto error = WriteLogs(*request, now, &counts->logs); !error.empty()) return error;
  }
  for (const auto* request : batch.metrics) {
    if (auto error = WriteMetrics(*request, now, &counts->metric_points); !error.empty()) {
      return error;
    }
  }
  // In the same transaction: a crash never leaves more than max_spans.
  if (auto error = EnforceMaxSpans(span_count_ + counts->spans, deleted); !error.empty()) {
    return error;
  }
  return transaction.Commit();
}

std::string TraceStore::WriteSpans(const std::vector<const ExportTraceServiceRequest*>& requests,
                                   int64_t* count) {
  BlockBuilder builder;
  std::string error;
  std::string span_bytes;
  for (const auto* request : requests) {
    for (const auto& resource_spans : request->resource_spans()) {
      std::string service = ServiceName(resource_spans.resource());
      const uint32_t resource = builder.AddResource(resource_spans.resource().SerializeAsString(),
                                                    resource_spans.schema_url(), service);
      for (const auto& scope_spans : resource_spans.scope_spans()) {
        const uint32_t scope =
            builder.AddScope(scope_spans.scope().SerializeAsString(), scope_spans.schema_url());
        for (const auto& span : scope_spans.spans()) {
          const int64_t operation = OperationId(service, span.name(), span.kind(), &error);
          if (!error.empty()) return error;
          const auto start = static_cast<int64_t>(span.start_time_unix_nano());
          const auto end = static_cast<int64_t>(span.end_time_unix_nano());
          span_bytes.clear();
          span.AppendToString(&span_bytes);
          builder.AddSpan(span.trace_id(), static_cast<uint32_t>(operation), resource, scope, start,
                          end >= start ? end - start : 0, span_bytes);
        }
      }
    }
  }
  if (builder.spans() == 0) return {};
  *count += builder.spans();
  const EncodedBlock block = builder.Finish();
  return InsertBlock(next_block_id_++, block);
}

std::string TraceStore::InsertBlock(int64_t id, const EncodedBlock& block) {
  const int64_t first_chunk = next_chunk_id_;
  for (const auto& chunk : block.chunks) {
    SqliteStatement& c = insert_chunk_;
    c.BindInt(1, next_chunk_id_++);
    c.BindInt(2, block::TraceKey(chunk.trace_id));
    c.BindInt(3, id);
    c.BindBlob(4, chunk.trace_id);
    c.BindBlob(5, chunk.records);
    if (auto e = c.Run(); !e.empty()) return "insert chunk: " + e;
  }
  SqliteStatement& s = insert_block_;
  s.BindInt(1, id);
  s.BindInt(2, block.min_start_ns);
  s.BindInt(3, block.max_start_ns);
  s.BindInt(4, block.spans);
  s.BindInt(5, first_chunk);
  s.BindInt(6, next_chunk_id_ - 1);
  s.BindBlob(7, block.operations);
  s.BindBlob(8, block.dictionary);
  s.BindBlob(9, block.headers);
  if (auto e = s.Run(); !e.empty()) return "insert block: " + e;
  return {};
}

std::string TraceStore::WriteLogs(const ExportLogsServiceRequest& request, int64_t now_ns,
                                  int64_t* count) {
  std::string error;
  std::string scope_bytes;
  std::string record_bytes;
  for (const auto& resource_logs : request.resource_logs()) {
    const std::string service = ServiceName(resource_logs.resource());
    const int64_t resource_id =
        ResourceId(resource_logs.resource(), resource_logs.schema_url(), service, &error);
    if (!error.empty()) return error;
    for (const auto& scope_logs : resource_logs.scope_logs()) {
      scope_logs.scope().SerializeToString(&scope_bytes);
      for (const auto& record : scope_logs.log_records()) {
        auto time = static_cast<int64_t>(record.time_unix_nano());
        if (time <= 0) time = static_cast<int64_t>(record.observed_time_unix_nano());
        if (time <= 0) time = now_ns;
        record.SerializeToString(&record_bytes);
        SqliteStatement& s = insert_log_;
        s.BindBlob(1, record.trace_id());
        s.BindBlob(2, record.span_id());
        s.BindInt(3, time);
        s.BindText(4, service);
        s.BindInt(5, resource_id);
        s.BindBlob(6, scope_bytes);
        s.BindText(7, scope_logs.schema_url());
        s.BindBlob(8, record_bytes);
        if (auto e = s.Run(); !e.empty()) return "insert log: " + e;
        ++*count;
      }
    }
  }
  return {};
}

std::string TraceStore::WriteMetrics(const ExportMetricsServiceRequest& request, int64_t now_ns,
                                     int64_t* count) {
  std::string bytes;
  for (const auto& resource_metrics : request.resource_metrics()) {
    int64_t points = 0;
    for (const auto& scope_metrics : resource_metrics.scope_metrics()) {
      for (const auto& metric : scope_metrics.metrics()) points += CountPoints(metric);
    }
    resource_metrics.SerializeToString(&bytes);
    SqliteStatement& s = insert_metrics_;
    s.BindInt(1, now_ns);
    s.BindText(2, ServiceName(resource_metrics.resource()));
    s.BindInt(3, points);
    s.BindBlob(4, bytes);
    if (auto e = s.Run(); !e.empty()) return "insert metrics: " + e;
    *count += points;
  }
  return {};
}

int64_t TraceStore::ResourceId(const Resource& resource, const std::string& schema_url,
                               const std::string& service, std::string* error) {
  std::string data = resource.SerializeAsString();
  std::string key = data;
  key.push_back('\0');
  key += schema_url;
  if (auto it = resource_ids_.find(key); it != resource_ids_.end()) return it->second;
  insert_resource_.BindText(1, service);
  insert_resource_.BindText(2, schema_url);
  insert_resource_.BindBlob(3, data);
  if (auto e = insert_resource_.Run(); !e.empty()) {
    *error = "insert resource: " + e;
    return 0;
  }
  find_resource_.BindBlob(1, data);
  find_resource_.BindText(2, schema_url);
  int64_t id = 0;
  if (find_resource_.Step()) id = find_resource_.ColumnInt(0);
  if (!find_resource_.error().empty()) *error = "find resource: " + find_resource_.error();
  find_resource_.Reset();
  if (resource_ids_.size() >= kMaxCacheEntries) resource_ids_.clear();
  resource_ids_.emplace(std::move(key), id);
  return id;
}

int64_t TraceStore::OperationId(const std::string& service, const std::string& name, int kind,
                                std::string* error) {
  // Built in a kept buffer: this runs for every span, and a new string per
  // span was a malloc per span.
  std::string& key = operation_key_;
  key.assign(service);
  key.push_back('\0');
  key += name;
  key.push_back('\0');
  key += std::to_string(kind);
  if (auto it = operation_ids_.find(key); it != operation_ids_.end()) return it->second;
  insert_operation_.BindText(1, service);
  insert_operation_.BindText(2, name);
  insert_operation_.BindInt(3, kind);
  if (auto e = insert_operation_.Run(); !e.empty()) {
    *error = "insert operation: " + e;
    return 0;
  }
  find_operation_.BindText(1, service);
  find_operation_.BindText(2, name);
  find_operation_.BindInt(3, kind);
  int64_t id = 0;
  if (find_operation_.Step()) id = find_operation_.ColumnInt(0);
  if (!find_operation_.error().empty()) *error = "find operation: " + find_operation_.error();
  find_operation_.Reset();
  if (operation_ids_.size() >= kMaxCacheEntries) operation_ids_.clear();
  operation_ids_.emplace(key, id);
  return id;
}

int64_t TraceStore::span_count() const { return span_count_.load(); }

}  // namespace agenthub::collector
