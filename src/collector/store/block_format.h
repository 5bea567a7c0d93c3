// The byte layout of a span block (see store_schema.h for why blocks): the
// one truth the block writer, the readers and retention's rewrites share.
//
// A block is what one write transaction stores. Its parts, each a column:
//
//   dictionary  the resources and scopes its spans were sent with, once each
//   headers     per span the fields searches filter on (operation id, start,
//               duration, arrival number, which chunk), plus the chunks'
//               trace ids, so a search reads no span bytes until it must
//   chunks      one row per trace: that trace's span records, so a trace
//               lookup reads only its own bytes
//
// Integers are LEB128 varints; strings are a varint length and the bytes.
// Every decoder checks every length against what is left: the bytes come
// from a file that may be damaged, and a bad block must read as no spans,
// never as a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agenthub::collector::block {

void PutVarint(std::string* out, uint64_t value);
void PutBytes(std::string* out, std::string_view bytes);
// Consume from the front of *in; false (and *in unspecified) when it is
// too short or malformed.
bool GetVarint(std::string_view* in, uint64_t* value);
bool GetBytes(std::string_view* in, std::string_view* bytes);

// A 16-byte trace id's first 8 bytes as a signed integer: the key of the
// chunk index. Random ids make it as selective as the whole id; readers
// still compare the whole id.
int64_t TraceKey(std::string_view trace_id);

struct DictionaryResource {
  std::string data;  // opentelemetry.proto.resource.v1.Resource
  std::string schema_url;
  std::string service;
};
struct DictionaryScope {
  std::string data;  // opentelemetry.proto.common.v1.InstrumentationScope
  std::string schema_url;
};
struct Dictionary {
  std::vector<DictionaryResource> resources;
  std::vector<DictionaryScope> scopes;
};
std::string EncodeDictionary(const Dictionary& dictionary);
bool DecodeDictionary(std::string_view bytes, Dictionary* dictionary);

// What a search needs of a span without decoding it.
struct SpanHeader {
  uint32_t chunk = 0;      // index into Headers::trace_ids (and the block's chunks)
  uint32_t operation = 0;  // operations.id: service, name and kind
  uint32_t seq = 0;        // arrival order within the block; links to the record
  int64_t start_ns = 0;
  int64_t duration_ns = 0;
};
struct Headers {
  std::vector<std::string> trace_ids;  // of the chunks, in chunk order
  std::vector<SpanHeader> spans;
};
// Starts are stored relative to the block's min_start_ns (small varints).
std::string EncodeHeaders(const Headers& headers, int64_t min_start_ns);
bool DecodeHeaders(std::string_view bytes, int64_t min_start_ns, Headers* headers);

// One span in a chunk: its arrival number, the dictionary entries it was
// sent with, and its OTLP encoding exactly as received.
struct Record {
  uint32_t seq = 0;
  uint32_t resource = 0;
  uint32_t scope = 0;
  std::string_view span;
};
void AppendRecord(std::string* chunk, const Record& record);
// Consumes one record from the front of *chunk.
bool NextRecord(std::string_view* chunk, Record* record);

// The distinct operation ids of a block (for retention's operation sweep).
std::string EncodeOperations(const std::vector<uint32_t>& operations);
bool DecodeOperations(std::string_view bytes, std::vector<uint32_t>* operations);

}  // namespace agenthub::collector::block
