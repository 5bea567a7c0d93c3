// W3C tracestate: an ordered list of at most 32 vendor entries (key=value).
//
// Immutable and cheap to copy (shared storage); every "modification" returns
// a new TraceState. Parse() rejects the whole header when any entry is
// invalid, as the W3C Recommendation asks ("an invalid tracestate is dropped
// whole"); Set() moves the modified key to the front (leftmost).
//
// Stored as its serialized header in one reference-counted allocation:
// extraction and injection, the hot paths, then cost one validation pass and
// one copy. The entries() vector is built on first use only.
#pragma once

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
  // Inline: every span start copies its parent's (usually empty) state.
  TraceState(const TraceState& other) : rep_(other.rep_), size_(other.size_) {
    if (rep_ != nullptr) AddRef(rep_);
  }
  TraceState(TraceState&& other) noexcept
      : rep_(std::exchange(other.rep_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  TraceState& operator=(const TraceState& other) {
    if (rep_ != other.rep_) {
      if (other.rep_ != nullptr) AddRef(other.rep_);
      if (rep_ != nullptr) Release(rep_);
      rep_ = other.rep_;
    }
    size_ = other.size_;
    return *this;
  }
  TraceState& operator=(TraceState&& other) noexcept {
    if (this != &other) {
      if (rep_ != nullptr) Release(rep_);
      rep_ = std::exchange(other.rep_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  ~TraceState() {
    if (rep_ != nullptr) Release(rep_);
  }

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

  // Serialized header value ("k1=v1,k2=v2", no optional whitespace); ""
  // when empty.
  std::string ToHeader() const;
  // The same without a copy; valid while this TraceState or a copy of it
  // lives.
  std::string_view header_view() const;

  std::optional<std::string_view> Get(std::string_view key) const;
  // New state with key=value at the front (replacing an older entry of that
  // key). When already full (32 entries) the rightmost entry is dropped.
  // Returns *this unchanged when key or value is invalid.
  TraceState Set(std::string_view key, std::string_view value) const;
  TraceState Remove(std::string_view key) const;

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  using Entry = std::pair<std::string, std::string>;
  // The entries in order. Built on the first call (thread-safe); prefer
  // Get() and ToHeader() on hot paths.
  const std::vector<Entry>& entries() const;

  friend bool operator==(const TraceState& a, const TraceState& b) {
    return a.header_view() == b.header_view();
  }

 private:
  struct Rep;  // reference count, lazily built entries, then the header bytes
  TraceState(Rep* rep, size_t size) : rep_(rep), size_(size) {}
  static TraceState FromMembers(const std::string_view* members, size_t count);
  static void AddRef(Rep* rep);
  static void Release(Rep* rep);

  Rep* rep_ = nullptr;  // shared, immutable once built; null when empty
  size_t size_ = 0;     // member count, kept here so empty() needs no indirection
};

}  // namespace agenthub::telemetry
