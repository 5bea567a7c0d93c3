#include "collector/receiver/otlp_ingest.h"

#include "collector/receiver/otlp_validation.h"
#include "telemetry/otlp/otlp.h"

namespace agenthub::collector {
namespace {

using opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse;
using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using opentelemetry::proto::metrics::v1::Metric;
using telemetry::OtlpSignal;

int64_t CountPoints(const IngestQueue::MetricsRequest& request) {
  int64_t points = 0;
  for (const auto& rm : request.resource_metrics()) {
    for (const auto& sm : rm.scope_metrics()) {
      for (const auto& metric : sm.metrics()) {
        switch (metric.data_case()) {
          case Metric::kGauge:
            points += metric.gauge().data_points_size();
            break;
          case Metric::kSum:
            points += metric.sum().data_points_size();
            break;
          case Metric::kHistogram:
            points += metric.histogram().data_points_size();
            break;
          case Metric::kExponentialHistogram:
            points += metric.exponential_histogram().data_points_size();
            break;
          case Metric::kSummary:
            points += metric.summary().data_points_size();
            break;
          case Metric::DATA_NOT_SET:
            break;
        }
      }
    }
  }
  return points;
}

template <typename Request>
bool Decode(std::string_view body, PayloadEncoding encoding, Request* request, std::string* error) {
  if (encoding == PayloadEncoding::kJson) {
    if (telemetry::ParseJson(body, request, error)) return true;
    *error = "invalid OTLP/JSON " + request->GetDescriptor()->name() + ": " + *error;
    return false;
  }
  if (request->ParseFromArray(body.data(), static_cast<int>(body.size()))) return true;
  *error = "invalid protobuf: the body is not an encoded " + request->GetDescriptor()->name();
  return false;
}

IngestOutcome Invalid(std::string message) {
  IngestOutcome outcome;
  outcome.code = IngestOutcome::Code::kInvalid;
  outcome.message = std::move(message);
  return outcome;
}

// What a request holds once its invalid items are removed: `empty`
// requests are answered without being queued.
struct Screened {
  int64_t accepted = 0;
  int64_t rejected = 0;
  std::string message;
  bool empty = false;
};

// The counters one signal's items go to (`rejected` may be null).
struct ItemCounters {
  std::atomic<int64_t>* received;
  std::atomic<int64_t>* rejected;
  std::atomic<int64_t>* refused;
};

// What differs between the signals on the way in: how a request is
// screened, and which counters its items go to.
Screened FromValidation(ValidationResult valid) {
  return {valid.accepted, valid.rejected, std::move(valid.message), valid.accepted == 0};
}
Screened Screen(IngestQueue::TraceRequest* request) {
  return FromValidation(RemoveInvalidSpans(request));
}
Screened Screen(IngestQueue::LogsRequest* request) {
  return FromValidation(RemoveInvalidLogRecords(request));
}
// Metric points are not validated one by one; a request with resources but
// no points is still stored.
Screened Screen(IngestQueue::MetricsRequest* request) {
  return {CountPoints(*request), 0, {}, request->resource_metrics_size() == 0};
}

ItemCounters CountersFor(ReceiverCounters& c, const IngestQueue::TraceRequest*) {
  return {&c.received_spans, &c.rejected_spans, &c.refused_spans};
}
ItemCounters CountersFor(ReceiverCounters& c, const IngestQueue::LogsRequest*) {
  return {&c.received_logs, &c.rejected_logs, &c.refused_logs};
}
ItemCounters CountersFor(ReceiverCounters& c, const IngestQueue::MetricsRequest*) {
  return {&c.received_metric_points, nullptr, &c.refused_metric_points};
}

}  // namespace

IngestOutcome OtlpIngest::IngestBytes(OtlpSignal signal, std::string_view body,
                                      PayloadEncoding encoding) {
  switch (signal) {
    case OtlpSignal::kTraces:
      return DecodeAndIngest<TraceRequest>(body, encoding);
    case OtlpSignal::kLogs:
      return DecodeAndIngest<LogsRequest>(body, encoding);
    case OtlpSignal::kMetrics:
      return DecodeAndIngest<MetricsRequest>(body, encoding);
  }
  return Invalid("unknown signal");
}

template <typename Request>
IngestOutcome OtlpIngest::DecodeAndIngest(std::string_view body, PayloadEncoding encoding) {
  std::string error;
  auto request = NewArenaMessage<Request>(body.size());
  if (!Decode(body, encoding, request.get(), &error)) {
    CountInvalidRequest();
    return Invalid(error);
  }
  return Ingest(std::move(request), body.size());
}

IngestOutcome OtlpIngest::Refused(IngestQueue::Offer offer) {
  ++counters_.refused_requests;
  IngestOutcome outcome;
  outcome.code = IngestOutcome::Code::kUnavailable;
  outcome.message = offer == IngestQueue::Offer::kClosed
                        ? "the collector is shutting down"
                        : "the collector's ingest queue is full; retry later";
  return outcome;
}

template <typename Request>
IngestOutcome OtlpIngest::Ingest(OwnedMessage<Request> request, size_t bytes) {
  ++counters_.requests;
  const Screened screened = Screen(request.get());
  const ItemCounters counters = CountersFor(counters_, request.get());
  *counters.received += screened.accepted + screened.rejected;
  if (counters.rejected != nullptr) *counters.rejected += screened.rejected;
  IngestOutcome outcome;
  outcome.rejected = screened.rejected;
  outcome.rejected_message = screened.message;
  if (screened.empty) return outcome;
  const auto offer = queue_.Push(std::move(request), bytes, screened.accepted);
  if (offer != IngestQueue::Offer::kAccepted) {
    *counters.refused += screened.accepted;
    return Refused(offer);
  }
  return outcome;
}

IngestOutcome OtlpIngest::IngestTraces(OwnedMessage<TraceRequest> request, size_t bytes) {
  return Ingest(std::move(request), bytes);
}

IngestOutcome OtlpIngest::IngestLogs(OwnedMessage<LogsRequest> request, size_t bytes) {
  return Ingest(std::move(request), bytes);
}

IngestOutcome OtlpIngest::IngestMetrics(OwnedMessage<MetricsRequest> request, size_t bytes) {
  return Ingest(std::move(request), bytes);
}

std::unique_ptr<google::protobuf::Message> OtlpIngest::MakeResponse(OtlpSignal signal,
                                                                    const IngestOutcome& outcome) {
  const bool partial = outcome.rejected > 0;
  switch (signal) {
    case OtlpSignal::kTraces: {
      auto response = std::make_unique<ExportTraceServiceResponse>();
      if (partial) {
        response->mutable_partial_success()->set_rejected_spans(outcome.rejected);
        response->mutable_partial_success()->set_error_message(outcome.rejected_message);
      }
      return response;
    }
    case OtlpSignal::kLogs: {
      auto response = std::make_unique<ExportLogsServiceResponse>();
      if (partial) {
        response->mutable_partial_success()->set_rejected_log_records(outcome.rejected);
        response->mutable_partial_success()->set_error_message(outcome.rejected_message);
      }
      return response;
    }
    case OtlpSignal::kMetrics:
      break;
  }
  return std::make_unique<ExportMetricsServiceResponse>();
}

}  // namespace agenthub::collector
