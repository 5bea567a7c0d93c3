#include "collector/receiver/otlp_ingest.h"

#include "collector/receiver/otlp_validation.h"
#include "telemetry/otlp/otlp_message_json.h"

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

}  // namespace

IngestOutcome OtlpIngest::IngestBytes(OtlpSignal signal, std::string_view body,
                                      PayloadEncoding encoding) {
  std::string error;
  switch (signal) {
    case OtlpSignal::kTraces: {
      auto request = NewArenaMessage<TraceRequest>(body.size());
      if (!Decode(body, encoding, request.get(), &error)) {
        ++counters_.requests;
        ++counters_.invalid_requests;
        return Invalid(error);
      }
      return IngestTraces(std::move(request), body.size());
    }
    case OtlpSignal::kLogs: {
      auto request = NewArenaMessage<LogsRequest>(body.size());
      if (!Decode(body, encoding, request.get(), &error)) {
        ++counters_.requests;
        ++counters_.invalid_requests;
        return Invalid(error);
      }
      return IngestLogs(std::move(request), body.size());
    }
    case OtlpSignal::kMetrics: {
      auto request = NewArenaMessage<MetricsRequest>(body.size());
      if (!Decode(body, encoding, request.get(), &error)) {
        ++counters_.requests;
        ++counters_.invalid_requests;
        return Invalid(error);
      }
      return IngestMetrics(std::move(request), body.size());
    }
  }
  return Invalid("unknown signal");
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

IngestOutcome OtlpIngest::IngestTraces(OwnedMessage<TraceRequest> request, size_t bytes) {
  ++counters_.requests;
  const ValidationResult valid = RemoveInvalidSpans(request.get());
  counters_.received_spans += valid.accepted + valid.rejected;
  counters_.rejected_spans += valid.rejected;
  IngestOutcome outcome;
  outcome.rejected = valid.rejected;
  outcome.rejected_message = valid.message;
  if (valid.accepted == 0) return outcome;
  const auto offer = queue_.Push(std::move(request), bytes, valid.accepted);
  if (offer != IngestQueue::Offer::kAccepted) {
    counters_.refused_spans += valid.accepted;
    return Refused(offer);
  }
  return outcome;
}

IngestOutcome OtlpIngest::IngestLogs(OwnedMessage<LogsRequest> request, size_t bytes) {
  ++counters_.requests;
  const ValidationResult valid = RemoveInvalidLogRecords(request.get());
  counters_.received_logs += valid.accepted + valid.rejected;
  counters_.rejected_logs += valid.rejected;
  IngestOutcome outcome;
  outcome.rejected = valid.rejected;
  outcome.rejected_message = valid.message;
  if (valid.accepted == 0) return outcome;
  const auto offer = queue_.Push(std::move(request), bytes, valid.accepted);
  if (offer != IngestQueue::Offer::kAccepted) {
    counters_.refused_logs += valid.accepted;
    return Refused(offer);
  }
  return outcome;
}

IngestOutcome OtlpIngest::IngestMetrics(OwnedMessage<MetricsRequest> request, size_t bytes) {
  ++counters_.requests;
  const int64_t points = CountPoints(*request);
  counters_.received_metric_points += points;
  if (request->resource_metrics_size() == 0) return {};
  const auto offer = queue_.Push(std::move(request), bytes, points);
  if (offer != IngestQueue::Offer::kAccepted) {
    counters_.refused_metric_points += points;
    return Refused(offer);
  }
  return {};
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
