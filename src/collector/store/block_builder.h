// BlockBuilder: collects the spans of one write transaction and lays them
// out as a block (block_format.h): spans grouped into one chunk per trace,
// headers for searches, a dictionary of resources and scopes.
//
// Also used by retention to rewrite a block without some of its spans:
// records are added as bytes, so nothing is decoded or re-encoded.
//
// Not thread-safe; one per transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/store/block_format.h"

namespace agenthub::collector {

struct EncodedBlock {
  int64_t min_start_ns = 0;
  int64_t max_start_ns = 0;
  int64_t spans = 0;
  std::string dictionary;
  std::string headers;
  std::string operations;  // distinct operation ids
  struct Chunk {
    std::string trace_id;
    std::string records;
  };
  std::vector<Chunk> chunks;
};

class BlockBuilder {
 public:
  // Dictionary entries, each added once however many spans use it.
  uint32_t AddResource(std::string data, std::string schema_url, std::string service);
  uint32_t AddScope(std::string data, std::string schema_url);
  // For a rewrite: the dictionary of the block being rewritten, whole (its
  // indexes stay valid for the records carried over).
  void SetDictionary(block::Dictionary dictionary);

  // One span: its trace id (16 bytes), operation id, dictionary indexes,
  // times and encoding. `seq` orders arrivals; AddSpan numbers them itself.
  void AddSpan(std::string_view trace_id, uint32_t operation, uint32_t resource, uint32_t scope,
               int64_t start_ns, int64_t duration_ns, std::string_view span);
  void AddRecord(std::string_view trace_id, uint32_t operation, uint32_t seq, uint32_t resource,
                 uint32_t scope, int64_t start_ns, int64_t duration_ns, std::string_view span);

  int64_t spans() const { return static_cast<int64_t>(pending_.size()); }
  // The block; the builder is empty afterwards.
  EncodedBlock Finish();

 private:
  struct Pending {
    uint32_t chunk;
    uint32_t operation;
    uint32_t seq;
    uint32_t resource;
    uint32_t scope;
    int64_t start_ns;
    int64_t duration_ns;
    size_t offset;  // into bytes_
    size_t size;
  };
  struct IdHash {
    size_t operator()(const std::string& id) const;
  };

  block::Dictionary dictionary_;
  // Dictionary entry by encoding + '\0' + schema URL: a batch names the
  // same resource in every request of a process.
  std::unordered_map<std::string, uint32_t> resource_index_;
  std::unordered_map<std::string, uint32_t> scope_index_;
  // Chunk number by trace id, in order of first appearance.
  std::unordered_map<std::string, uint32_t, IdHash> chunk_index_;
  std::vector<std::string> trace_ids_;
  std::vector<Pending> pending_;
  std::string bytes_;  // every span's encoding, back to back
  uint32_t next_seq_ = 0;
};

}  // namespace agenthub::collector
