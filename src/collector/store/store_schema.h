// The trace store's SQLite schema: the one truth the writer and the readers
// share (like LevelDB's log_format.h).
//
// A row per span holds the span exactly as received (its OTLP encoding, so
// every field and any field added later survives), next to the columns the
// searches need. Resources are stored once and referenced, since every span
// of a process carries the same one. operations is the list behind
// /api/services and /api/services/{s}/operations, kept small so that those
// never scan spans.
//
// Indexes follow the queries: a trace by id; a service's spans by start time
// (with or without operation); start time alone for retention by age. Each
// index costs every insert, and one keyed by a random value (trace id,
// duration) dirties a page per span: there is none for duration, whose
// bounds are checked while walking a service's spans by start time.
#pragma once

namespace agenthub::collector::schema {

// Bumped whenever the tables change incompatibly; a database with another
// version is refused rather than misread.
inline constexpr int kVersion = 1;

inline constexpr const char* kPragmas =
    "PRAGMA journal_mode=WAL;"
    // WAL with NORMAL is durable against process crashes; a power cut may
    // lose the last transactions, never corrupt the file. Traces are
    // telemetry: that is the right trade for ingest speed.
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA temp_store=MEMORY;"
    // Index pages stay in memory between transactions instead of being read
    // back from the file for every insert (the default cache is 2 MB; the
    // trace-id index of 1M spans alone is ~40 MB).
    "PRAGMA cache_size=-65536;"
    // Checkpoint every ~400 MB of WAL rather than every 4 MB: an index page
    // changed by many transactions is copied back (and synced) once, not
    // once per transaction. After a checkpoint the WAL file is cut back to
    // 64 MB.
    "PRAGMA wal_autocheckpoint=100000;"
    "PRAGMA journal_size_limit=67108864;"
    "PRAGMA foreign_keys=OFF;";

inline constexpr const char* kCreate = R"sql(
CREATE TABLE IF NOT EXISTS resources(
  -- AUTOINCREMENT: a deleted resource's id is never reused, so an id cached
  -- by a reader can never come to mean another resource.
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service TEXT NOT NULL,
  schema_url TEXT NOT NULL,
  data BLOB NOT NULL,               -- opentelemetry.proto.resource.v1.Resource
  UNIQUE(data, schema_url));

CREATE TABLE IF NOT EXISTS spans(
  id INTEGER PRIMARY KEY,           -- arrival order: --max-spans drops the lowest
  trace_id BLOB NOT NULL,           -- 16 bytes
  span_id BLOB NOT NULL,            -- 8 bytes
  parent_span_id BLOB NOT NULL,     -- 8 bytes, or empty for a root span
  service TEXT NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  start_ns INTEGER NOT NULL,
  duration_ns INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  resource_id INTEGER NOT NULL,
  scope BLOB NOT NULL,              -- opentelemetry.proto.common.v1.InstrumentationScope
  scope_schema_url TEXT NOT NULL,
  span BLOB NOT NULL);              -- opentelemetry.proto.trace.v1.Span
-- A trace's spans by the first 8 bytes of its id (random, so as selective
-- as the whole id): every insert lands on a random page of this index, and
-- half the key means fewer pages to dirty. Readers match the full id too.
DROP INDEX IF EXISTS spans_trace;
CREATE INDEX IF NOT EXISTS spans_trace_prefix ON spans(substr(trace_id, 1, 8));
CREATE INDEX IF NOT EXISTS spans_service_start ON spans(service, start_ns);
CREATE INDEX IF NOT EXISTS spans_service_name_start ON spans(service, name, start_ns);
-- Earlier databases had it; it cost a third of ingest.
DROP INDEX IF EXISTS spans_service_duration;
CREATE INDEX IF NOT EXISTS spans_start ON spans(start_ns);

CREATE TABLE IF NOT EXISTS operations(
  service TEXT NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  PRIMARY KEY(service, name, kind)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS logs(
  id INTEGER PRIMARY KEY,
  trace_id BLOB NOT NULL,           -- 16 bytes, or empty
  span_id BLOB NOT NULL,            -- 8 bytes, or empty
  time_ns INTEGER NOT NULL,         -- time, else observed time, else arrival
  service TEXT NOT NULL,
  resource_id INTEGER NOT NULL,
  scope BLOB NOT NULL,
  scope_schema_url TEXT NOT NULL,
  record BLOB NOT NULL);            -- opentelemetry.proto.logs.v1.LogRecord
CREATE INDEX IF NOT EXISTS logs_trace_span ON logs(trace_id, span_id);
CREATE INDEX IF NOT EXISTS logs_time ON logs(time_ns);

CREATE TABLE IF NOT EXISTS metrics(
  id INTEGER PRIMARY KEY,
  received_ns INTEGER NOT NULL,
  service TEXT NOT NULL,
  points INTEGER NOT NULL,          -- data points in `data`
  data BLOB NOT NULL);              -- opentelemetry.proto.metrics.v1.ResourceMetrics
CREATE INDEX IF NOT EXISTS metrics_received ON metrics(received_ns);
)sql";

}  // namespace agenthub::collector::schema
