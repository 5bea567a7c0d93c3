// TraceStore: the queries behind the Jaeger-compatible API.
#include <algorithm>
#include <unordered_set>

#include "collector/store/span_tags.h"
#include "collector/store/trace_store.h"

namespace agenthub::collector {
namespace {

// Cached resources are dropped when this many are held.
constexpr size_t kMaxCachedResources = 10000;

// Hard ceilings on what one request can ask for, whatever the options say.
constexpr size_t kMaxTracesPerSearch = 1500;

bool ParseScope(std::string_view bytes, std::string_view schema_url, StoredScope* scope) {
  scope->schema_url = std::string(schema_url);
  return scope->scope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

}  // namespace

std::shared_ptr<const StoredResource> TraceStore::LoadResource(SqliteDb& db, int64_t id) {
  {
    std::lock_guard lock(resources_mu_);
    if (auto it = resources_.find(id); it != resources_.end()) return it->second;
  }
  auto resource = std::make_shared<StoredResource>();
  std::string error;
  SqliteStatement s =
      db.Prepare("SELECT service, schema_url, data FROM resources WHERE id=?", &error);
  if (s.valid()) {
    s.BindInt(1, id);
    if (s.Step()) {
      resource->service = std::string(s.ColumnText(0));
      resource->schema_url = std::string(s.ColumnText(1));
      const auto data = s.ColumnBlob(2);
      resource->resource.ParseFromArray(data.data(), static_cast<int>(data.size()));
    }
  }
  if (resource->service.empty()) {
    // Deleted since the span was read (retention racing a query): show the
    // span without a resource rather than failing the query, and do not
    // cache the placeholder.
    resource->service = "unknown_service";
    return resource;
  }
  std::lock_guard lock(resources_mu_);
  if (resources_.size() >= kMaxCachedResources) resources_.clear();
  resources_.emplace(id, resource);
  return resource;
}

// Rows of (span, resource_id, scope, scope_schema_url).
std::vector<StoredSpan> TraceStore::ReadSpans(SqliteStatement& s, size_t limit,
                                              std::string* error) {
  std::vector<StoredSpan> spans;
  while (spans.size() < limit && s.Step()) {
    StoredSpan stored;
    const auto bytes = s.ColumnBlob(0);
    if (!stored.span.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) continue;
    stored.resource = LoadResource(reader().db, s.ColumnInt(1));
    ParseScope(s.ColumnBlob(2), s.ColumnText(3), &stored.scope);
    spans.push_back(std::move(stored));
  }
  if (error && !s.error().empty()) *error = s.error();
  return spans;
}

std::vector<std::string> TraceStore::Services(std::string* error) {
  Connection& c = reader();
  std::lock_guard lock(c.mu);
  std::vector<std::string> out;
  std::string failure;
  SqliteStatement s =
      c.db.Prepare("SELECT DISTINCT service FROM operations ORDER BY service", &failure);
  while (s.valid() && s.Step()) out.emplace_back(s.ColumnText(0));
  if (error) *error = failure.empty() ? s.error() : failure;
  return out;
}

std::vector<StoredOperation> TraceStore::Operations(std::string_view service, std::string* error) {
  Connection& c = reader();
  std::lock_guard lock(c.mu);
  std::vector<StoredOperation> out;
  std::string failure;
  SqliteStatement s = c.db.Prepare(
      "SELECT name, kind FROM operations WHERE service=? ORDER BY name, kind", &failure);
  if (s.valid()) {
    s.BindText(1, service);
    while (s.Step()) {
      out.push_back({std::string(s.ColumnText(0)),
                     static_cast<opentelemetry::proto::trace::v1::Span::SpanKind>(s.ColumnInt(1))});
    }
  }
  if (error) *error = failure.empty() ? s.error() : failure;
  return out;
}

StoredTrace TraceStore::GetTrace(std::string_view trace_id, std::string* error) {
  Connection& c = reader();
  std::lock_guard lock(c.mu);
  StoredTrace trace;
  trace.trace_id = std::string(trace_id);
  std::string failure;
  SqliteStatement s = c.db.Prepare(
      "SELECT span, resource_id, scope, scope_schema_url FROM spans "
      "WHERE substr(trace_id, 1, 8)=substr(?1, 1, 8) AND trace_id=?1 "
      "ORDER BY start_ns, id LIMIT ?2",
      &failure);
  if (s.valid()) {
    s.BindBlob(1, trace_id);
    s.BindInt(2, static_cast<int64_t>(options_.max_trace_spans));
    trace.spans = ReadSpans(s, options_.max_trace_spans, &failure);
  }
  if (error) *error = failure;
  return trace;
}

std::vector<StoredTrace> TraceStore::FindTraces(const TraceQuery& query, std::string* error) {
  const size_t limit = std::min(std::max<size_t>(query.limit, 1), kMaxTracesPerSearch);
  std::vector<std::string> trace_ids;
  std::string failure;
  {
    Connection& c = reader();
    std::lock_guard lock(c.mu);
    // Only the conditions given become SQL, so SQLite can pick the index
    // that fits (service+name+start, service+start); duration bounds are
    // checked on the way.
    std::string sql =
        "SELECT trace_id, span, resource_id, scope, scope_schema_url FROM spans WHERE 1";
    if (!query.service.empty()) sql += " AND service=?1";
    if (!query.operation.empty()) sql += " AND name=?2";
    if (query.start_min_ns) sql += " AND start_ns>=?3";
    if (query.start_max_ns) sql += " AND start_ns<=?4";
    if (query.min_duration_ns) sql += " AND duration_ns>=?5";
    if (query.max_duration_ns) sql += " AND duration_ns<=?6";
    sql += " ORDER BY start_ns DESC LIMIT ?7";
    SqliteStatement s = c.db.Prepare(sql, &failure);
    if (!s.valid()) {
      if (error) *error = failure;
      return {};
    }
    if (!query.service.empty()) s.BindText(1, query.service);
    if (!query.operation.empty()) s.BindText(2, query.operation);
    if (query.start_min_ns) s.BindInt(3, *query.start_min_ns);
    if (query.start_max_ns) s.BindInt(4, *query.start_max_ns);
    if (query.min_duration_ns) s.BindInt(5, *query.min_duration_ns);
    if (query.max_duration_ns) s.BindInt(6, *query.max_duration_ns);
    s.BindInt(7, static_cast<int64_t>(options_.max_search_spans));

    std::unordered_set<std::string> seen;
    while (trace_ids.size() < limit && s.Step()) {
      std::string trace_id(s.ColumnBlob(0));
      if (seen.count(trace_id)) continue;
      if (!query.tags.empty()) {
        StoredSpan stored;
        const auto bytes = s.ColumnBlob(1);
        if (!stored.span.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) continue;
        stored.resource = LoadResource(c.db, s.ColumnInt(2));
        ParseScope(s.ColumnBlob(3), s.ColumnText(4), &stored.scope);
        const bool all = std::all_of(query.tags.begin(), query.tags.end(), [&](const auto& tag) {
          return SpanHasTag(stored, tag.first, tag.second);
        });
        if (!all) continue;
      }
      seen.insert(trace_id);
      trace_ids.push_back(std::move(trace_id));
    }
    failure = s.error();
  }
  std::vector<StoredTrace> traces;
  for (const auto& id : trace_ids) {
    StoredTrace trace = GetTrace(id, &failure);
    if (!failure.empty()) break;
    if (!trace.spans.empty()) traces.push_back(std::move(trace));
  }
  if (error) *error = failure;
  return traces;
}

std::vector<StoredLog> TraceStore::TraceLogs(std::string_view trace_id, std::string* error) {
  Connection& c = reader();
  std::lock_guard lock(c.mu);
  std::vector<StoredLog> logs;
  std::string failure;
  SqliteStatement s = c.db.Prepare(
      "SELECT record, resource_id, scope, scope_schema_url FROM logs WHERE trace_id=? "
      "ORDER BY time_ns, id LIMIT ?",
      &failure);
  if (s.valid()) {
    s.BindBlob(1, trace_id);
    s.BindInt(2, static_cast<int64_t>(options_.max_trace_logs));
    while (s.Step()) {
      StoredLog stored;
      const auto bytes = s.ColumnBlob(0);
      if (!stored.record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) continue;
      stored.resource = LoadResource(c.db, s.ColumnInt(1));
      ParseScope(s.ColumnBlob(2), s.ColumnText(3), &stored.scope);
      logs.push_back(std::move(stored));
    }
    failure = s.error();
  }
  if (error) *error = failure;
  return logs;
}

int64_t TraceStore::log_count() {
  Connection& c = reader();
  std::lock_guard lock(c.mu);
  std::string error;
  SqliteStatement s = c.db.Prepare("SELECT count(*) FROM logs", &error);
  return s.valid() && s.Step() ? s.ColumnInt(0) : 0;
}

int64_t TraceStore::metric_point_count() {
  Connection& c = reader();
  std::lock_guard lock(c.mu);
  std::string error;
  SqliteStatement s = c.db.Prepare("SELECT coalesce(sum(points), 0) FROM metrics", &error);
  return s.valid() && s.Step() ? s.ColumnInt(0) : 0;
}

}  // namespace agenthub::collector
