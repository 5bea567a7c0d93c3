// CompositePropagator: several propagators acting as one (for example W3C
// Trace Context plus W3C Baggage, the OpenTelemetry default).
//
// Inject runs every propagator in order, each writing its own fields.
// Extract chains them: each gets the context the previous one returned, so
// a later propagator wins where two extract the same thing (a span).
// With no propagators it propagates nothing (OTEL_PROPAGATORS=none).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "telemetry/propagation/text_map.h"

namespace agenthub::telemetry {

class CompositePropagator final : public TextMapPropagator {
 public:
  // Null entries are ignored.
  explicit CompositePropagator(std::vector<std::shared_ptr<const TextMapPropagator>> propagators);

  void Inject(const Context& context, TextMapCarrier& carrier) const override;
  Context Extract(const TextMapCarrier& carrier, const Context& context) const override;
  // The union of the members' fields, in order, without repeats.
  std::vector<std::string> Fields() const override;

  size_t size() const { return propagators_.size(); }

 private:
  std::vector<std::shared_ptr<const TextMapPropagator>> propagators_;  // never null
};

}  // namespace agenthub::telemetry
