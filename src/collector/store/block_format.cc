#include "collector/store/block_format.h"

#include <limits>

namespace agenthub::collector::block {
namespace {

constexpr uint64_t kMaxU32 = std::numeric_limits<uint32_t>::max();

bool GetU32(std::string_view* in, uint32_t* value) {
  uint64_t v = 0;
  if (!GetVarint(in, &v) || v > kMaxU32) return false;
  *value = static_cast<uint32_t>(v);
  return true;
}

// Signed values (durations and start offsets are never negative for valid
// spans, but a damaged or hand-made file may say anything) as zigzag.
void PutSigned(std::string* out, int64_t value) {
  PutVarint(out, (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
}

bool GetSigned(std::string_view* in, int64_t* value) {
  uint64_t v = 0;
  if (!GetVarint(in, &v)) return false;
  *value = static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
  return true;
}

// A count read from the file, checked against the bytes left (each item
// takes at least `min_item_bytes`), so a damaged count cannot make a
// decoder reserve gigabytes.
bool GetCount(std::string_view* in, size_t min_item_bytes, size_t* count) {
  uint64_t v = 0;
  if (!GetVarint(in, &v) || v > in->size() / min_item_bytes) return false;
  *count = static_cast<size_t>(v);
  return true;
}

}  // namespace

void PutVarint(std::string* out, uint64_t value) {
  // Into a local buffer, then one append: a push_back per byte was 3.6% of
  // the store's instructions (callgrind, BM_StoreWrite).
  char buffer[10];
  size_t n = 0;
  while (value >= 0x80) {
    buffer[n++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  buffer[n++] = static_cast<char>(value);
  out->append(buffer, n);
}

void PutBytes(std::string* out, std::string_view bytes) {
  PutVarint(out, bytes.size());
  out->append(bytes);
}

bool GetVarint(std::string_view* in, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

bool GetBytes(std::string_view* in, std::string_view* bytes) {
  uint64_t size = 0;
  if (!GetVarint(in, &size) || size > in->size()) return false;
  *bytes = in->substr(0, size);
  in->remove_prefix(size);
  return true;
}

int64_t TraceKey(std::string_view trace_id) {
  uint64_t key = 0;
  for (size_t i = 0; i < 8 && i < trace_id.size(); ++i) {
    key = (key << 8) | static_cast<uint8_t>(trace_id[i]);
  }
  return static_cast<int64_t>(key);
}

std::string EncodeDictionary(const Dictionary& dictionary) {
  std::string out;
  PutVarint(&out, dictionary.resources.size());
  for (const auto& r : dictionary.resources) {
    PutBytes(&out, r.data);
    PutBytes(&out, r.schema_url);
    PutBytes(&out, r.service);
  }
  PutVarint(&out, dictionary.scopes.size());
  for (const auto& s : dictionary.scopes) {
    PutBytes(&out, s.data);
    PutBytes(&out, s.schema_url);
  }
  return out;
}

bool DecodeDictionary(std::string_view in, Dictionary* dictionary) {
  size_t count = 0;
  if (!GetCount(&in, 3, &count)) return false;
  dictionary->resources.resize(count);
  for (auto& r : dictionary->resources) {
    std::string_view data, schema_url, service;
    if (!GetBytes(&in, &data) || !GetBytes(&in, &schema_url) || !GetBytes(&in, &service)) {
      return false;
    }
    r = {std::string(data), std::string(schema_url), std::string(service)};
  }
  if (!GetCount(&in, 2, &count)) return false;
  dictionary->scopes.resize(count);
  for (auto& s : dictionary->scopes) {
    std::string_view data, schema_url;
    if (!GetBytes(&in, &data) || !GetBytes(&in, &schema_url)) return false;
    s = {std::string(data), std::string(schema_url)};
  }
  return in.empty();
}

std::string EncodeHeaders(const Headers& headers, int64_t min_start_ns) {
  std::string out;
  out.reserve(headers.trace_ids.size() * 17 + headers.spans.size() * 16 + 8);
  PutVarint(&out, headers.trace_ids.size());
  for (const auto& id : headers.trace_ids) PutBytes(&out, id);
  PutVarint(&out, headers.spans.size());
  for (const auto& h : headers.spans) {
    PutVarint(&out, h.chunk);
    PutVarint(&out, h.operation);
    PutVarint(&out, h.seq);
    PutSigned(&out, h.start_ns - min_start_ns);
    PutSigned(&out, h.duration_ns);
  }
  return out;
}

bool DecodeHeaders(std::string_view in, int64_t min_start_ns, Headers* headers) {
  size_t count = 0;
  if (!GetCount(&in, 1, &count)) return false;
  headers->trace_ids.resize(count);
  for (auto& id : headers->trace_ids) {
    std::string_view bytes;
    if (!GetBytes(&in, &bytes)) return false;
    id = std::string(bytes);
  }
  if (!GetCount(&in, 5, &count)) return false;
  headers->spans.resize(count);
  for (auto& h : headers->spans) {
    int64_t offset = 0;
    if (!GetU32(&in, &h.chunk) || !GetU32(&in, &h.operation) || !GetU32(&in, &h.seq) ||
        !GetSigned(&in, &offset) || !GetSigned(&in, &h.duration_ns)) {
      return false;
    }
    if (h.chunk >= headers->trace_ids.size()) return false;
    h.start_ns =
        static_cast<int64_t>(static_cast<uint64_t>(min_start_ns) + static_cast<uint64_t>(offset));
  }
  return in.empty();
}

void AppendRecord(std::string* chunk, const Record& record) {
  PutVarint(chunk, record.seq);
  PutVarint(chunk, record.resource);
  PutVarint(chunk, record.scope);
  PutBytes(chunk, record.span);
}

bool NextRecord(std::string_view* chunk, Record* record) {
  return GetU32(chunk, &record->seq) && GetU32(chunk, &record->resource) &&
         GetU32(chunk, &record->scope) && GetBytes(chunk, &record->span);
}

std::string EncodeOperations(const std::vector<uint32_t>& operations) {
  std::string out;
  for (const uint32_t op : operations) PutVarint(&out, op);
  return out;
}

bool DecodeOperations(std::string_view in, std::vector<uint32_t>* operations) {
  operations->clear();
  while (!in.empty()) {
    uint32_t op = 0;
    if (!GetU32(&in, &op)) return false;
    operations->push_back(op);
  }
  return true;
}

}  // namespace agenthub::collector::block
