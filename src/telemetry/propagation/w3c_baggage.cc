#include "telemetry/propagation/w3c_baggage.h"

#include <algorithm>
#include <utility>

#include "telemetry/propagation/baggage_codec.h"

namespace agenthub::telemetry {
namespace {

using internal::TrimOws;

// Parses one trimmed, non-empty list-member. `wire_size` receives the size
// Serialize gives it, which is what the byte limit counts: so whatever Parse
// keeps can be sent on again. (Not the raw size: a byte that is not UTF-8,
// "%FF", decodes to U+FFFD and is re-encoded as "%EF%BF%BD", three times
// longer.)
bool ParseMember(std::string_view member, Baggage::Entry& entry, size_t& wire_size) {
  const size_t eq = member.find('=');
  if (eq == std::string_view::npos) return false;
  const std::string_view key = TrimOws(member.substr(0, eq));
  if (!internal::IsToken(key)) return false;
  std::string_view rest = member.substr(eq + 1);
  const size_t semi = rest.find(';');
  const std::string_view raw_value = TrimOws(rest.substr(0, semi));
  if (!internal::PercentDecode(raw_value, entry.value)) return false;
  entry.metadata.clear();
  if (semi != std::string_view::npos &&
      !internal::NormalizeProperties(rest.substr(semi + 1), entry.metadata)) {
    return false;
  }
  entry.key.assign(key);
  wire_size = key.size() + 1 + internal::PercentEncodedSize(entry.value) +
              (entry.metadata.empty() ? 0 : 1 + entry.metadata.size());
  return true;
}

}  // namespace

Baggage W3CBaggagePropagator::Parse(std::string_view header) {
  std::vector<Baggage::Entry> entries;
  size_t bytes = 0;
  Baggage::Entry entry;
  while (entries.size() < kMaxMembers) {
    const size_t comma = header.find(',');
    const std::string_view member = TrimOws(header.substr(0, comma));
    size_t wire_size = 0;
    if (!member.empty() && ParseMember(member, entry, wire_size)) {
      const size_t cost = wire_size + (entries.empty() ? 0 : 1);
      // A member that does not fit is dropped whole; a later, smaller one
      // may still fit.
      if (bytes + cost <= kMaxBytes) {
        bytes += cost;
        if (entries.empty()) {
          // One allocation: at most one member per comma-separated part.
          const size_t parts =
              1 + static_cast<size_t>(std::count(header.begin(), header.end(), ','));
          entries.reserve(std::min(parts, kMaxMembers));
        }
        entries.push_back(std::move(entry));
        entry = Baggage::Entry();
      }
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return Baggage::FromEntries(std::move(entries));
}

std::string W3CBaggagePropagator::Serialize(const Baggage& baggage) {
  std::string out;
  size_t members = 0;
  for (const Baggage::Entry& e : baggage.entries()) {
    if (members == kMaxMembers) break;
    if (!internal::IsToken(e.key)) continue;
    const bool with_metadata = !e.metadata.empty() && internal::IsValidProperties(e.metadata);
    const size_t cost = (out.empty() ? 0 : 1) + e.key.size() + 1 +
                        internal::PercentEncodedSize(e.value) +
                        (with_metadata ? 1 + e.metadata.size() : 0);
    if (out.size() + cost > kMaxBytes) continue;
    if (out.empty()) out.reserve(64 * baggage.size() < kMaxBytes ? 64 * baggage.size() : kMaxBytes);
    if (!out.empty()) out += ',';
    out += e.key;
    out += '=';
    internal::AppendPercentEncoded(e.value, out);
    if (with_metadata) {
      out += ';';
      out += e.metadata;
    }
    ++members;
  }
  return out;
}

void W3CBaggagePropagator::Inject(const Context& context, TextMapCarrier& carrier) const {
  if (context.baggage().empty()) return;
  const std::string header = Serialize(context.baggage());
  if (!header.empty()) carrier.Set(kBaggageField, header);
}

Context W3CBaggagePropagator::Extract(const TextMapCarrier& carrier, const Context& context) const {
  std::string scratch;
  const std::string_view header = ReadField(carrier, kBaggageField, scratch);
  if (header.empty()) return context;
  return context.WithBaggage(Parse(header));
}

std::vector<std::string> W3CBaggagePropagator::Fields() const {
  return {std::string(kBaggageField)};
}

}  // namespace agenthub::telemetry
