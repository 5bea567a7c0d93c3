// TraceStore::FindTraces: Jaeger's trace search over span blocks.
//
// Blocks are read newest first (by their latest span start), and only
// their headers: operation ids, starts and durations decide which spans
// match; a span's bytes are read only to check tag conditions. Blocks
// overlap in time, so matches wait in a heap until no block still to read
// can hold a later one: the result is ordered by most recent matching
// span, as if every span had been sorted.
#include <algorithm>
#include <limits>
#include <optional>
#include <queue>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "collector/store/block_format.h"
#include "collector/store/span_tags.h"
#include "collector/store/trace_store.h"

namespace agenthub::collector {
namespace {

// A hard ceiling on what one request can ask for, whatever the options say.
constexpr size_t kMaxTracesPerSearch = 1500;

// A trace's latest matching span in one block.
struct Candidate {
  int64_t start_ns;
  int64_t block;
  uint32_t seq;
  std::string trace_id;
  bool operator<(const Candidate& other) const {
    return std::tie(start_ns, block, seq) < std::tie(other.start_ns, other.block, other.seq);
  }
};

bool CheapMatch(const block::SpanHeader& h, const TraceQuery& query,
                const std::optional<std::unordered_set<uint32_t>>& operations) {
  if (operations && !operations->count(h.operation)) return false;
  if (query.start_min_ns && h.start_ns < *query.start_min_ns) return false;
  if (query.start_max_ns && h.start_ns > *query.start_max_ns) return false;
  if (query.min_duration_ns && h.duration_ns < *query.min_duration_ns) return false;
  if (query.max_duration_ns && h.duration_ns > *query.max_duration_ns) return false;
  return true;
}

// The operation ids the query's service and operation allow; nullopt when
// it names neither (any operation).
std::optional<std::unordered_set<uint32_t>> AllowedOperations(SqliteDb& db, const TraceQuery& query,
                                                              std::string* error) {
  if (query.service.empty() && query.operation.empty()) return std::nullopt;
  std::string sql = "SELECT id FROM operations WHERE 1";
  if (!query.service.empty()) sql += " AND service=?1";
  if (!query.operation.empty()) sql += " AND name=?2";
  std::unordered_set<uint32_t> ids;
  SqliteStatement s = db.Prepare(sql, error);
  if (!s.valid()) return ids;
  if (!query.service.empty()) s.BindText(1, query.service);
  if (!query.operation.empty()) s.BindText(2, query.operation);
  while (s.Step()) ids.insert(static_cast<uint32_t>(s.ColumnInt(0)));
  if (!s.error().empty()) *error = s.error();
  return ids;
}

bool AnyAllowed(std::string_view encoded, const std::unordered_set<uint32_t>& allowed) {
  std::vector<uint32_t> operations;
  if (!block::DecodeOperations(encoded, &operations)) return false;
  return std::any_of(operations.begin(), operations.end(),
                     [&](uint32_t op) { return allowed.count(op) > 0; });
}

}  // namespace

std::vector<StoredTrace> TraceStore::FindTraces(const TraceQuery& query, std::string* error) {
  const size_t limit = std::min(std::max<size_t>(query.limit, 1), kMaxTracesPerSearch);
  std::vector<std::string> trace_ids;
  std::string failure;
  {
    Connection& c = reader();
    std::lock_guard lock(c.mu);
    const auto allowed = AllowedOperations(c.db, query, &failure);
    if (!failure.empty() || (allowed && allowed->empty())) {
      if (error) *error = failure;
      return {};
    }
    SqliteStatement blocks = c.db.Prepare(
        "SELECT id, min_start_ns, max_start_ns, operations, headers, first_chunk FROM blocks "
        "WHERE max_start_ns >= ?1 AND min_start_ns <= ?2 ORDER BY max_start_ns DESC, id DESC",
        &failure);
    SqliteStatement chunk = c.db.Prepare("SELECT records FROM chunks WHERE id=?", &failure);
    if (!failure.empty()) {
      if (error) *error = failure;
      return {};
    }
    blocks.BindInt(1, query.start_min_ns.value_or(std::numeric_limits<int64_t>::min()));
    blocks.BindInt(2, query.start_max_ns.value_or(std::numeric_limits<int64_t>::max()));

    std::priority_queue<Candidate> pending;
    std::unordered_set<std::string> seen;
    // Matches at or after `bound` come before anything a later block holds.
    auto emit = [&](int64_t bound) {
      while (!pending.empty() && trace_ids.size() < limit && pending.top().start_ns >= bound) {
        if (seen.insert(pending.top().trace_id).second) trace_ids.push_back(pending.top().trace_id);
        pending.pop();
      }
    };
    size_t examined = 0;
    block::Headers headers;
    while (trace_ids.size() < limit && examined < options_.max_search_spans && blocks.Step()) {
      const int64_t block_id = blocks.ColumnInt(0);
      emit(blocks.ColumnInt(2));
      if (trace_ids.size() >= limit) break;
      if (allowed && !AnyAllowed(blocks.ColumnBlob(3), *allowed)) continue;
      if (!block::DecodeHeaders(blocks.ColumnBlob(4), blocks.ColumnInt(1), &headers)) continue;
      const int64_t first_chunk = blocks.ColumnInt(5);
      // Cheap conditions first; the rest by chunk, for the tag check.
      std::vector<const block::SpanHeader*> matches;
      for (const auto& h : headers.spans) {
        if (examined >= options_.max_search_spans) break;
        if (!CheapMatch(h, query, allowed) || seen.count(headers.trace_ids[h.chunk])) continue;
        ++examined;
        matches.push_back(&h);
      }
      if (!query.tags.empty() && !matches.empty()) {
        std::sort(matches.begin(), matches.end(),
                  [](const auto* a, const auto* b) { return a->chunk < b->chunk; });
        const auto dictionary = LoadDictionary(c.db, block_id);
        std::vector<const block::SpanHeader*> tagged;
        for (size_t i = 0; i < matches.size();) {
          const uint32_t chunk_index = matches[i]->chunk;
          std::unordered_map<uint32_t, const block::SpanHeader*> wanted;
          for (; i < matches.size() && matches[i]->chunk == chunk_index; ++i) {
            wanted.emplace(matches[i]->seq, matches[i]);
          }
          chunk.BindInt(1, first_chunk + chunk_index);
          if (chunk.Step()) {
            std::string_view records = chunk.ColumnBlob(0);
            block::Record record;
            while (!records.empty() && block::NextRecord(&records, &record)) {
              const auto it = wanted.find(record.seq);
              if (it == wanted.end()) continue;
              StoredSpan stored;
              if (!stored.span.ParseFromArray(record.span.data(),
                                              static_cast<int>(record.span.size()))) {
                continue;
              }
              if (dictionary && record.resource < dictionary->resources.size()) {
                stored.resource = dictionary->resources[record.resource];
              }
              if (dictionary && record.scope < dictionary->scopes.size()) {
                stored.scope = dictionary->scopes[record.scope];
              }
              const bool all = std::all_of(
                  query.tags.begin(), query.tags.end(),
                  [&](const auto& tag) { return SpanHasTag(stored, tag.first, tag.second); });
              if (all) tagged.push_back(it->second);
            }
          }
          chunk.Reset();
        }
        matches = std::move(tagged);
      }
      // One candidate per trace and block: its latest matching span.
      std::unordered_map<uint32_t, const block::SpanHeader*> latest;
      for (const auto* h : matches) {
        auto [it, added] = latest.try_emplace(h->chunk, h);
        if (!added && h->start_ns > it->second->start_ns) it->second = h;
      }
      for (const auto& [chunk_index, h] : latest) {
        pending.push({h->start_ns, block_id, h->seq, headers.trace_ids[chunk_index]});
      }
    }
    failure = blocks.error();
    emit(std::numeric_limits<int64_t>::min());
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

}  // namespace agenthub::collector
