#include "telemetry/propagation/baggage_codec.h"

#include <cstdint>

namespace agenthub::telemetry::internal {
namespace {

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline bool NeedsEncoding(char c) { return c == '%' || !IsBaggageOctet(c); }

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Copies `in` to `out`, replacing each maximal ill-formed UTF-8 subsequence
// with U+FFFD (the Unicode "substitution of maximal subparts" practice).
void AppendValidUtf8(std::string_view in, std::string& out) {
  size_t i = 0;
  while (i < in.size()) {
    const auto b = static_cast<uint8_t>(in[i]);
    if (b < 0x80) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    size_t need = 0;
    uint8_t lo = 0x80;
    uint8_t hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b == 0xe0) lo = 0xa0;  // overlong
      if (b == 0xed) hi = 0x9f;  // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b == 0xf0) lo = 0x90;  // overlong
      if (b == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      out += kReplacement;
      ++i;
      continue;
    }
    size_t j = i + 1;
    size_t got = 0;
    while (got < need && j < in.size()) {
      const auto c = static_cast<uint8_t>(in[j]);
      if (c < lo || c > hi) break;
      lo = 0x80;
      hi = 0xbf;
      ++j;
      ++got;
    }
    if (got == need) {
      out.append(in.substr(i, j - i));
    } else {
      out += kReplacement;
    }
    i = j;
  }
}

// Walks a property list, calling `emit(key, value, has_value)` per property
// with OWS removed. False on any malformed property.
template <typename Emit>
bool ForEachProperty(std::string_view text, Emit emit) {
  while (true) {
    const size_t semi = text.find(';');
    const std::string_view property = TrimOws(text.substr(0, semi));
    const size_t eq = property.find('=');
    const std::string_view key = TrimOws(property.substr(0, eq));
    if (!IsToken(key)) return false;
    std::string_view value;
    if (eq != std::string_view::npos) {
      value = TrimOws(property.substr(eq + 1));
      for (char c : value) {
        if (!IsBaggageOctet(c)) return false;
      }
    }
    emit(key, value, eq != std::string_view::npos);
    if (semi == std::string_view::npos) return true;
    text.remove_prefix(semi + 1);
  }
}

}  // namespace

size_t PercentEncodedSize(std::string_view value) {
  size_t size = value.size();
  for (char c : value) {
    if (NeedsEncoding(c)) size += 2;
  }
  return size;
}

void AppendPercentEncoded(std::string_view value, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  size_t run = 0;  // start of the pending run of characters sent as they are
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (!NeedsEncoding(c)) continue;
    out.append(value.data() + run, i - run);
    const auto b = static_cast<uint8_t>(c);
    const char escaped[3] = {'%', kHex[b >> 4], kHex[b & 0x0f]};
    out.append(escaped, 3);
    run = i + 1;
  }
  out.append(value.data() + run, value.size() - run);
}

bool PercentDecode(std::string_view raw, std::string& out) {
  bool has_escape = false;
  for (char c : raw) {
    if (!IsBaggageOctet(c)) return false;
    has_escape |= c == '%';
  }
  if (!has_escape) {  // the common case: one copy
    out.assign(raw);
    return true;
  }
  out.clear();
  out.reserve(raw.size());
  bool non_ascii = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out += raw[i];
      continue;
    }
    if (raw.size() - i < 3) return false;  // needs two hex digits after '%'
    const int hi = HexValue(raw[i + 1]);
    const int lo = HexValue(raw[i + 2]);
    if (hi < 0 || lo < 0) return false;
    const auto byte = static_cast<uint8_t>((hi << 4) | lo);
    non_ascii |= byte >= 0x80;
    out += static_cast<char>(byte);
    i += 2;
  }
  if (non_ascii) {
    std::string checked;
    checked.reserve(out.size());
    AppendValidUtf8(out, checked);
    out.swap(checked);
  }
  return true;
}

bool IsValidProperties(std::string_view text) {
  return ForEachProperty(text, [](std::string_view, std::string_view, bool) {});
}

bool NormalizeProperties(std::string_view text, std::string& out) {
  out.clear();
  return ForEachProperty(text,
                         [&out](std::string_view key, std::string_view value, bool has_value) {
                           if (!out.empty()) out += ';';
                           out.append(key);
                           if (has_value) {
                             out += '=';
                             out.append(value);
                           }
                         });
}

}  // namespace agenthub::telemetry::internal
