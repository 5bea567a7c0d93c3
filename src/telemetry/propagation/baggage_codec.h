// The character-level rules of the W3C Baggage header, shared by its parser
// and its serializer so both agree on one truth: which bytes are tokens,
// which are baggage-octets, how values are percent-encoded.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace agenthub::telemetry::internal {

enum BaggageCharClass : uint8_t { kTokenChar = 1, kBaggageOctet = 2 };

// One table lookup per character instead of a chain of range compares.
constexpr std::array<uint8_t, 256> MakeBaggageCharClassTable() {
  std::array<uint8_t, 256> table{};
  for (int c = 0x21; c <= 0x7e; ++c) {
    const bool octet = c != '"' && c != ',' && c != ';' && c != '\\';
    const bool token = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' ||
                       c == '*' || c == '+' || c == '-' || c == '.' || c == '^' || c == '_' ||
                       c == '`' || c == '|' || c == '~';
    table[c] = static_cast<uint8_t>((octet ? kBaggageOctet : 0) | (token ? kTokenChar : 0));
  }
  return table;
}
inline constexpr std::array<uint8_t, 256> kBaggageCharClass = MakeBaggageCharClassTable();

// RFC 7230 tchar: the characters of a baggage key or property key.
inline bool IsTokenChar(char c) {
  return (kBaggageCharClass[static_cast<uint8_t>(c)] & kTokenChar) != 0;
}

// baggage-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E (printable
// ASCII except space, '"', ',', ';' and '\').
inline bool IsBaggageOctet(char c) {
  return (kBaggageCharClass[static_cast<uint8_t>(c)] & kBaggageOctet) != 0;
}

// Non-empty and made of tchar only.
inline bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// Removes leading and trailing spaces and tabs (RFC 7230 OWS).
inline std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Appends `value` percent-encoded: every byte outside the baggage-octet set,
// and '%' itself, becomes %XX (uppercase hex).
void AppendPercentEncoded(std::string_view value, std::string& out);
// The size AppendPercentEncoded would append.
size_t PercentEncodedSize(std::string_view value);

// Decodes a raw (still encoded) value into `out`. False when a character is
// not a baggage-octet or a '%' is not followed by two hex digits. Decoded
// bytes that are not valid UTF-8 are replaced by U+FFFD (one per maximal
// invalid subsequence, as Unicode recommends).
bool PercentDecode(std::string_view raw, std::string& out);

// True when `text` (what follows the first ';' of a member) is a valid
// property list: property *( OWS ";" OWS property ), where a property is
// `key OWS "=" OWS value` or `key OWS`, with surrounding OWS allowed.
bool IsValidProperties(std::string_view text);
// Same check, also writing the list with the optional whitespace removed
// ("k1=v1;k2") to `out`.
bool NormalizeProperties(std::string_view text, std::string& out);

}  // namespace agenthub::telemetry::internal
