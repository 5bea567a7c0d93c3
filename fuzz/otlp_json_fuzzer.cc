// Fuzz target: the collector's OTLP/JSON decoding (ParseJson, OTLP's hex ids
// and lowerCamelCase keys over protobuf's JSON mapping) and the validation
// that follows it, for traces and logs; metrics are decoded only (they have
// no per-item validation).
//
// The first byte picks the signal; the rest is the HTTP body.
// Invariants: whatever parses validates without crashing; after the
// invalid items are removed, validating again removes nothing and the
// counts add up; what we write back as OTLP/JSON parses again.
#include <string>

#include "collector/receiver/otlp_validation.h"
#include "fuzz_check.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "telemetry/otlp/otlp.h"

namespace {

namespace otlp = opentelemetry::proto::collector;
using agenthub::collector::ValidationResult;

template <typename Request, typename Validate>
void Check(std::string_view body, Validate validate) {
  Request request;
  std::string error;
  if (!agenthub::telemetry::ParseJson(body, &request, &error)) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  const ValidationResult first = validate(&request);
  FUZZ_CHECK(first.accepted >= 0 && first.rejected >= 0);
  FUZZ_CHECK(first.rejected == 0 || !first.message.empty());
  const ValidationResult again = validate(&request);
  FUZZ_CHECK(again.rejected == 0);
  FUZZ_CHECK(again.accepted == first.accepted);

  const std::string written = agenthub::telemetry::ToOtlpJson(request);
  Request reread;
  FUZZ_CHECK(agenthub::telemetry::ParseJson(written, &reread, &error));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body = agenthub::fuzz::AsView(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      Check<otlp::trace::v1::ExportTraceServiceRequest>(
          body, [](auto* r) { return agenthub::collector::RemoveInvalidSpans(r); });
      break;
    case 1:
      Check<otlp::logs::v1::ExportLogsServiceRequest>(
          body, [](auto* r) { return agenthub::collector::RemoveInvalidLogRecords(r); });
      break;
    default: {
      otlp::metrics::v1::ExportMetricsServiceRequest request;
      std::string error;
      if (agenthub::telemetry::ParseJson(body, &request, &error)) {
        otlp::metrics::v1::ExportMetricsServiceRequest reread;
        FUZZ_CHECK(agenthub::telemetry::ParseJson(agenthub::telemetry::ToOtlpJson(request), &reread,
                                                  &error));
      }
      break;
    }
  }
  return 0;
}
