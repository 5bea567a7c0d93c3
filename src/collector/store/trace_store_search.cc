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

// Matching traces in the order the search returns them. Matches wait in a
// heap until no block still to read can hold a later one.
class SearchResults {
 public:
  explicit SearchResults(size_t limit) : limit_(limit) {}

  bool full() const { return trace_ids_.size() >= limit_; }
  bool Seen(const std::string& trace_id) const { return seen_.count(trace_id) > 0; }
  void Add(Candidate candidate) { pending_.push(std::move(candidate)); }
  // Matches at or after `bound` come before anything a later block holds.
  void EmitFrom(int64_t bound) {
    while (!pending_.empty() && !full() && pending_.top().start_ns >= bound) {
      if (seen_.insert(pending_.top().trace_id).second)
        trace_ids_.push_back(pending_.top().trace_id);
      pending_.pop();
    }
  }
  const std::vector<std::string>& trace_ids() const { return trace_ids_; }

 private:
  const size_t limit_;
  std::priority_queue<Candidate> pending_;
  std::unordered_set<std::string> seen_;
  std::vector<std::string> trace_ids_;
};

// The spans of a block that pass the conditions its headers can decide,
// counting each into *examined up to `max_examined`.
std::vector<const block::SpanHeader*> CheapMatches(
    const block::Headers& headers, const TraceQuery& query,
    const std::optional<std::unordered_set<uint32_t>>& allowed, const SearchResults& results,
    size_t max_examined, size_t* examined) {
  std::vector<const block::SpanHeader*> matches;
  for (const auto& h : headers.spans) {
    if (*examined >= max_examined) break;
    if (!CheapMatch(h, query, allowed) || results.Seen(headers.trace_ids[h.chunk])) continue;
    ++*examined;
    matches.push_back(&h);
  }
  return matches;
}

// Whether the span in `record` carries every tag of the query (its resource
// and scope attributes count, from the block's dictionary).
template <typename Dictionary>
bool HasAllTags(const block::Record& record, const Dictionary* dictionary,
                const TraceQuery& query) {
  StoredSpan stored;
  if (!stored.span.ParseFromArray(record.span.data(), static_cast<int>(record.span.size()))) {
    return false;
  }
  if (dictionary && record.resource < dictionary->resources.size()) {
    stored.resource = dictionary->resources[record.resource];
  }
  if (dictionary && record.scope < dictionary->scopes.size()) {
    stored.scope = dictionary->scopes[record.scope];
  }
  return std::all_of(query.tags.begin(), query.tags.end(),
                     [&](const auto& tag) { return SpanHasTag(stored, tag.first, tag.second); });
}

// The `matches` whose spans carry the query's tags, reading each chunk
// (`chunk` selects one by id) once.
template <typename Dictionary>
std::vector<const block::SpanHeader*> KeepTagged(std::vector<const block::SpanHeader*> matches,
                                                 SqliteStatement& chunk, int64_t first_chunk,
                                                 const Dictionary* dictionary,
                                                 const TraceQuery& query) {
  std::sort(matches.begin(), matches.end(),
            [](const auto* a, const auto* b) { return a->chunk < b->chunk; });
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
        if (it != wanted.end() && HasAllTags(record, dictionary, query)) {
          tagged.push_back(it->second);
        }
      }
    }
    chunk.Reset();
  }
  return tagged;
}

// One candidate per trace and block: its latest matching span.
void AddLatestPerTrace(const std::vector<const block::SpanHeader*>& matches, int64_t block_id,
                       const block::Headers& headers, SearchResults& results) {
  std::unordered_map<uint32_t, const block::SpanHeader*> latest;
  for (const auto* h : matches) {
    auto [it, added] = latest.try_emplace(h->chunk, h);
    if (!added && h->start_ns > it->second->start_ns) it->second = h;
  }
  for (const auto& [chunk_index, h] : latest) {
    results.Add({h->start_ns, block_id, h->seq, headers.trace_ids[chunk_index]});
  }
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

    SearchResults results(limit);
    size_t examined = 0;
    block::Headers headers;
    while (!results.full() && examined < options_.max_search_spans && blocks.Step()) {
      const int64_t block_id = blocks.ColumnInt(0);
      results.EmitFrom(blocks.ColumnInt(2));
      if (results.full()) break;
      if (allowed && !AnyAllowed(blocks.ColumnBlob(3), *allowed)) continue;
      if (!block::DecodeHeaders(blocks.ColumnBlob(4), blocks.ColumnInt(1), &headers)) continue;
      const int64_t first_chunk = blocks.ColumnInt(5);
      // Cheap conditions first; the rest by chunk, for the tag check.
      auto matches =
          CheapMatches(headers, query, allowed, results, options_.max_search_spans, &examined);
      if (!query.tags.empty() && !matches.empty()) {
        const auto dictionary = LoadDictionary(c.db, block_id);
        matches = KeepTagged(std::move(matches), chunk, first_chunk, dictionary.get(), query);
      }
      AddLatestPerTrace(matches, block_id, headers, results);
    }
    failure = blocks.error();
    results.EmitFrom(std::numeric_limits<int64_t>::min());
    trace_ids = results.trace_ids();
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
