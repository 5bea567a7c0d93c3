// TraceStore: the queries behind the Jaeger-compatible API, but for the
// search (trace_store_search.cc).
#include <algorithm>
#include <tuple>

#include "collector/store/block_format.h"

#include "collector/store/trace_store.h"

namespace agenthub::collector {
namespace {

// Cached resources and dictionaries are dropped when this many are held.
constexpr size_t kMaxCachedResources = 10000;
constexpr size_t kMaxCachedDictionaries = 4096;

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

std::shared_ptr<const TraceStore::BlockDictionary> TraceStore::LoadDictionary(SqliteDb& db,
                                                                              int64_t block_id) {
  {
    std::lock_guard lock(resources_mu_);
    if (auto it = dictionaries_.find(block_id); it != dictionaries_.end()) return it->second;
  }
  std::string error;
  SqliteStatement s = db.Prepare("SELECT dictionary FROM blocks WHERE id=?", &error);
  if (!s.valid()) return nullptr;
  s.BindInt(1, block_id);
  // Gone (retention racing a query): the caller shows what it has.
  if (!s.Step()) return nullptr;
  block::Dictionary encoded;
  auto dictionary = std::make_shared<BlockDictionary>();
  if (block::DecodeDictionary(s.ColumnBlob(0), &encoded)) {
    for (auto& r : encoded.resources) {
      auto resource = std::make_shared<StoredResource>();
      resource->resource.ParseFromString(r.data);
      resource->schema_url = std::move(r.schema_url);
      resource->service = std::move(r.service);
      dictionary->resources.push_back(std::move(resource));
    }
    for (const auto& sc : encoded.scopes) {
      StoredScope scope;
      ParseScope(sc.data, sc.schema_url, &scope);
      dictionary->scopes.push_back(std::move(scope));
    }
  }
  std::lock_guard lock(resources_mu_);
  if (dictionaries_.size() >= kMaxCachedDictionaries) dictionaries_.clear();
  dictionaries_.emplace(block_id, dictionary);
  return dictionary;
}

StoredTrace TraceStore::ReadTrace(SqliteDb& db, std::string_view trace_id, std::string* error) {
  StoredTrace trace;
  trace.trace_id = std::string(trace_id);
  SqliteStatement s = db.Prepare(
      "SELECT block_id, trace_id, records FROM chunks WHERE trace_key=? ORDER BY id", error);
  if (!s.valid()) return trace;
  s.BindInt(1, block::TraceKey(trace_id));
  // (start, block, arrival) of each span, to order them as they happened.
  struct Key {
    int64_t start;
    int64_t block;
    uint32_t seq;
  };
  std::vector<Key> keys;
  while (trace.spans.size() < options_.max_trace_spans && s.Step()) {
    if (s.ColumnBlob(1) != trace_id) continue;  // another trace with the same key
    const int64_t block_id = s.ColumnInt(0);
    const auto dictionary = LoadDictionary(db, block_id);
    std::string_view records = s.ColumnBlob(2);
    block::Record record;
    while (trace.spans.size() < options_.max_trace_spans && !records.empty() &&
           block::NextRecord(&records, &record)) {
      StoredSpan stored;
      if (!stored.span.ParseFromArray(record.span.data(), static_cast<int>(record.span.size()))) {
        continue;
      }
      if (dictionary && record.resource < dictionary->resources.size()) {
        stored.resource = dictionary->resources[record.resource];
      }
      if (dictionary && record.scope < dictionary->scopes.size()) {
        stored.scope = dictionary->scopes[record.scope];
      }
      keys.push_back(
          {static_cast<int64_t>(stored.span.start_time_unix_nano()), block_id, record.seq});
      trace.spans.push_back(std::move(stored));
    }
  }
  if (!s.error().empty()) *error = s.error();
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(keys[a].start, keys[a].block, keys[a].seq) <
           std::tie(keys[b].start, keys[b].block, keys[b].seq);
  });
  std::vector<StoredSpan> sorted;
  sorted.reserve(order.size());
  for (const size_t i : order) sorted.push_back(std::move(trace.spans[i]));
  trace.spans = std::move(sorted);
  return trace;
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
  std::string failure;
  StoredTrace trace = ReadTrace(c.db, trace_id, &failure);
  if (error) *error = failure;
  return trace;
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
