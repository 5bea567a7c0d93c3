// Carriers and propagators: how a Context crosses a process boundary inside
// string key/value headers (OpenTelemetry TextMapPropagator).
//
// A carrier adapts whatever holds the headers (a std::map, gRPC metadata, a
// protobuf Struct) to Get/Set by key. Keys given by propagators are
// lowercase; carriers over case-insensitive headers compare accordingly.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/context/context.h"

namespace agenthub::telemetry {

class TextMapCarrier {
 public:
  virtual ~TextMapCarrier() = default;
  // The value of `key`, or "" when absent. When a carrier holds several
  // values for one key, they are joined with ',' (W3C: tracestate and
  // baggage may arrive as several header lines).
  virtual std::string Get(std::string_view key) const = 0;
  // Optional fast path: the value Get(key) would return, as a view into the
  // carrier's own storage, so reading a header costs no allocation. Valid
  // until the carrier's storage changes. nullopt means "not available as
  // one contiguous view" (several values to join, or a carrier that does
  // not store strings): call Get. A carrier may return an empty view for an
  // absent key, sparing the caller a second lookup.
  virtual std::optional<std::string_view> GetView(std::string_view /*key*/) const {
    return std::nullopt;
  }
  // Sets `key` (replacing an older value where the carrier can).
  virtual void Set(std::string_view key, std::string_view value) = 0;
};

// How propagators read a header: through GetView when the carrier offers
// it, else through Get into `scratch`. The result lives as long as both the
// carrier's storage and `scratch` are unchanged.
inline std::string_view ReadField(const TextMapCarrier& carrier, std::string_view key,
                                  std::string& scratch) {
  if (std::optional<std::string_view> view = carrier.GetView(key)) return *view;
  scratch = carrier.Get(key);
  return scratch;
}

class TextMapPropagator {
 public:
  virtual ~TextMapPropagator() = default;
  virtual void Inject(const Context& context, TextMapCarrier& carrier) const = 0;
  // Returns `context` plus what the carrier holds. Malformed headers are
  // ignored (the result is then `context` unchanged for that part), never
  // an error: a bad header from a peer must not break the request.
  virtual Context Extract(const TextMapCarrier& carrier, const Context& context) const = 0;
  // The header names this propagator reads and writes.
  virtual std::vector<std::string> Fields() const = 0;
};

}  // namespace agenthub::telemetry
