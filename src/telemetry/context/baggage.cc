#include "telemetry/context/baggage.h"

namespace agenthub::telemetry {
namespace {

const std::vector<Baggage::Entry>& EmptyEntries() {
  static const std::vector<Baggage::Entry> empty;
  return empty;
}

// Key equality with a cheap rejection first: keys of one baggage often share
// a prefix and a length ("key0", "key1"), which std::string's == only tells
// apart after a memcmp call.
inline bool SameKey(const std::string& a, const std::string& b) {
  return a.size() == b.size() && (a.empty() || a.back() == b.back()) && a == b;
}

}  // namespace

Baggage::Baggage(std::vector<Entry> entries)
    : entries_(entries.empty() ? nullptr
                               : std::make_shared<const std::vector<Entry>>(std::move(entries))) {}

Baggage Baggage::FromEntries(std::vector<Entry> entries) {
  // In place: keep the first occurrence of each key, give it the value of the
  // last one. Quadratic, but baggage lists are short (the W3C limits are tens
  // of members) and this avoids a hash set allocation on the hot path.
  size_t kept = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].key.empty()) continue;
    bool merged = false;
    for (size_t j = 0; j < kept; ++j) {
      if (SameKey(entries[j].key, entries[i].key)) {
        entries[j].value = std::move(entries[i].value);
        entries[j].metadata = std::move(entries[i].metadata);
        merged = true;
        break;
      }
    }
    if (merged) continue;
    if (kept != i) entries[kept] = std::move(entries[i]);
    ++kept;
  }
  entries.resize(kept);
  return Baggage(std::move(entries));
}

const std::vector<Baggage::Entry>& Baggage::entries() const {
  return entries_ ? *entries_ : EmptyEntries();
}

const Baggage::Entry* Baggage::Find(std::string_view key) const {
  for (const Entry& e : entries()) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::optional<std::string_view> Baggage::Get(std::string_view key) const {
  const Entry* e = Find(key);
  if (e == nullptr) return std::nullopt;
  return std::string_view(e->value);
}

Baggage Baggage::Set(std::string_view key, std::string_view value,
                     std::string_view metadata) const {
  if (key.empty()) return *this;
  std::vector<Entry> entries = this->entries();
  for (Entry& e : entries) {
    if (e.key == key) {
      e.value.assign(value);
      e.metadata.assign(metadata);
      return Baggage(std::move(entries));
    }
  }
  entries.push_back(Entry{std::string(key), std::string(value), std::string(metadata)});
  return Baggage(std::move(entries));
}

Baggage Baggage::Remove(std::string_view key) const {
  if (Find(key) == nullptr) return *this;
  std::vector<Entry> entries;
  entries.reserve(size() - 1);
  for (const Entry& e : this->entries()) {
    if (e.key != key) entries.push_back(e);
  }
  return Baggage(std::move(entries));
}

}  // namespace agenthub::telemetry
