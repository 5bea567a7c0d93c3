// IngestQueue: the collector's memory limiter. Receivers hand it decoded,
// validated export requests; one writer thread drains it into the store in
// batches (one transaction each), so many small exports cost one commit.
//
// The queue is bounded by the bytes of the requests it holds (their encoded
// size, a fair proxy for memory) and by their count. A request that does not
// fit is refused at once (kFull): receivers answer 503 / UNAVAILABLE and the
// sender retries later. Nothing ever blocks a receiver thread on the store.
//
// The writer also applies retention every retention_interval, between
// batches, so deletes never race inserts.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "collector/receiver/owned_message.h"
#include "collector/store/trace_store.h"
#include "telemetry/otlp/otlp_signal.h"

namespace agenthub::collector {

struct IngestQueueOptions {
  size_t max_bytes = 64 * 1024 * 1024;
  size_t max_requests = 10000;
  // Spans, log records or metric points written per transaction, at most
  // (a single larger request is still written whole).
  size_t max_batch_items = 8192;
  // Zero disables the periodic retention pass (tests call the store).
  std::chrono::milliseconds retention_interval{std::chrono::seconds(30)};
};

// Running totals, readable at any time (for /metrics).
struct IngestCounters {
  std::atomic<int64_t> stored_spans{0};
  std::atomic<int64_t> stored_logs{0};
  std::atomic<int64_t> stored_metric_points{0};
  // Items accepted into the queue but lost because the store failed.
  std::atomic<int64_t> write_failed_items{0};
  std::atomic<int64_t> write_failures{0};  // failed transactions
  std::atomic<int64_t> retention_deleted_spans{0};
};

class IngestQueue {
 public:
  using TraceRequest = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
  using LogsRequest = opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
  using MetricsRequest = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;

  enum class Offer { kAccepted, kFull, kClosed };
  // Sees each request once it is stored (span metrics, forwarding), with
  // its signal: an Export<Signal>ServiceRequest. Runs on the writer thread,
  // so it must not block.
  using StoredObserver =
      std::function<void(telemetry::OtlpSignal signal, const google::protobuf::Message& request)>;

  // `store` must outlive the queue. Starts the writer thread.
  IngestQueue(TraceStore& store, IngestQueueOptions options = {});
  // Shutdown() if not done.
  ~IngestQueue();
  IngestQueue(const IngestQueue&) = delete;
  IngestQueue& operator=(const IngestQueue&) = delete;

  // Call before the first Push.
  void AddStoredObserver(StoredObserver observer) { observers_.push_back(std::move(observer)); }

  // `bytes` is the request's encoded size, `items` its spans/records/points.
  Offer Push(OwnedMessage<TraceRequest> request, size_t bytes, int64_t items);
  Offer Push(OwnedMessage<LogsRequest> request, size_t bytes, int64_t items);
  Offer Push(OwnedMessage<MetricsRequest> request, size_t bytes, int64_t items);

  // Waits until everything accepted before the call has been written (or
  // its write failed). For tests and orderly shutdown.
  void Flush();

  // Refuses new requests (kClosed), writes what is queued, stops the
  // writer. Idempotent.
  void Shutdown();

  size_t queued_bytes() const { return queued_bytes_.load(); }
  size_t queued_requests() const { return queued_requests_.load(); }
  const IngestCounters& counters() const { return counters_; }

 private:
  struct Item {
    std::variant<OwnedMessage<TraceRequest>, OwnedMessage<LogsRequest>,
                 OwnedMessage<MetricsRequest>>
        request;
    size_t bytes = 0;
    int64_t items = 0;
  };

  Offer PushItem(Item item);
  void Run();
  void WriteBatch(std::deque<Item>& batch);

  TraceStore& store_;
  const IngestQueueOptions options_;
  std::mutex mu_;
  std::condition_variable work_cv_;  // the writer waits for items or shutdown
  std::condition_variable done_cv_;  // Flush waits for written_ to advance
  std::deque<Item> items_;           // guarded by mu_
  uint64_t accepted_ = 0;            // requests ever accepted; guarded by mu_
  uint64_t written_ = 0;             // requests ever written or failed; guarded by mu_
  bool closed_ = false;              // guarded by mu_
  std::atomic<size_t> queued_bytes_{0};
  std::atomic<size_t> queued_requests_{0};
  IngestCounters counters_;
  std::vector<StoredObserver> observers_;  // added before the first Push
  std::thread writer_;
};

}  // namespace agenthub::collector
