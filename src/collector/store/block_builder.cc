#include "collector/store/block_builder.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace agenthub::collector {

size_t BlockBuilder::IdHash::operator()(const std::string& id) const {
  // Trace ids are random: their first 8 bytes are already a good hash.
  uint64_t h = 0;
  std::memcpy(&h, id.data(), std::min(id.size(), sizeof h));
  return static_cast<size_t>(h ^ (id.size() * 0x9e3779b97f4a7c15ULL));
}

uint32_t BlockBuilder::AddResource(std::string data, std::string schema_url, std::string service) {
  std::string key = data;
  key.push_back('\0');
  key += schema_url;
  const auto [it, added] = resource_index_.try_emplace(
      std::move(key), static_cast<uint32_t>(dictionary_.resources.size()));
  if (added) {
    dictionary_.resources.push_back({std::move(data), std::move(schema_url), std::move(service)});
  }
  return it->second;
}

uint32_t BlockBuilder::AddScope(std::string data, std::string schema_url) {
  std::string key = data;
  key.push_back('\0');
  key += schema_url;
  const auto [it, added] =
      scope_index_.try_emplace(std::move(key), static_cast<uint32_t>(dictionary_.scopes.size()));
  if (added) dictionary_.scopes.push_back({std::move(data), std::move(schema_url)});
  return it->second;
}

void BlockBuilder::SetDictionary(block::Dictionary dictionary) {
  dictionary_ = std::move(dictionary);
  resource_index_.clear();
  scope_index_.clear();
}

void BlockBuilder::AddSpan(std::string_view trace_id, uint32_t operation, uint32_t resource,
                           uint32_t scope, int64_t start_ns, int64_t duration_ns,
                           std::string_view span) {
  AddRecord(trace_id, operation, next_seq_, resource, scope, start_ns, duration_ns, span);
}

void BlockBuilder::AddRecord(std::string_view trace_id, uint32_t operation, uint32_t seq,
                             uint32_t resource, uint32_t scope, int64_t start_ns,
                             int64_t duration_ns, std::string_view span) {
  const auto [it, added] =
      chunk_index_.try_emplace(std::string(trace_id), static_cast<uint32_t>(trace_ids_.size()));
  if (added) trace_ids_.emplace_back(trace_id);
  pending_.push_back({it->second, operation, seq, resource, scope, start_ns, duration_ns,
                      bytes_.size(), span.size()});
  bytes_.append(span);
  next_seq_ = std::max(next_seq_, seq + 1);
}

EncodedBlock BlockBuilder::Finish() {
  EncodedBlock out;
  out.spans = static_cast<int64_t>(pending_.size());
  out.min_start_ns = std::numeric_limits<int64_t>::max();
  out.max_start_ns = std::numeric_limits<int64_t>::min();
  std::vector<uint32_t> operations;
  // Spans in chunk order (a counting sort keeps each trace's arrival order).
  std::vector<size_t> first(trace_ids_.size() + 1, 0);
  for (const Pending& p : pending_) {
    ++first[p.chunk + 1];
    out.min_start_ns = std::min(out.min_start_ns, p.start_ns);
    out.max_start_ns = std::max(out.max_start_ns, p.start_ns);
    operations.push_back(p.operation);
  }
  if (pending_.empty()) out.min_start_ns = out.max_start_ns = 0;
  for (size_t c = 1; c < first.size(); ++c) first[c] += first[c - 1];
  std::vector<uint32_t> order(pending_.size());
  {
    std::vector<size_t> next(first.begin(), first.end() - 1);
    for (size_t i = 0; i < pending_.size(); ++i)
      order[next[pending_[i].chunk]++] = static_cast<uint32_t>(i);
  }

  block::Headers headers;
  headers.spans.reserve(pending_.size());
  out.chunks.resize(trace_ids_.size());
  for (size_t c = 0; c < trace_ids_.size(); ++c) {
    EncodedBlock::Chunk& chunk = out.chunks[c];
    chunk.trace_id = trace_ids_[c];
    size_t bytes = 0;
    for (size_t k = first[c]; k < first[c + 1]; ++k) bytes += pending_[order[k]].size + 16;
    chunk.records.reserve(bytes);
    for (size_t k = first[c]; k < first[c + 1]; ++k) {
      const Pending& p = pending_[order[k]];
      block::AppendRecord(&chunk.records, {p.seq, p.resource, p.scope,
                                           std::string_view(bytes_).substr(p.offset, p.size)});
      headers.spans.push_back({p.chunk, p.operation, p.seq, p.start_ns, p.duration_ns});
    }
  }
  headers.trace_ids = std::move(trace_ids_);
  out.headers = block::EncodeHeaders(headers, out.min_start_ns);
  std::sort(operations.begin(), operations.end());
  operations.erase(std::unique(operations.begin(), operations.end()), operations.end());
  out.operations = block::EncodeOperations(operations);
  out.dictionary = block::EncodeDictionary(dictionary_);

  *this = BlockBuilder();
  return out;
}

}  // namespace agenthub::collector
