#include "collector/receiver/ingest_queue.h"

#include "telemetry/telemetry.h"

namespace agenthub::collector {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

IngestQueue::IngestQueue(TraceStore& store, IngestQueueOptions options)
    : store_(store), options_(options), writer_([this] { Run(); }) {}

IngestQueue::~IngestQueue() { Shutdown(); }

IngestQueue::Offer IngestQueue::Push(OwnedMessage<TraceRequest> request, size_t bytes,
                                     int64_t items) {
  return PushItem({std::move(request), bytes, items});
}

IngestQueue::Offer IngestQueue::Push(OwnedMessage<LogsRequest> request, size_t bytes,
                                     int64_t items) {
  return PushItem({std::move(request), bytes, items});
}

IngestQueue::Offer IngestQueue::Push(OwnedMessage<MetricsRequest> request, size_t bytes,
                                     int64_t items) {
  return PushItem({std::move(request), bytes, items});
}

IngestQueue::Offer IngestQueue::PushItem(Item item) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return Offer::kClosed;
    // An empty queue takes any one request the receivers let through (they
    // enforce the request size limit), so a limit below one request's size
    // cannot wedge ingest.
    const bool empty = items_.empty();
    if (!empty && (queued_bytes_.load() + item.bytes > options_.max_bytes ||
                   items_.size() + 1 > options_.max_requests)) {
      return Offer::kFull;
    }
    queued_bytes_ += item.bytes;
    items_.push_back(std::move(item));
    queued_requests_ = items_.size();
    ++accepted_;
  }
  work_cv_.notify_one();
  return Offer::kAccepted;
}

void IngestQueue::Flush() {
  std::unique_lock lock(mu_);
  const uint64_t target = accepted_;
  done_cv_.wait(lock, [&] { return written_ >= target; });
}

void IngestQueue::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (closed_ && !writer_.joinable()) return;
    closed_ = true;
  }
  work_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void IngestQueue::Run() {
  auto next_retention = std::chrono::steady_clock::now() + options_.retention_interval;
  std::deque<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      const bool periodic = options_.retention_interval.count() > 0;
      auto ready = [&] { return closed_ || !items_.empty(); };
      if (periodic) {
        work_cv_.wait_until(lock, next_retention, ready);
      } else {
        work_cv_.wait(lock, ready);
      }
      // Take whole requests up to the batch size (at least one).
      size_t taken = 0;
      while (!items_.empty() &&
             (batch.empty() || taken + items_.front().items <= options_.max_batch_items)) {
        taken += items_.front().items;
        queued_bytes_ -= items_.front().bytes;
        batch.push_back(std::move(items_.front()));
        items_.pop_front();
      }
      queued_requests_ = items_.size();
      if (batch.empty() && closed_) return;
    }
    if (!batch.empty()) WriteBatch(batch);
    if (options_.retention_interval.count() > 0 &&
        std::chrono::steady_clock::now() >= next_retention) {
      std::string error;
      const StoreCounts deleted = store_.ApplyRetention(NowNs(), &error);
      counters_.retention_deleted_spans += deleted.spans;
      if (!error.empty()) telemetry::ReportWarning("collector retention failed: " + error);
      next_retention = std::chrono::steady_clock::now() + options_.retention_interval;
    }
  }
}

void IngestQueue::WriteBatch(std::deque<Item>& batch) {
  StoreBatch store_batch;
  int64_t items = 0;
  for (const Item& item : batch) {
    items += item.items;
    std::visit(
        [&](const auto& request) {
          using T = std::decay_t<decltype(*request)>;
          if constexpr (std::is_same_v<T, TraceRequest>) {
            store_batch.traces.push_back(request.get());
          } else if constexpr (std::is_same_v<T, LogsRequest>) {
            store_batch.logs.push_back(request.get());
          } else {
            store_batch.metrics.push_back(request.get());
          }
        },
        item.request);
  }
  StoreCounts written;
  const std::string error = store_.Write(store_batch, &written);
  if (error.empty()) {
    counters_.stored_spans += written.spans;
    counters_.stored_logs += written.logs;
    counters_.stored_metric_points += written.metric_points;
    for (const auto& observer : observers_) {
      for (const auto* r : store_batch.traces) observer(telemetry::OtlpSignal::kTraces, *r);
      for (const auto* r : store_batch.logs) observer(telemetry::OtlpSignal::kLogs, *r);
      for (const auto* r : store_batch.metrics) observer(telemetry::OtlpSignal::kMetrics, *r);
    }
  } else {
    counters_.write_failures += 1;
    counters_.write_failed_items += items;
    telemetry::ReportWarning("collector could not store " + std::to_string(items) +
                             " items: " + error);
  }
  const size_t count = batch.size();
  // Free the requests before waking Flush, so memory is back when it returns.
  batch.clear();
  {
    std::lock_guard lock(mu_);
    written_ += count;
  }
  done_cv_.notify_all();
}

}  // namespace agenthub::collector
