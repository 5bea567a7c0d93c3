// Fuzz target: TraceState::Parse, the tracestate header of every traced
// request.
//
// Invariants: what parses has at most 32 members, each with a valid key and
// value, keys unique; the serialized header is the members joined with ','
// and parses back to an equal state; Get finds every member; Set and Remove
// keep the size rules; and Extract keeps exactly what Parse accepts.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "telemetry/propagation/map_carrier.h"
#include "telemetry/propagation/w3c_trace_context.h"
#include "telemetry/trace/trace_state.h"

namespace agenthub::telemetry {
namespace {

constexpr char kTraceParent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

void CheckParsed(const TraceState& state) {
  FUZZ_CHECK(state.size() <= TraceState::kMaxMembers);
  const std::string header = state.ToHeader();
  FUZZ_CHECK(header == state.header_view());
  FUZZ_CHECK(state.empty() == header.empty());

  const std::vector<TraceState::Entry>& entries = state.entries();
  FUZZ_CHECK(entries.size() == state.size());
  std::string joined;
  std::set<std::string> keys;
  for (const auto& [key, value] : entries) {
    FUZZ_CHECK(TraceState::IsValidKey(key));
    FUZZ_CHECK(TraceState::IsValidValue(value));
    FUZZ_CHECK(keys.insert(key).second);
    FUZZ_CHECK(state.Get(key) == std::optional<std::string_view>(value));
    if (!joined.empty()) joined += ',';
    joined += key + "=" + value;
  }
  FUZZ_CHECK(joined == header);

  const std::optional<TraceState> again = TraceState::Parse(header);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == state);
  FUZZ_CHECK(again->size() == state.size());

  if (entries.empty()) return;
  // Setting an existing key moves it to the front without growing.
  const TraceState moved = state.Set(entries.back().first, entries.back().second);
  FUZZ_CHECK(moved.size() == state.size());
  FUZZ_CHECK(moved.entries().front() == entries.back());
  const TraceState removed = state.Remove(entries.front().first);
  FUZZ_CHECK(removed.size() == state.size() - 1);
  FUZZ_CHECK(!removed.Get(entries.front().first).has_value());
}

}  // namespace
}  // namespace agenthub::telemetry

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace telemetry = agenthub::telemetry;
  const std::string_view input = agenthub::fuzz::AsView(data, size);
  const std::optional<telemetry::TraceState> parsed = telemetry::TraceState::Parse(input);
  if (parsed) telemetry::CheckParsed(*parsed);

  // Behind a valid traceparent, Extract keeps the state Parse accepts and
  // drops whole what it rejects, keeping the span context either way.
  const std::map<std::string, std::string> headers = {{"traceparent", telemetry::kTraceParent},
                                                      {"tracestate", std::string(input)}};
  const telemetry::Context extracted = telemetry::W3CTraceContextPropagator().Extract(
      telemetry::MapCarrier(headers), telemetry::Context());
  const telemetry::SpanContext& span = extracted.span().context();
  FUZZ_CHECK(span.IsValid());
  FUZZ_CHECK(span.trace_state() == (parsed ? *parsed : telemetry::TraceState()));
  return 0;
}
