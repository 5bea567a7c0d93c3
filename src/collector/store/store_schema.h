// The trace store's SQLite schema: the one truth the writer and the readers
// share (like LevelDB's log_format.h).
//
// Spans are stored append-only in blocks, the way Grafana Tempo stores
// traces, because a row per span with per-span indexes cannot reach the
// collector's ingest target: every index insert lands on a random B-tree
// page (measured on the 2-core machine: 24-29k spans/s with the search indexes,
// 72k with the trace-id index alone, 184k appending without indexes).
//
// A block is what one write transaction (one ingest batch, up to
// IngestQueueOptions::max_batch_items spans) stores: a blocks row with the
// block's time range, its operations, a dictionary of the resources and
// scopes its spans came with, and per span a small header (operation id,
// start, duration); and a chunks row per trace in the block, holding that
// trace's spans exactly as received (their OTLP encoding, so every field,
// and any field added later, survives). The only index written per batch
// is chunks_trace, one entry per trace rather than per span.
//
// Queries follow the layout:
//   trace by id   chunks_trace -> the trace's chunks (one per block it
//                 arrived in), nothing else read;
//   search        blocks newest first (by max_start_ns, within the time
//                 range), filtering headers by operation id, start and
//                 duration; span bytes are read only for tag conditions.
//                 Merging by start across blocks keeps Jaeger's order:
//                 most recent matching span first;
//   services      operations, kept small so /api/services never scans.
// Retention deletes whole blocks (a rowid range of chunks); a block only
// partly expired, or partly over --max-spans, is rewritten without those
// spans. Log records and metric points keep a row each: they are few.
#pragma once

namespace agenthub::collector::schema {

// Bumped whenever the tables change incompatibly; a database with another
// version is refused rather than misread. 1: a row per span (until
// 2026-11); 2: span blocks.
inline constexpr int kVersion = 2;

inline constexpr const char* kPragmas =
    // Blocks are large blobs: 16 KB pages write them to the WAL in a
    // quarter of the system calls of the default 4 KB (BM_StoreWrite/16:
    // 160k -> 210-225k spans/s; 64 KB gave 263-306k). Not larger, because
    // chunks_trace takes random inserts: once it outgrows the batch, each
    // insert dirties a page of its own, so a transaction of ~1,200 traces
    // would write 19 MB of index pages at 16 KB, 77 MB at 64 KB. Only
    // takes effect when the file is created (before WAL mode is set).
    "PRAGMA page_size=16384;"
    "PRAGMA journal_mode=WAL;"
    // WAL with NORMAL is durable against process crashes; a power cut may
    // lose the last transactions, never corrupt the file. Traces are
    // telemetry: that is the right trade for ingest speed.
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA temp_store=MEMORY;"
    // Index pages stay in memory between transactions instead of being read
    // back from the file for every insert, and searches find recent block
    // headers there (the default cache is 2 MB; with 1M spans stored the
    // chunk index is 2.5 MB and the blocks 15 MB, the chunks 447 MB).
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
  -- Of log records. AUTOINCREMENT: a deleted resource's id is never
  -- reused, so an id cached by a reader can never come to mean another.
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service TEXT NOT NULL,
  schema_url TEXT NOT NULL,
  data BLOB NOT NULL,               -- opentelemetry.proto.resource.v1.Resource
  UNIQUE(data, schema_url));

-- One row per write transaction (block_format.h has the byte layouts).
-- Ids grow with arrival and are never reused within a process (the store
-- numbers them), so readers may cache a block's dictionary by id.
CREATE TABLE IF NOT EXISTS blocks(
  id INTEGER PRIMARY KEY,           -- arrival order: --max-spans drops the lowest
  min_start_ns INTEGER NOT NULL,
  max_start_ns INTEGER NOT NULL,
  spans INTEGER NOT NULL,
  first_chunk INTEGER NOT NULL,     -- its chunks are rows first_chunk..last_chunk
  last_chunk INTEGER NOT NULL,
  operations BLOB NOT NULL,         -- distinct operations.id of its spans
  dictionary BLOB NOT NULL,         -- resources and scopes
  headers BLOB NOT NULL);           -- per span: operation, start, duration
CREATE INDEX IF NOT EXISTS blocks_max_start ON blocks(max_start_ns);

-- A trace's spans within one block, found by the first 8 bytes of the
-- trace id (trace_key). The only index written per trace, not per span.
CREATE TABLE IF NOT EXISTS chunks(
  id INTEGER PRIMARY KEY,
  trace_key INTEGER NOT NULL,
  block_id INTEGER NOT NULL,
  trace_id BLOB NOT NULL,           -- 16 bytes
  records BLOB NOT NULL);           -- the spans, each as received
CREATE INDEX IF NOT EXISTS chunks_trace ON chunks(trace_key);

CREATE TABLE IF NOT EXISTS operations(
  id INTEGER PRIMARY KEY,
  service TEXT NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  UNIQUE(service, name, kind));

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
