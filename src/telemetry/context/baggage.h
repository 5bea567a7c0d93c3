// W3C Baggage: name/value pairs that travel with a request across processes
// (for example user.tier=premium set by a publisher, read by a subscriber).
//
// Immutable and cheap to copy; Set/Remove return a new Baggage. Names are
// case-sensitive. Each entry keeps its optional metadata (the ";property"
// part of the W3C header) verbatim so that it survives propagation.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agenthub::telemetry {

class Baggage {
 public:
  struct Entry {
    std::string key;
    std::string value;
    std::string metadata;  // properties after the value, without the leading ';'
    friend bool operator==(const Entry&, const Entry&) = default;
  };

  Baggage() = default;

  // Builds a baggage in one step, as if Set() were called for each entry in
  // order: entries with an empty key are dropped, and a repeated key keeps
  // the position of its first occurrence with the value of its last. Used by
  // propagators to avoid copying the list once per entry.
  static Baggage FromEntries(std::vector<Entry> entries);

  std::optional<std::string_view> Get(std::string_view key) const;
  const Entry* Find(std::string_view key) const;
  // Adds or replaces `key`; an empty key leaves the baggage unchanged.
  Baggage Set(std::string_view key, std::string_view value, std::string_view metadata = {}) const;
  Baggage Remove(std::string_view key) const;

  bool empty() const { return !entries_ || entries_->empty(); }
  size_t size() const { return entries_ ? entries_->size() : 0; }
  const std::vector<Entry>& entries() const;

  friend bool operator==(const Baggage& a, const Baggage& b) { return a.entries() == b.entries(); }

 private:
  explicit Baggage(std::vector<Entry> entries);
  std::shared_ptr<const std::vector<Entry>> entries_;
};

}  // namespace agenthub::telemetry
