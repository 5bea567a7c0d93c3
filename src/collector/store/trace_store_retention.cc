// TraceStore: retention by age (--retention) and by count (--max-spans).
//
// Whole blocks go when all their spans do: a block row and a rowid range of
// chunks, no index walk per span. A block that is only partly expired (or
// holds the cut of --max-spans) is rewritten without those spans, keeping
// its id (its place in arrival order) and its dictionary.
#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "collector/store/block_format.h"
#include "collector/store/trace_store.h"

namespace agenthub::collector {
namespace {

// Orphaned resource rows (of logs) are looked for (a full scan) only once
// there are this many, since a real deployment has a handful of processes.
constexpr int64_t kOrphanScanThreshold = 1000;

constexpr const char* kBlockColumns = "id, min_start_ns, spans, first_chunk, last_chunk";

int64_t QueryInt(SqliteDb& db, const char* sql, std::string* error) {
  SqliteStatement statement = db.Prepare(sql, error);
  if (!statement.valid() || !statement.Step()) return 0;
  return statement.ColumnInt(0);
}

}  // namespace

std::string TraceStore::DeleteBlock(const BlockRow& block) {
  std::string error;
  SqliteStatement chunks =
      writer_.db.Prepare("DELETE FROM chunks WHERE id BETWEEN ? AND ?", &error);
  SqliteStatement row = writer_.db.Prepare("DELETE FROM blocks WHERE id=?", &error);
  if (!error.empty()) return error;
  chunks.BindInt(1, block.first_chunk);
  chunks.BindInt(2, block.last_chunk);
  if (auto e = chunks.Run(); !e.empty()) return "delete chunks: " + e;
  row.BindInt(1, block.id);
  if (auto e = row.Run(); !e.empty()) return "delete block: " + e;
  return {};
}

std::string TraceStore::RewriteBlock(const BlockRow& block, int64_t cutoff_ns, int64_t earliest,
                                     int64_t* dropped) {
  std::string error;
  SqliteStatement row =
      writer_.db.Prepare("SELECT dictionary, headers FROM blocks WHERE id=?", &error);
  if (!row.valid()) return error;
  row.BindInt(1, block.id);
  if (!row.Step()) return row.error();
  block::Dictionary dictionary;
  block::Headers headers;
  const bool readable = block::DecodeDictionary(row.ColumnBlob(0), &dictionary) &&
                        block::DecodeHeaders(row.ColumnBlob(1), block.min_start_ns, &headers);
  row.Reset();  // done with the row before it is deleted below
  if (!readable) {
    // Unreadable: it serves no span, so it goes whole.
    *dropped += block.spans;
    return DeleteBlock(block);
  }
  std::unordered_map<uint32_t, const block::SpanHeader*> by_seq;
  for (const auto& h : headers.spans) by_seq.emplace(h.seq, &h);
  // Arrival numbers below `first_kept` are the `earliest` arrivals.
  uint32_t first_kept = 0;
  if (earliest > 0) {
    std::vector<uint32_t> seqs;
    for (const auto& h : headers.spans) seqs.push_back(h.seq);
    std::sort(seqs.begin(), seqs.end());
    first_kept = static_cast<size_t>(earliest) < seqs.size() ? seqs[static_cast<size_t>(earliest)]
                                                             : UINT32_MAX;
  }
  auto drop = [&](const block::SpanHeader& h) {
    return h.start_ns < cutoff_ns || h.seq < first_kept;
  };

  BlockBuilder builder;
  builder.SetDictionary(std::move(dictionary));
  SqliteStatement chunks = writer_.db.Prepare(
      "SELECT trace_id, records FROM chunks WHERE id BETWEEN ? AND ? ORDER BY id", &error);
  if (!chunks.valid()) return error;
  chunks.BindInt(1, block.first_chunk);
  chunks.BindInt(2, block.last_chunk);
  while (chunks.Step()) {
    const std::string_view trace_id = chunks.ColumnBlob(0);
    std::string_view records = chunks.ColumnBlob(1);
    block::Record record;
    while (!records.empty() && block::NextRecord(&records, &record)) {
      const auto it = by_seq.find(record.seq);
      if (it == by_seq.end()) continue;
      const block::SpanHeader& h = *it->second;
      if (drop(h)) continue;
      builder.AddRecord(trace_id, h.operation, h.seq, record.resource, record.scope, h.start_ns,
                        h.duration_ns, record.span);
    }
  }
  if (!chunks.error().empty()) return "read chunks: " + chunks.error();
  *dropped += block.spans - builder.spans();
  if (auto e = DeleteBlock(block); !e.empty()) return e;
  if (builder.spans() == 0) return {};
  return InsertBlock(block.id, builder.Finish());
}

std::string TraceStore::EnforceMaxSpans(int64_t total, int64_t* deleted) {
  if (options_.max_spans <= 0 || total <= options_.max_spans) return {};
  std::string error;
  SqliteStatement oldest = writer_.db.Prepare(
      std::string("SELECT ") + kBlockColumns + " FROM blocks ORDER BY id LIMIT 1", &error);
  if (!oldest.valid()) return error;
  int64_t gone = 0;
  while (total - gone > options_.max_spans) {
    const int64_t excess = total - gone - options_.max_spans;
    if (!oldest.Step()) {
      if (!oldest.error().empty()) return "max spans: " + oldest.error();
      break;
    }
    const BlockRow block{oldest.ColumnInt(0), oldest.ColumnInt(1), oldest.ColumnInt(2),
                         oldest.ColumnInt(3), oldest.ColumnInt(4)};
    oldest.Reset();
    if (block.spans <= excess) {
      if (auto e = DeleteBlock(block); !e.empty()) return "max spans: " + e;
      gone += block.spans;
      continue;
    }
    // The cut falls inside this block: its `excess` earliest arrivals go.
    int64_t dropped = 0;
    if (auto e = RewriteBlock(block, INT64_MIN, excess, &dropped); !e.empty()) {
      return "max spans: " + e;
    }
    gone += dropped;
    if (dropped == 0) break;  // cannot happen for a sound block; never spin
  }
  *deleted += gone;
  orphans_pending_ = orphans_pending_ || gone > 0;
  return {};
}

StoreCounts TraceStore::ApplyRetention(int64_t now_ns, std::string* error) {
  std::lock_guard lock(writer_.mu);
  StoreCounts deleted;
  std::string failure;
  SqliteTransaction transaction(writer_.db);
  failure = transaction.begin_error();
  auto run = [&](const char* sql, int64_t cutoff, int64_t* counter) {
    if (!failure.empty()) return;
    SqliteStatement s = writer_.db.Prepare(sql, &failure);
    if (!s.valid()) return;
    s.BindInt(1, cutoff);
    failure = s.Run();
    if (failure.empty() && counter) *counter += writer_.db.changes();
  };
  if (failure.empty() && options_.retention.count() > 0) {
    const int64_t cutoff = now_ns - options_.retention.count();
    // Blocks wholly before the cutoff, then those it cuts through.
    std::vector<BlockRow> whole;
    std::vector<BlockRow> partial;
    SqliteStatement s = writer_.db.Prepare(std::string("SELECT ") + kBlockColumns +
                                               ", max_start_ns FROM blocks WHERE min_start_ns < ?",
                                           &failure);
    if (s.valid()) {
      s.BindInt(1, cutoff);
      while (s.Step()) {
        const BlockRow block{s.ColumnInt(0), s.ColumnInt(1), s.ColumnInt(2), s.ColumnInt(3),
                             s.ColumnInt(4)};
        (s.ColumnInt(5) < cutoff ? whole : partial).push_back(block);
      }
      failure = s.error();
    }
    for (const auto& block : whole) {
      if (!failure.empty()) break;
      failure = DeleteBlock(block);
      deleted.spans += block.spans;
    }
    for (const auto& block : partial) {
      if (!failure.empty()) break;
      failure = RewriteBlock(block, cutoff, 0, &deleted.spans);
    }
    run("DELETE FROM logs WHERE time_ns < ?", cutoff, &deleted.logs);
    run("DELETE FROM metrics WHERE received_ns < ?", cutoff, nullptr);
  }
  if (failure.empty()) failure = EnforceMaxSpans(span_count_ - deleted.spans, &deleted.spans);
  if (failure.empty() && (deleted.spans > 0 || deleted.logs > 0 || orphans_pending_)) {
    failure = DeleteOrphans();
  }
  if (failure.empty()) failure = transaction.Commit();
  if (failure.empty()) {
    span_count_ -= deleted.spans;
    orphans_pending_ = false;
  } else {
    deleted = {};
    operation_ids_.clear();
    resource_ids_.clear();
  }
  if (error) *error = failure;
  return deleted;
}

std::string TraceStore::DeleteOrphans() {
  // Operations no block names any more disappear from /api/services.
  std::string error;
  std::unordered_set<uint32_t> live;
  {
    SqliteStatement s = writer_.db.Prepare("SELECT operations FROM blocks", &error);
    std::vector<uint32_t> operations;
    while (s.valid() && s.Step()) {
      if (block::DecodeOperations(s.ColumnBlob(0), &operations)) {
        live.insert(operations.begin(), operations.end());
      }
    }
    if (!error.empty() || !s.error().empty()) return "retention: " + error + s.error();
  }
  std::vector<int64_t> dead;
  {
    SqliteStatement s = writer_.db.Prepare("SELECT id FROM operations", &error);
    while (s.valid() && s.Step()) {
      if (!live.count(static_cast<uint32_t>(s.ColumnInt(0)))) dead.push_back(s.ColumnInt(0));
    }
    if (!error.empty() || !s.error().empty()) return "retention: " + error + s.error();
  }
  SqliteStatement remove = writer_.db.Prepare("DELETE FROM operations WHERE id=?", &error);
  if (!remove.valid()) return "retention: " + error;
  for (const int64_t id : dead) {
    remove.BindInt(1, id);
    if (auto e = remove.Run(); !e.empty()) return "retention: " + e;
  }
  operation_ids_.clear();
  if (QueryInt(writer_.db, "SELECT count(*) FROM resources", &error) < kOrphanScanThreshold) {
    return error;
  }
  if (auto e =
          writer_.db.Exec("DELETE FROM resources WHERE id NOT IN (SELECT resource_id FROM logs)");
      !e.empty()) {
    return "retention: " + e;
  }
  resource_ids_.clear();
  return {};
}

}  // namespace agenthub::collector
