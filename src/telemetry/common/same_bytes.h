// SameBytes: equality of two short byte strings without a call to memcmp.
//
// Attribute keys and span names are compared on every SetAttribute and
// span start, and are usually 4-16 bytes: two overlapping word loads from
// each side decide that in a few instructions, where memcmp costs a call
// and a length dispatch. Never reads outside either string.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace agenthub::telemetry::internal {

// Compares the first and the last sizeof(Word) bytes of both strings (they
// overlap when n < 2 * sizeof(Word)); n must be at least sizeof(Word).
template <typename Word>
inline bool SameHeadAndTail(const char* x, const char* y, size_t n) {
  Word x_head, y_head, x_tail, y_tail;
  std::memcpy(&x_head, x, sizeof(Word));
  std::memcpy(&y_head, y, sizeof(Word));
  std::memcpy(&x_tail, x + n - sizeof(Word), sizeof(Word));
  std::memcpy(&y_tail, y + n - sizeof(Word), sizeof(Word));
  return ((x_head ^ y_head) | (x_tail ^ y_tail)) == 0;
}

inline bool SameBytes(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n > 16) return std::memcmp(x, y, n) == 0;
  if (n >= 8) return SameHeadAndTail<uint64_t>(x, y, n);
  if (n >= 4) return SameHeadAndTail<uint32_t>(x, y, n);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

}  // namespace agenthub::telemetry::internal
