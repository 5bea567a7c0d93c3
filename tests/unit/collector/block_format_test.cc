// The span block layout: what the writer lays out reads back, and damaged
// bytes (a file is untrusted input) read as an error, never a crash or a
// huge allocation.
#include "collector/store/block_format.h"

#include <gtest/gtest.h>

#include "collector/store/block_builder.h"

namespace agenthub::collector {
namespace {

std::string Id(char last) {
  std::string id(16, 'x');
  id[15] = last;
  return id;
}

EncodedBlock SampleBlock() {
  BlockBuilder builder;
  const uint32_t r = builder.AddResource("resource-bytes", "schema", "svc");
  EXPECT_EQ(builder.AddResource("resource-bytes", "schema", "svc"), r);
  const uint32_t s = builder.AddScope("scope-bytes", "");
  builder.AddSpan(Id('a'), 7, r, s, 1000, 5, "span-a1");
  builder.AddSpan(Id('b'), 8, r, s, 900, 50, "span-b1");
  builder.AddSpan(Id('a'), 7, r, s, 1100, 1, "span-a2");
  return builder.Finish();
}

TEST(BlockFormat, BuilderGroupsSpansByTraceAndRecordsTheirHeaders) {
  const EncodedBlock block = SampleBlock();
  EXPECT_EQ(block.spans, 3);
  EXPECT_EQ(block.min_start_ns, 900);
  EXPECT_EQ(block.max_start_ns, 1100);
  ASSERT_EQ(block.chunks.size(), 2u);
  EXPECT_EQ(block.chunks[0].trace_id, Id('a'));

  std::string_view records = block.chunks[0].records;
  block::Record record;
  ASSERT_TRUE(block::NextRecord(&records, &record));
  EXPECT_EQ(record.span, "span-a1");
  EXPECT_EQ(record.seq, 0u);
  ASSERT_TRUE(block::NextRecord(&records, &record));
  EXPECT_EQ(record.span, "span-a2");
  EXPECT_EQ(record.seq, 2u);
  EXPECT_TRUE(records.empty());

  block::Headers headers;
  ASSERT_TRUE(block::DecodeHeaders(block.headers, block.min_start_ns, &headers));
  ASSERT_EQ(headers.spans.size(), 3u);
  EXPECT_EQ(headers.trace_ids[1], Id('b'));
  const auto& b = headers.spans[2];
  EXPECT_EQ(b.chunk, 1u);
  EXPECT_EQ(b.operation, 8u);
  EXPECT_EQ(b.start_ns, 900);
  EXPECT_EQ(b.duration_ns, 50);

  block::Dictionary dictionary;
  ASSERT_TRUE(block::DecodeDictionary(block.dictionary, &dictionary));
  ASSERT_EQ(dictionary.resources.size(), 1u);
  EXPECT_EQ(dictionary.resources[0].service, "svc");
  std::vector<uint32_t> operations;
  ASSERT_TRUE(block::DecodeOperations(block.operations, &operations));
  EXPECT_EQ(operations, (std::vector<uint32_t>{7, 8}));
}

TEST(BlockFormat, EveryTruncationIsRefused) {
  const EncodedBlock block = SampleBlock();
  for (size_t n = 0; n < block.headers.size(); ++n) {
    block::Headers headers;
    EXPECT_FALSE(block::DecodeHeaders(block.headers.substr(0, n), 0, &headers)) << n;
  }
  for (size_t n = 0; n < block.dictionary.size(); ++n) {
    block::Dictionary dictionary;
    EXPECT_FALSE(block::DecodeDictionary(block.dictionary.substr(0, n), &dictionary)) << n;
  }
  const std::string& records = block.chunks[0].records;
  for (size_t n = 1; n < records.size(); ++n) {
    std::string_view rest = std::string_view(records).substr(0, n);
    block::Record record;
    bool ok = true;
    while (ok && !rest.empty()) ok = block::NextRecord(&rest, &record);
    // Cut between two records reads the first whole; anywhere else fails.
    if (ok) {
      EXPECT_TRUE(rest.empty());
    }
  }
}

TEST(BlockFormat, AHugeCountIsRefusedBeforeAllocating) {
  std::string bytes;
  block::PutVarint(&bytes, uint64_t{1} << 60);
  block::Headers headers;
  EXPECT_FALSE(block::DecodeHeaders(bytes, 0, &headers));
  block::Dictionary dictionary;
  EXPECT_FALSE(block::DecodeDictionary(bytes, &dictionary));
}

TEST(BlockFormat, AChunkIndexOutOfRangeIsRefused) {
  block::Headers headers;
  headers.trace_ids = {Id('a')};
  headers.spans = {{.chunk = 1, .operation = 1, .seq = 0, .start_ns = 5, .duration_ns = 1}};
  block::Headers decoded;
  EXPECT_FALSE(block::DecodeHeaders(block::EncodeHeaders(headers, 0), 0, &decoded));
}

TEST(BlockFormat, VarintsRoundTripAtTheirLimits) {
  for (const uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, ~uint64_t{0}}) {
    std::string bytes;
    block::PutVarint(&bytes, v);
    std::string_view in = bytes;
    uint64_t out = 1;
    ASSERT_TRUE(block::GetVarint(&in, &out));
    EXPECT_EQ(out, v);
    EXPECT_TRUE(in.empty());
  }
  std::string_view endless = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff";
  uint64_t out = 0;
  EXPECT_FALSE(block::GetVarint(&endless, &out));
}

}  // namespace
}  // namespace agenthub::collector
