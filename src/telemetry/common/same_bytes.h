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

inline bool SameBytes(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n > 16) return std::memcmp(x, y, n) == 0;
  if (n >= 8) {
    uint64_t x_head, y_head, x_tail, y_tail;
    std::memcpy(&x_head, x, 8);
    std::memcpy(&y_head, y, 8);
    std::memcpy(&x_tail, x + n - 8, 8);
    std::memcpy(&y_tail, y + n - 8, 8);
    return ((x_head ^ y_head) | (x_tail ^ y_tail)) == 0;
  }
  if (n >= 4) {
    uint32_t x_head, y_head, x_tail, y_tail;
    std::memcpy(&x_head, x, 4);
    std::memcpy(&y_head, y, 4);
    std::memcpy(&x_tail, x + n - 4, 4);
    std::memcpy(&y_tail, y + n - 4, 4);
    return ((x_head ^ y_head) | (x_tail ^ y_tail)) == 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

}  // namespace agenthub::telemetry::internal
