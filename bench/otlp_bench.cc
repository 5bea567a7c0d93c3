// OTLP encoding of a full export batch: 512 spans (the batch processor's
// default batch size), each with 6 attributes and 1 event, sharing one
// resource and scope as spans of one process do. Measures what every export
// pays before the network: building the ExportTraceServiceRequest and
// serializing it (binary protobuf for OTLP/gRPC and http/protobuf, JSON for
// http/json). Target: binary <= 100 us per batch.
//
// BM_EncodeTraceRequest512 is the path exports take; the Arena and Heap
// variants build the generated messages first, for comparison.
#include <benchmark/benchmark.h>
#include <google/protobuf/arena.h>

#include <memory>
#include <string>
#include <vector>

#include "telemetry/otlp/otlp.h"

namespace agenthub::telemetry {
namespace {

constexpr size_t kBatch = 512;

class Batch {
 public:
  Batch() {
    auto resource = std::make_shared<const Resource>(Resource::Create("bench-service", "1.0.0"));
    auto scope = std::make_shared<const InstrumentationScope>(
        InstrumentationScope{"agenthub.broker", "0.1.0", ""});
    spans_.resize(kBatch);
    const Timestamp start = Now();
    for (size_t i = 0; i < kBatch; ++i) {
      SpanData& span = spans_[i];
      span.context =
          SpanContext(NewTraceId(), NewSpanId(), TraceFlags{TraceFlags::kSampled}, false);
      span.parent_span_id = NewSpanId();
      span.name = "route_task";
      span.kind = SpanKind::kServer;
      span.start_time = start + std::chrono::microseconds(i);
      span.end_time = span.start_time + std::chrono::microseconds(250);
      span.attributes = {{"messaging.system", "agenthub"},
                         {"messaging.operation.type", "process"},
                         {"messaging.message.id", "task-" + std::to_string(i)},
                         {"task.priority", int64_t{3}},
                         {"task.retry", false},
                         {"task.load", 0.75}};
      span.events.push_back(
          SpanEvent{"task.routed", span.start_time, {{"target.agent", "agent-7"}}, 0});
      span.status = SpanStatus{StatusCode::kOk, ""};
      span.resource = resource;
      span.scope = scope;
      pointers_.push_back(&span);
    }
  }

  std::span<const SpanData* const> spans() const { return pointers_; }

 private:
  std::vector<SpanData> spans_;
  std::vector<const SpanData*> pointers_;
};

const Batch& TheBatch() {
  static const Batch batch;
  return batch;
}

// What OtlpSpanExporter does per OTLP/gRPC or http/protobuf export: the
// request's wire bytes written straight from the spans into the buffer it
// keeps between exports.
void BM_EncodeTraceRequest512(benchmark::State& state) {
  const Batch& batch = TheBatch();
  size_t bytes = 0;
  std::string wire;
  for (auto _ : state) {
    SerializeTraceRequest(batch.spans(), &wire);
    bytes = wire.size();
    benchmark::DoNotOptimize(wire.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["request_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeTraceRequest512);

// Through the generated messages: an arena whose first block is kept
// between batches, then SerializeToString.
void BM_EncodeTraceRequestArena512(benchmark::State& state) {
  const Batch& batch = TheBatch();
  constexpr size_t kBlock = 256 * 1024;
  std::unique_ptr<char[]> block(new char[kBlock]);
  size_t bytes = 0;
  for (auto _ : state) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block.get();
    options.initial_block_size = kBlock;
    options.max_block_size = kBlock;
    google::protobuf::Arena arena(options);
    std::string wire;
    EncodeTraceRequest(batch.spans(), &arena)->SerializeToString(&wire);
    bytes = wire.size();
    benchmark::DoNotOptimize(wire.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["request_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeTraceRequestArena512);

// Through the generated messages without an arena: one heap allocation per message.
void BM_EncodeTraceRequestHeap512(benchmark::State& state) {
  const Batch& batch = TheBatch();
  for (auto _ : state) {
    otlp_pb::ExportTraceServiceRequest request;
    FillTraceRequest(batch.spans(), &request);
    std::string wire;
    request.SerializeToString(&wire);
    benchmark::DoNotOptimize(wire.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_EncodeTraceRequestHeap512);

// OTLP/JSON (http/json): protobuf's JSON printer plus the hex-id rewrite.
void BM_EncodeTraceRequestJson512(benchmark::State& state) {
  const Batch& batch = TheBatch();
  size_t bytes = 0;
  for (auto _ : state) {
    google::protobuf::Arena arena;
    std::string json;
    ToOtlpJson(*EncodeTraceRequest(batch.spans(), &arena), &json);
    bytes = json.size();
    benchmark::DoNotOptimize(json.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["request_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeTraceRequestJson512);

}  // namespace
}  // namespace agenthub::telemetry

BENCHMARK_MAIN();
