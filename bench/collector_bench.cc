// The collector's costs, against the targets of its issue.
//
// BM_IngestOtlpGrpc: a CollectorServer in this process (free ports, a
// SQLite file in a temporary directory) receives OTLP/gRPC export requests
// of 511 spans (7 per trace, 10 attributes each, ~400 bytes per span) from
// several client threads, each with its own channel. The clock stops when
// the store holds every span, not when the RPCs return, so spans_per_s is
// the sustained rate of the whole path: gRPC, decoding, validation, queue,
// SQLite. A full queue answers UNAVAILABLE; clients back off and retry, as
// an SDK would (counted in retries). Target: >= 100,000 spans/s.
//
// BM_TraceLookupById: a trace fetched by id from a store holding 1,000,000
// spans, through TraceStore::GetTrace (/0) or GET /api/traces/{id} on the
// query API (/1). The database is generated once and kept beside the
// benchmark binary (collector_bench_1m_v<schema>b.db: the letter moves when the
// generated data changes) for later runs.
// Target: p99 <= 10 ms. BM_FindTraces: searches over that database.
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "collector/collector.h"
#include "collector/store/store_schema.h"
#include "net/net.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace agenthub::collector {
namespace {

using namespace std::chrono_literals;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using opentelemetry::proto::collector::trace::v1::TraceService;
using opentelemetry::proto::trace::v1::Span;

constexpr int kSpansPerTrace = 7;
// 73 whole traces a request.
constexpr int kSpansPerRequest = 511;
constexpr const char* kServices[] = {"publisher", "broker", "subscriber", "planner"};
constexpr const char* kOperations[] = {"publish_event", "route_task",   "deliver_task",
                                       "handle_task",   "call_llm",     "fetch_context",
                                       "store_result",  "report_result"};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void PutBigEndian(std::string& bytes, size_t offset, uint64_t value) {
  for (int i = 7; i >= 0; --i, value >>= 8) bytes[offset + i] = static_cast<char>(value & 0xff);
}

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// 16 bytes that look random, as real trace ids do (so index inserts land
// all over the B-tree), yet follow from the source and the trace's number.
std::string TraceIdOf(uint32_t source, uint64_t trace) {
  std::string id(16, '\0');
  PutBigEndian(id, 0, SplitMix64((static_cast<uint64_t>(source) << 48) ^ trace));
  PutBigEndian(id, 8, (static_cast<uint64_t>(source) << 48) | trace | (1ULL << 63));
  return id;
}

void SetAttribute(opentelemetry::proto::common::v1::KeyValue* kv, const char* key,
                  const std::string& value) {
  kv->set_key(key);
  kv->mutable_value()->set_string_value(value);
}

void SetAttribute(opentelemetry::proto::common::v1::KeyValue* kv, const char* key, int64_t value) {
  kv->set_key(key);
  kv->mutable_value()->set_int_value(value);
}

// A request of kSpansPerRequest spans under one resource; RenumberRequest
// gives it its trace and span ids.
ExportTraceServiceRequest MakeRequest(int service, int64_t start_ns) {
  ExportTraceServiceRequest request;
  auto* resource_spans = request.add_resource_spans();
  auto* resource = resource_spans->mutable_resource();
  SetAttribute(resource->add_attributes(), "service.name", kServices[service]);
  SetAttribute(resource->add_attributes(), "service.version", "1.4.2");
  SetAttribute(resource->add_attributes(), "host.name", "bench-host-01");
  auto* scope_spans = resource_spans->add_scope_spans();
  scope_spans->mutable_scope()->set_name("agenthub");
  scope_spans->mutable_scope()->set_version("0.1.0");
  for (int i = 0; i < kSpansPerRequest; ++i) {
    Span* span = scope_spans->add_spans();
    const int position = i % kSpansPerTrace;
    span->set_name(kOperations[position]);
    span->set_kind(position == 0 ? Span::SPAN_KIND_PRODUCER : Span::SPAN_KIND_INTERNAL);
    const int64_t start = start_ns + i * 1000000LL + position * 100000LL;
    span->set_start_time_unix_nano(start);
    span->set_end_time_unix_nano(start + 250000 + (i * 7919 % 5000000));
    auto* a = span->mutable_attributes();
    SetAttribute(a->Add(), "agent.id", "agent-" + std::to_string(i % 37));
    SetAttribute(a->Add(), "task.id", "task-0000000000" + std::to_string(100000 + i));
    SetAttribute(a->Add(), "event.type", "greeting");
    SetAttribute(a->Add(), "messaging.system", "agenthub");
    SetAttribute(a->Add(), "messaging.destination.name", "tasks.agent-" + std::to_string(i % 37));
    SetAttribute(a->Add(), "rpc.method", "PublishTask");
    SetAttribute(a->Add(), "net.peer.name", "10.0.0." + std::to_string(i % 250));
    SetAttribute(a->Add(), "payload.bytes", static_cast<int64_t>(512 + i));
    SetAttribute(a->Add(), "retry.count", static_cast<int64_t>(i % 3));
    SetAttribute(a->Add(), "user.query", "summarize the latest quarterly report for the team");
    if (i % 97 == 0)
      span->mutable_status()->set_code(opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR);
  }
  return request;
}

// Ids for the request's spans: traces first_trace, first_trace + 1, ...
// (kSpansPerTrace spans each, the first the root).
void RenumberRequest(ExportTraceServiceRequest& request, uint32_t source, uint64_t first_trace) {
  auto* spans = request.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
  std::string span_id(8, '\0');
  std::string parent_id(8, '\0');
  for (int i = 0; i < spans->size(); ++i) {
    const uint64_t trace = first_trace + i / kSpansPerTrace;
    const int position = i % kSpansPerTrace;
    Span& span = (*spans)[i];
    span.set_trace_id(TraceIdOf(source, trace));
    PutBigEndian(span_id, 0, (trace << 4) | static_cast<uint64_t>(position + 1));
    span.set_span_id(span_id);
    if (position == 0) {
      span.clear_parent_span_id();
    } else {
      PutBigEndian(parent_id, 0, (trace << 4) | static_cast<uint64_t>((position - 1) / 2 + 1));
      span.set_parent_span_id(parent_id);
    }
  }
}

constexpr uint64_t kTracesPerRequest = (kSpansPerRequest + kSpansPerTrace - 1) / kSpansPerTrace;

CollectorOptions BenchOptions(std::string db) {
  CollectorOptions options;
  options.host = "127.0.0.1";
  options.grpc_port = 0;
  options.http_port = -1;
  options.query_port = 0;
  options.store.path = std::move(db);
  options.store.retention = std::chrono::nanoseconds(0);
  options.queue.retention_interval = std::chrono::milliseconds(0);
  return options;
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("agenthub-collector-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

void BM_IngestOtlpGrpc(benchmark::State& state) {
  const int clients = static_cast<int>(state.range(0));
  const int64_t requests = state.range(1);
  TempDir dir;
  std::string error;
  auto server = CollectorServer::Start(BenchOptions(dir.File("ingest.db")), nullptr, &error);
  if (!server) {
    state.SkipWithError(error.c_str());
    return;
  }
  const std::string target = "127.0.0.1:" + std::to_string(server->grpc_port());
  std::atomic<int64_t> retries{0};
  std::atomic<int64_t> failures{0};
  int64_t stored_before = 0;
  double seconds = 0;
  int64_t spans = 0;
  for (auto _ : state) {
    std::atomic<int64_t> next{0};
    const int64_t start_ns = NowNs();
    std::vector<ExportTraceServiceRequest> templates;
    for (int c = 0; c < clients; ++c) {
      templates.push_back(MakeRequest(c % std::size(kServices), start_ns));
    }
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        grpc::ChannelArguments args;
        args.SetMaxSendMessageSize(64 << 20);
        // Each client its own connection, as separate processes would have.
        args.SetInt("agenthub.bench.client", c);
        auto stub = TraceService::NewStub(
            grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
        ExportTraceServiceRequest& request = templates[c];
        for (int64_t n; (n = next.fetch_add(1)) < requests;) {
          RenumberRequest(request, static_cast<uint32_t>(c),
                          static_cast<uint64_t>(n) * kTracesPerRequest);
          for (;;) {
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + 30s);
            ExportTraceServiceResponse response;
            const grpc::Status status = stub->Export(&context, request, &response);
            if (status.ok()) break;
            if (status.error_code() != grpc::StatusCode::UNAVAILABLE) {
              ++failures;
              break;
            }
            ++retries;
            std::this_thread::sleep_for(2ms);
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    const int64_t expected = stored_before + requests * kSpansPerRequest;
    while (server->queue().counters().stored_spans.load() +
               server->queue().counters().write_failed_items.load() <
           expected) {
      std::this_thread::sleep_for(1ms);
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.SetIterationTime(elapsed);
    seconds += elapsed;
    spans += requests * kSpansPerRequest;
    stored_before = expected;
  }
  state.counters["spans_per_s"] = benchmark::Counter(static_cast<double>(spans) / seconds);
  state.counters["retries"] = static_cast<double>(retries.load());
  state.counters["failed_rpcs"] = static_cast<double>(failures.load());
  state.counters["write_failed"] =
      static_cast<double>(server->queue().counters().write_failed_items.load());
  if (failures.load() > 0) state.SkipWithError("export RPCs failed");
}
// 4 clients, 800 requests of 511 spans: 408,800 spans into a fresh database.
BENCHMARK(BM_IngestOtlpGrpc)
    ->Args({4, 800})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Storage alone, as the ingest queue's writer thread drives it: batches of
// range(0) requests of 511 spans (one transaction) into a fresh database,
// without gRPC or decoding, so store changes can be measured apart.
void StoreWrite(benchmark::State& state, int per_transaction, int64_t max_spans) {
  TempDir dir;
  TraceStoreOptions options;
  options.path = dir.File("store.db");
  options.retention = std::chrono::nanoseconds(0);
  options.max_spans = max_spans;
  std::string error;
  auto store = TraceStore::Open(options, &error);
  if (!store) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::vector<ExportTraceServiceRequest> requests;
  for (int i = 0; i < per_transaction; ++i) {
    requests.push_back(MakeRequest(i % std::size(kServices), NowNs()));
  }
  uint64_t n = 0;
  int64_t written = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (auto _ : state) {
    StoreBatch batch;
    for (auto& request : requests) {
      RenumberRequest(request, 7, n++ * kTracesPerRequest);
      batch.traces.push_back(&request);
    }
    StoreCounts counts;
    if (auto e = store->Write(batch, &counts); !e.empty()) {
      state.SkipWithError(e.c_str());
      break;
    }
    written += counts.spans;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  state.counters["spans_per_s"] = static_cast<double>(written) / seconds;
}

void BM_StoreWrite(benchmark::State& state) {
  StoreWrite(state, static_cast<int>(state.range(0)), 0);
}
// 302,512 spans: 74 transactions of 4,088 spans, or 37 of 8,176 (the
// ingest queue's default max_batch_items is 8,192).
BENCHMARK(BM_StoreWrite)->Arg(8)->Iterations(74)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StoreWrite)->Arg(16)->Iterations(37)->UseRealTime()->Unit(benchmark::kMillisecond);

// The same with --max-spans of range(1): past the first 100,000 spans,
// every transaction also deletes as many of the oldest.
void BM_StoreWriteAtMaxSpans(benchmark::State& state) {
  StoreWrite(state, static_cast<int>(state.range(0)), state.range(1));
}
BENCHMARK(BM_StoreWriteAtMaxSpans)
    ->Args({16, 100000})
    ->Iterations(37)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

constexpr int64_t kLookupSpans = 1000000;
constexpr uint32_t kLookupSource = 200;

// The 1M-span database, generated through TraceStore::Write (no gRPC) the
// first time and reused while it has the current schema and every span.
std::string LookupDatabase(std::string* error) {
  const std::filesystem::path path =
      std::filesystem::path(AGENTHUB_BINARY).parent_path() /
      ("collector_bench_1m_v" + std::to_string(schema::kVersion) + "b.db");
  {
    TraceStoreOptions options;
    options.path = path.string();
    options.retention = std::chrono::nanoseconds(0);
    std::string open_error;
    auto store = TraceStore::Open(options, &open_error);
    if (store && store->span_count() == kLookupSpans) return path.string();
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
  TraceStoreOptions options;
  options.path = path.string();
  options.retention = std::chrono::nanoseconds(0);
  auto store = TraceStore::Open(options, error);
  if (!store) return {};
  const auto t0 = std::chrono::steady_clock::now();
  const int64_t start_ns = NowNs() - 3600LL * 1000000000LL;  // 1M spans: 33 min
  constexpr int kRequestsPerBatch = 8;                       // 4,096 spans a transaction
  std::vector<ExportTraceServiceRequest> requests;
  for (int i = 0; i < kRequestsPerBatch; ++i) {
    requests.push_back(MakeRequest(i % std::size(kServices), start_ns));
  }
  int64_t written = 0;
  uint64_t n = 0;
  std::map<const ExportTraceServiceRequest*, uint64_t> request_shift;  // applied so far
  while (written < kLookupSpans) {
    StoreBatch batch;
    for (auto& request : requests) {
      auto* spans = request.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
      const int64_t left =
          kLookupSpans - written - static_cast<int64_t>(batch.traces.size()) * kSpansPerRequest;
      if (left <= 0) break;
      if (left < spans->size())
        spans->DeleteSubrange(static_cast<int>(left), spans->size() - static_cast<int>(left));
      RenumberRequest(request, kLookupSource, n * kTracesPerRequest);
      // Time moves on as in a live system: each request 1 s after the one
      // before it (the templates' spans span 0.5 s), so later blocks hold
      // later spans. Searches depend on that.
      for (auto& span : *spans) {
        const uint64_t shift = static_cast<uint64_t>(n) * 1000000000ULL - request_shift[&request];
        span.set_start_time_unix_nano(span.start_time_unix_nano() + shift);
        span.set_end_time_unix_nano(span.end_time_unix_nano() + shift);
      }
      request_shift[&request] = static_cast<uint64_t>(n) * 1000000000ULL;
      ++n;
      batch.traces.push_back(&request);
    }
    StoreCounts counts;
    if (auto e = store->Write(batch, &counts); !e.empty()) {
      *error = e;
      return {};
    }
    written += counts.spans;
  }
  std::fprintf(stderr, "collector_bench: wrote %lld spans to %s in %.1f s\n",
               static_cast<long long>(written), path.c_str(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return path.string();
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  const size_t k = std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

void BM_TraceLookupById(benchmark::State& state) {
  const bool http = state.range(0) != 0;
  std::string error;
  const std::string db = LookupDatabase(&error);
  if (db.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  CollectorOptions options = BenchOptions(db);
  options.grpc_port = -1;
  auto server = CollectorServer::Start(options, nullptr, &error);
  if (!server) {
    state.SkipWithError(error.c_str());
    return;
  }
  httplib::Client client("127.0.0.1", server->query_port());
  // Traces 0 .. traces-1 are whole (the last one written may be cut short).
  const uint64_t traces = kLookupSpans / kSpansPerTrace;
  std::mt19937_64 random(42);
  std::vector<double> micros;
  int64_t spans = 0;
  for (auto _ : state) {
    const std::string id = TraceIdOf(kLookupSource, random() % traces);
    const auto t0 = std::chrono::steady_clock::now();
    if (http) {
      auto response = client.Get("/api/traces/" + ToHex(id));
      if (!response || response->status != 200) {
        state.SkipWithError("GET /api/traces/{id} failed");
        break;
      }
      spans += static_cast<int64_t>(response->body.size() > 0);
    } else {
      const StoredTrace trace = server->store().GetTrace(id, &error);
      if (trace.spans.size() != static_cast<size_t>(kSpansPerTrace)) {
        state.SkipWithError(("trace not found: " + error).c_str());
        break;
      }
      spans += static_cast<int64_t>(trace.spans.size());
    }
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  benchmark::DoNotOptimize(spans);
  state.counters["p50_us"] = Percentile(micros, 0.50);
  state.counters["p99_us"] = Percentile(micros, 0.99);
}
BENCHMARK(BM_TraceLookupById)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// Jaeger searches over the same 1,000,000 spans, through the store: the 20
// most recent traces of a service (/0), of a service with a tag that one
// span in 37 carries (/1), and with a tag no span carries (/2: the search
// reads max_search_spans spans and gives up).
void BM_FindTraces(benchmark::State& state) {
  std::string error;
  const std::string db = LookupDatabase(&error);
  if (db.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  TraceStoreOptions options;
  options.path = db;
  options.retention = std::chrono::nanoseconds(0);
  auto store = TraceStore::Open(options, &error);
  if (!store) {
    state.SkipWithError(error.c_str());
    return;
  }
  TraceQuery query{.service = "broker", .limit = 20};
  if (state.range(0) == 1) query.tags = {{"agent.id", "agent-5"}};
  if (state.range(0) == 2) query.tags = {{"agent.id", "nobody"}};
  size_t found = 0;
  for (auto _ : state) {
    found = store->FindTraces(query, &error).size();
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      break;
    }
  }
  state.counters["traces"] = static_cast<double>(found);
}
BENCHMARK(BM_FindTraces)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace agenthub::collector

BENCHMARK_MAIN();
