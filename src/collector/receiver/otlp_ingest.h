// OtlpIngest: what every receiver does with an export request, whatever the
// transport: decode it (binary protobuf or OTLP/JSON), refuse invalid items
// one by one (partial success), hand the rest to the ingest queue, and say
// how to answer.
//
// Counts what it sees for the collector's /metrics. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "collector/receiver/ingest_queue.h"
#include "telemetry/otlp/otlp.h"

namespace agenthub::collector {

enum class PayloadEncoding { kProtobuf, kJson };

struct IngestOutcome {
  enum class Code {
    kOk,           // accepted (maybe with items refused: see rejected)
    kInvalid,      // undecodable: HTTP 400 / INVALID_ARGUMENT
    kUnavailable,  // the queue is full or closing: HTTP 503 / UNAVAILABLE
  };
  Code code = Code::kOk;
  std::string message;   // why, when not kOk
  int64_t rejected = 0;  // kOk: items refused
  std::string rejected_message;
};

struct ReceiverCounters {
  std::atomic<int64_t> requests{0};
  std::atomic<int64_t> invalid_requests{0};  // undecodable
  std::atomic<int64_t> refused_requests{0};  // queue full or closing
  std::atomic<int64_t> received_spans{0};    // decoded, valid or not
  std::atomic<int64_t> rejected_spans{0};    // invalid, per partial success
  std::atomic<int64_t> refused_spans{0};     // valid but the queue was full
  std::atomic<int64_t> received_logs{0};
  std::atomic<int64_t> rejected_logs{0};
  std::atomic<int64_t> refused_logs{0};
  std::atomic<int64_t> received_metric_points{0};
  std::atomic<int64_t> refused_metric_points{0};
};

class OtlpIngest {
 public:
  using TraceRequest = IngestQueue::TraceRequest;
  using LogsRequest = IngestQueue::LogsRequest;
  using MetricsRequest = IngestQueue::MetricsRequest;
  // `queue` must outlive this.
  explicit OtlpIngest(IngestQueue& queue) : queue_(queue) {}

  // Decodes `body` as the Export<Signal>ServiceRequest of `signal`.
  IngestOutcome IngestBytes(telemetry::OtlpSignal signal, std::string_view body,
                            PayloadEncoding encoding);

  // Already decoded requests; `bytes` is their encoded size.
  IngestOutcome IngestTraces(OwnedMessage<TraceRequest> request, size_t bytes);
  IngestOutcome IngestLogs(OwnedMessage<LogsRequest> request, size_t bytes);
  IngestOutcome IngestMetrics(OwnedMessage<MetricsRequest> request, size_t bytes);

  // For a request a receiver could not decode itself.
  void CountInvalidRequest() {
    ++counters_.requests;
    ++counters_.invalid_requests;
  }

  // The Export<Signal>ServiceResponse for a kOk outcome, with
  // partial_success set when items were refused.
  static std::unique_ptr<google::protobuf::Message> MakeResponse(telemetry::OtlpSignal signal,
                                                                 const IngestOutcome& outcome);

  const ReceiverCounters& counters() const { return counters_; }
  IngestQueue& queue() { return queue_; }

 private:
  // The one path every signal takes (the public methods name the signal).
  template <typename Request>
  IngestOutcome DecodeAndIngest(std::string_view body, PayloadEncoding encoding);
  template <typename Request>
  IngestOutcome Ingest(OwnedMessage<Request> request, size_t bytes);
  IngestOutcome Refused(IngestQueue::Offer offer);

  IngestQueue& queue_;
  ReceiverCounters counters_;
};

}  // namespace agenthub::collector
