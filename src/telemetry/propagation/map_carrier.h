// MapCarrier: a TextMapCarrier over a standard string-to-string map
// (std::map, std::unordered_map, std::multimap, ...).
//
// Header names are case-insensitive in HTTP, so Get() first looks the key up
// exactly (the fast path: propagators ask in lowercase and most senders
// write lowercase) and only on a miss compares every key case-insensitively.
// GetView() follows the same rules and gives a view of the stored value
// whenever exactly one value matches (or an empty view when none does).
// Set() stores the key exactly as given, replacing that key's older values.
// Over a const map the carrier is read-only and Set() does nothing.
#pragma once

#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "telemetry/propagation/text_map.h"

namespace agenthub::telemetry {

namespace internal {

inline bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Appends `value` to `out`, separated by ',' from what `out` already holds
// (RFC 7230 field combination).
inline void AppendListValue(std::string& out, bool& first, std::string_view value) {
  if (!first) out += ',';
  out.append(value);
  first = false;
}

// True for maps that may hold one key several times (std::multimap,
// std::unordered_multimap): their insert() returns a plain iterator.
template <typename Map>
inline constexpr bool kIsMultiMap =
    std::is_same_v<decltype(std::declval<Map&>().insert(
                       std::declval<const typename Map::value_type&>())),
                   typename Map::iterator>;

}  // namespace internal

template <typename Map>
class MapCarrier final : public TextMapCarrier {
 public:
  // `map` must outlive the carrier.
  explicit MapCarrier(Map& map) : map_(&map) {}

  std::string Get(std::string_view key) const override {
    std::string out;
    bool first = true;
    if constexpr (kMulti) {
      auto [it, end] = LookUp(key, [this](const auto& k) { return map_->equal_range(k); });
      for (; it != end; ++it) internal::AppendListValue(out, first, it->second);
    } else {
      auto it = LookUp(key, [this](const auto& k) { return map_->find(k); });
      if (it != map_->end()) return it->second;
    }
    if (!first) return out;
    for (const auto& [k, v] : *map_) {
      if (internal::EqualsIgnoreAsciiCase(k, key)) internal::AppendListValue(out, first, v);
    }
    return out;
  }

  // The value itself while the map holds it once; nullopt when Get() would
  // have to join several values.
  std::optional<std::string_view> GetView(std::string_view key) const override {
    if constexpr (kMulti) {
      auto [it, end] = LookUp(key, [this](const auto& k) { return map_->equal_range(k); });
      if (it != end) {
        if (std::next(it) != end) return std::nullopt;
        return std::string_view(it->second);
      }
    } else {
      // A carrier usually holds a handful of headers. Scanning them with a
      // size check first is then cheaper than a search (a tree search makes
      // several memcmp calls, a hash reads the whole key), and one pass
      // also serves the case-insensitive fallback.
      if (map_->size() <= kScanLimit) return ScanView(key);
      auto it = LookUp(key, [this](const auto& k) { return map_->find(k); });
      if (it != map_->end()) return std::string_view(it->second);
    }
    return FoldedView(key);
  }

  void Set(std::string_view key, std::string_view value) override {
    if constexpr (!std::is_const_v<Map>) {
      if constexpr (kMulti) {
        auto [it, end] = LookUp(key, [this](const auto& k) { return map_->equal_range(k); });
        map_->erase(it, end);
      } else {
        auto it = LookUp(key, [this](const auto& k) { return map_->find(k); });
        if (it != map_->end()) {
          // Reuses the stored string's capacity: no allocation when a
          // carrier is filled again with a header of the same size.
          it->second.assign(value.data(), value.size());
          return;
        }
      }
      map_->emplace(std::string(key), std::string(value));
    }
  }

 private:
  static constexpr bool kMulti = internal::kIsMultiMap<std::remove_const_t<Map>>;
  // Up to this many keys GetView scans instead of searching; small, so that
  // a large map never pays a long scan for a key it holds.
  static constexpr size_t kScanLimit = 8;

  // GetView over a map with unique keys in one pass: the exact key wins as
  // in Get(); otherwise the single key equal to it ignoring case.
  std::optional<std::string_view> ScanView(std::string_view key) const {
    std::string_view found;
    bool seen = false;
    for (const auto& [k, v] : *map_) {
      if (k.size() != key.size()) continue;
      if (std::string_view(k) == key) return std::string_view(v);
      if (!internal::EqualsIgnoreAsciiCase(k, key)) continue;
      if (seen) return std::nullopt;
      found = v;
      seen = true;
    }
    return found;
  }

  // The case-insensitive fallback after the exact key was not found.
  std::optional<std::string_view> FoldedView(std::string_view key) const {
    std::string_view found;
    bool seen = false;
    for (const auto& [k, v] : *map_) {
      if (!internal::EqualsIgnoreAsciiCase(k, key)) continue;
      if (seen) return std::nullopt;
      found = v;
      seen = true;
    }
    return found;
  }

  // Calls `lookup` with the key as the map accepts it: heterogeneously when
  // the map allows it (std::less<>), so no key string is built.
  template <typename LookUpFn>
  auto LookUp(std::string_view key, LookUpFn lookup) const {
    if constexpr (requires { map_->find(key); }) {
      return lookup(key);
    } else {
      return lookup(std::string(key));
    }
  }

  Map* map_;  // not owned
};

}  // namespace agenthub::telemetry
