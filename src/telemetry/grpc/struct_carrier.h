// StructCarrier: a TextMapCarrier over a google::protobuf::Struct of string
// fields. This is how trace context travels inside AgentHub messages:
// TaskMessage.metadata.trace_headers (and the result's execution_metadata,
// the progress update's progress_data) hold {traceparent, tracestate,
// baggage} as string values, as the original AgentHub wrote them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/struct.pb.h>

#include "telemetry/context/context.h"
#include "telemetry/propagation/text_map.h"

namespace agenthub::telemetry {

class StructCarrier final : public TextMapCarrier {
 public:
  // Read-write. `fields` must outlive the carrier.
  explicit StructCarrier(google::protobuf::Struct* fields) : read_(fields), write_(fields) {}
  // Read-only: Set() does nothing. `fields` must outlive the carrier.
  explicit StructCarrier(const google::protobuf::Struct& fields) : read_(&fields) {}

  // The string_value of `key` ("" when absent or not a string). The exact key
  // first, then any case (other SDKs may have written "Traceparent").
  std::string Get(std::string_view key) const override;
  // The same as a view of the stored string_value: always available, since
  // a Struct holds one value per key.
  std::optional<std::string_view> GetView(std::string_view key) const override;
  // Sets `key` to a string_value, replacing whatever it held.
  void Set(std::string_view key, std::string_view value) override;

 private:
  const google::protobuf::Struct* read_;       // not owned
  google::protobuf::Struct* write_ = nullptr;  // not owned; null when read-only
};

// The Struct field that holds the propagation headers inside a metadata
// Struct.
inline constexpr std::string_view kTraceHeadersField = "trace_headers";

// Writes what `propagator` injects for `context` to
// metadata->fields["trace_headers"] as a nested Struct, replacing any
// earlier trace_headers (a broker re-injects its own span). When the
// propagator writes nothing (no valid span, no baggage), trace_headers is
// removed so that a stale parent never travels on.
void InjectTraceHeaders(const Context& context, google::protobuf::Struct* metadata,
                        const TextMapPropagator& propagator);

// Extracts from metadata.fields["trace_headers"] on top of `base`; `base`
// unchanged when that field is absent or not a Struct.
Context ExtractTraceHeaders(const google::protobuf::Struct& metadata,
                            const TextMapPropagator& propagator, const Context& base);

}  // namespace agenthub::telemetry
