// W3C tracestate: an ordered list of at most 32 vendor entries (key=value).
//
// Immutable and cheap to copy (shared storage); every "modification" returns
// a new TraceState. Parse() rejects the whole header when any entry is
// invalid, as the W3C Recommendation asks ("an invalid tracestate is dropped
// whole"); Set() moves the modified key to the front (leftmost).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agenthub::telemetry {

class TraceState {
 public:
  static constexpr size_t kMaxMembers = 32;

  TraceState() = default;

  // Parses a tracestate header value (possibly combined from several header
  // lines with ','). Empty list members (",,") are allowed and skipped.
  // nullopt when any member is malformed, a key repeats, or there are more
  // than 32 members.
  static std::optional<TraceState> Parse(std::string_view header);

  // Key grammar: simple-key = lcalpha 0*255(lcalpha / DIGIT / "_" / "-"/ "*" / "/")
  // or multi-tenant tenant@system (tenant: 1-241 chars, system: 1-14 chars).
  static bool IsValidKey(std::string_view key);
  // Value grammar: 1-256 printable ASCII chars except ',' and '=', not ending in space.
  static bool IsValidValue(std::string_view value);

  // Serialized header value; "" when empty.
  std::string ToHeader() const;

  std::optional<std::string_view> Get(std::string_view key) const;
  // New state with key=value at the front (replacing an older entry of that
  // key). When already full (32 entries) the rightmost entry is dropped.
  // Returns *this unchanged when key or value is invalid.
  TraceState Set(std::string_view key, std::string_view value) const;
  TraceState Remove(std::string_view key) const;

  bool empty() const { return !entries_ || entries_->empty(); }
  size_t size() const { return entries_ ? entries_->size() : 0; }
  using Entry = std::pair<std::string, std::string>;
  const std::vector<Entry>& entries() const;

  friend bool operator==(const TraceState& a, const TraceState& b) {
    return a.entries() == b.entries();
  }

 private:
  explicit TraceState(std::vector<Entry> entries);
  std::shared_ptr<const std::vector<Entry>> entries_;
};

}  // namespace agenthub::telemetry
