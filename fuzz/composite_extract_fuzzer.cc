// Fuzz target: the whole Extract path a server runs on incoming headers:
// W3C Trace Context, W3C Baggage and B3 chained by a CompositePropagator,
// reading a MapCarrier. The input is a header block, one "name:value" per
// line; names may repeat and differ in case.
//
// Invariants: a carrier's GetView, when it gives a view, shows exactly what
// Get returns; a std::multimap of the headers and a std::map holding each
// name's values already joined with ',' (what an HTTP stack would hand us)
// extract the same context; and what was extracted, injected again,
// extracts to the same span and baggage.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "telemetry/propagation/b3.h"
#include "telemetry/propagation/composite.h"
#include "telemetry/propagation/map_carrier.h"
#include "telemetry/propagation/w3c_baggage.h"
#include "telemetry/propagation/w3c_trace_context.h"

namespace agenthub::telemetry {
namespace {

const CompositePropagator& Propagator() {
  static const CompositePropagator* const propagator = new CompositePropagator(
      {std::make_shared<W3CTraceContextPropagator>(), std::make_shared<W3CBaggagePropagator>(),
       std::make_shared<B3Propagator>()});
  return *propagator;
}

// The names the propagators read, and the same in other cases.
const std::vector<std::string>& Keys() {
  static const std::vector<std::string>* const keys = [] {
    auto* out = new std::vector<std::string>(Propagator().Fields());
    out->push_back("TraceParent");
    out->push_back("BAGGAGE");
    out->push_back("X-B3-TraceId");
    return out;
  }();
  return *keys;
}

void CheckViews(const TextMapCarrier& carrier) {
  for (const std::string& key : Keys()) {
    const std::optional<std::string_view> view = carrier.GetView(key);
    if (view) FUZZ_CHECK(*view == carrier.Get(key));
  }
}

bool SameSpan(const SpanContext& a, const SpanContext& b) {
  return a.IsValid() == b.IsValid() && a.trace_id() == b.trace_id() && a.span_id() == b.span_id() &&
         a.IsSampled() == b.IsSampled();
}

}  // namespace
}  // namespace agenthub::telemetry

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace telemetry = agenthub::telemetry;
  std::string_view input = agenthub::fuzz::AsView(data, size);
  std::multimap<std::string, std::string> lines;
  std::map<std::string, std::string> joined;
  while (!input.empty()) {
    const size_t newline = input.find('\n');
    const std::string_view line = input.substr(0, newline);
    input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string key(line.substr(0, colon));
    const std::string_view value = line.substr(colon + 1);
    lines.emplace(key, value);
    auto [it, inserted] = joined.try_emplace(key, value);
    if (!inserted) it->second.append(",").append(value);
  }

  const telemetry::MapCarrier multi_carrier(lines);
  const telemetry::MapCarrier joined_carrier(joined);
  telemetry::CheckViews(multi_carrier);
  telemetry::CheckViews(joined_carrier);

  const auto& propagator = telemetry::Propagator();
  const telemetry::Context from_multi = propagator.Extract(multi_carrier, telemetry::Context());
  const telemetry::Context from_joined = propagator.Extract(joined_carrier, telemetry::Context());
  FUZZ_CHECK(from_multi.span().context() == from_joined.span().context());
  FUZZ_CHECK(from_multi.baggage() == from_joined.baggage());

  std::map<std::string, std::string> injected;
  telemetry::MapCarrier out(injected);
  propagator.Inject(from_multi, out);
  telemetry::CheckViews(out);
  const telemetry::Context again = propagator.Extract(out, telemetry::Context());
  FUZZ_CHECK(telemetry::SameSpan(again.span().context(), from_multi.span().context()));
  FUZZ_CHECK(again.baggage() == from_multi.baggage());
  return 0;
}
