// TraceStore: opening, batched writes and retention. The queries are in
// trace_store_read.cc.
#include "collector/store/trace_store.h"

#include <chrono>

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

// Orphaned resource rows are looked for (a full scan) only once there are
// this many, since a real deployment has a handful of processes.
constexpr int64_t kOrphanScanThreshold = 1000;

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
    return path + ": trace store schema version " + std::to_string(version) +
           " is not supported (this build reads version " + std::to_string(schema::kVersion) + ")";
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

  insert_span_ = writer_.db.Prepare(
      "INSERT INTO spans(trace_id, span_id, parent_span_id, service, name, kind, start_ns, "
      "duration_ns, status_code, resource_id, scope, scope_schema_url, span) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
      &error);
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
  if (!error.empty()) return error;

  span_count_ = QueryInt(writer_.db, "SELECT count(*) FROM spans", &error);
  return error;
}

std::string TraceStore::Write(const StoreBatch& batch, StoreCounts* written) {
  std::lock_guard lock(writer_.mu);
  StoreCounts counts;
  std::string error = WriteLocked(batch, &counts);
  if (!error.empty()) {
    // The transaction rolled back, and with it any rows our caches name.
    resource_ids_.clear();
    known_operations_.clear();
    return error;
  }
  span_count_ += counts.spans;
  int64_t deleted = 0;
  error = EnforceMaxSpans(&deleted);
  if (written) *written = counts;
  return error;
}

std::string TraceStore::WriteLocked(const StoreBatch& batch, StoreCounts* counts) {
  SqliteTransaction transaction(writer_.db);
  if (!transaction.begin_error().empty()) return transaction.begin_error();
  const int64_t now = NowNs();
  for (const auto* request : batch.traces) {
    if (auto error = WriteSpans(*request, &counts->spans); !error.empty()) return error;
  }
  for (const auto* request : batch.logs) {
    if (auto error = WriteLogs(*request, now, &counts->logs); !error.empty()) return error;
  }
  for (const auto* request : batch.metrics) {
    if (auto error = WriteMetrics(*request, now, &counts->metric_points); !error.empty()) {
      return error;
    }
  }
  return transaction.Commit();
}

std::string TraceStore::WriteSpans(const ExportTraceServiceRequest& request, int64_t* count) {
  std::string error;
  std::string scope_bytes;
  std::string span_bytes;
  for (const auto& resource_spans : request.resource_spans()) {
    const std::string service = ServiceName(resource_spans.resource());
    const int64_t resource_id =
        ResourceId(resource_spans.resource(), resource_spans.schema_url(), service, &error);
    if (!error.empty()) return error;
    for (const auto& scope_spans : resource_spans.scope_spans()) {
      scope_spans.scope().SerializeToString(&scope_bytes);
      for (const auto& span : scope_spans.spans()) {
        if (auto e = NoteOperation(service, span.name(), span.kind()); !e.empty()) return e;
        const auto start = static_cast<int64_t>(span.start_time_unix_nano());
        const auto end = static_cast<int64_t>(span.end_time_unix_nano());
        span.SerializeToString(&span_bytes);
        SqliteStatement& s = insert_span_;
        s.BindBlob(1, span.trace_id());
        s.BindBlob(2, span.span_id());
        s.BindBlob(3, span.parent_span_id());
        s.BindText(4, service);
        s.BindText(5, span.name());
        s.BindInt(6, span.kind());
        s.BindInt(7, start);
        s.BindInt(8, end >= start ? end - start : 0);
        s.BindInt(9, span.status().code());
        s.BindInt(10, resource_id);
        s.BindBlob(11, scope_bytes);
        s.BindText(12, scope_spans.schema_url());
        s.BindBlob(13, span_bytes);
        if (auto e = s.Run(); !e.empty()) return "insert span: " + e;
        ++*count;
      }
    }
  }
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

std::string TraceStore::NoteOperation(const std::string& service, const std::string& name,
                                      int kind) {
  std::string key = service;
  key.push_back('\0');
  key += name;
  key.push_back('\0');
  key += std::to_string(kind);
  if (known_operations_.count(key)) return {};
  insert_operation_.BindText(1, service);
  insert_operation_.BindText(2, name);
  insert_operation_.BindInt(3, kind);
  if (auto e = insert_operation_.Run(); !e.empty()) return "insert operation: " + e;
  if (known_operations_.size() >= kMaxCacheEntries) known_operations_.clear();
  known_operations_.emplace(std::move(key), true);
  return {};
}

std::string TraceStore::EnforceMaxSpans(int64_t* deleted) {
  const int64_t excess = span_count_ - options_.max_spans;
  if (options_.max_spans <= 0 || excess <= 0) return {};
  std::string error;
  SqliteStatement s = writer_.db.Prepare(
      "DELETE FROM spans WHERE id <= (SELECT id FROM spans ORDER BY id LIMIT 1 OFFSET ?)", &error);
  if (!s.valid()) return error;
  s.BindInt(1, excess - 1);
  if (auto e = s.Run(); !e.empty()) return "max spans: " + e;
  *deleted = writer_.db.changes();
  span_count_ -= *deleted;
  orphans_pending_ = orphans_pending_ || *deleted > 0;
  return {};
}

StoreCounts TraceStore::ApplyRetention(int64_t now_ns, std::string* error) {
  std::lock_guard lock(writer_.mu);
  StoreCounts deleted;
  std::string failure;
  auto run = [&](const char* sql, int64_t cutoff, int64_t* counter) {
    if (!failure.empty()) return;
    SqliteStatement s = writer_.db.Prepare(sql, &failure);
    if (!s.valid()) return;
    s.BindInt(1, cutoff);
    failure = s.Run();
    if (failure.empty()) *counter += writer_.db.changes();
  };
  if (options_.retention.count() > 0) {
    const int64_t cutoff = now_ns - options_.retention.count();
    int64_t metric_rows = 0;
    run("DELETE FROM spans WHERE start_ns < ?", cutoff, &deleted.spans);
    run("DELETE FROM logs WHERE time_ns < ?", cutoff, &deleted.logs);
    run("DELETE FROM metrics WHERE received_ns < ?", cutoff, &metric_rows);
    span_count_ -= deleted.spans;
  }
  if (failure.empty()) {
    int64_t over = 0;
    failure = EnforceMaxSpans(&over);
    deleted.spans += over;
  }
  if (failure.empty() && (deleted.spans > 0 || deleted.logs > 0 || orphans_pending_)) {
    failure = DeleteOrphans();
    if (failure.empty()) orphans_pending_ = false;
  }
  if (error) *error = failure;
  return deleted;
}

std::string TraceStore::DeleteOrphans() {
  // Operations with no span left disappear from /api/services.
  if (auto e =
          writer_.db.Exec("DELETE FROM operations WHERE NOT EXISTS (SELECT 1 FROM spans WHERE "
                          "spans.service = operations.service AND spans.name = operations.name AND "
                          "spans.kind = operations.kind)");
      !e.empty()) {
    return "retention: " + e;
  }
  known_operations_.clear();
  std::string error;
  if (QueryInt(writer_.db, "SELECT count(*) FROM resources", &error) < kOrphanScanThreshold) {
    return error;
  }
  if (auto e = writer_.db.Exec(
          "DELETE FROM resources WHERE id NOT IN (SELECT resource_id FROM spans) AND "
          "id NOT IN (SELECT resource_id FROM logs)");
      !e.empty()) {
    return "retention: " + e;
  }
  resource_ids_.clear();
  return {};
}

int64_t TraceStore::span_count() const { return span_count_.load(); }

}  // namespace agenthub::collector
