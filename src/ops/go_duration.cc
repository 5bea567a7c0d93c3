#include "ops/go_duration.h"

#include <cstdint>

namespace agenthub::ops {
namespace {

// Appends value/unit with the remainder as a decimal fraction, trailing
// zeros dropped: (1500, 1000) gives "1.5". `unit` is a power of ten.
void AppendScaled(uint64_t value, uint64_t unit, std::string* out) {
  *out += std::to_string(value / unit);
  uint64_t fraction = value % unit;
  if (fraction == 0) return;
  std::string digits;
  for (uint64_t u = unit; u > 1; u /= 10) {
    digits.insert(digits.begin(), static_cast<char>('0' + fraction % 10));
    fraction /= 10;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  *out += '.';
  *out += digits;
}

}  // namespace

std::string FormatGoDuration(std::chrono::nanoseconds duration) {
  const int64_t n = duration.count();
  if (n == 0) return "0s";
  std::string out;
  // Negate in unsigned arithmetic so INT64_MIN does not overflow.
  const uint64_t u = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  if (n < 0) out += '-';
  if (u < 1'000) {
    out += std::to_string(u);
    out += "ns";
  } else if (u < 1'000'000) {
    AppendScaled(u, 1'000, &out);
    out += "\xC2\xB5s";  // µs (U+00B5), as Go writes it
  } else if (u < 1'000'000'000) {
    AppendScaled(u, 1'000'000, &out);
    out += "ms";
  } else {
    const uint64_t seconds = u / 1'000'000'000;
    const uint64_t hours = seconds / 3600;
    const uint64_t minutes = (seconds / 60) % 60;
    if (hours > 0) out += std::to_string(hours) + "h";
    if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
    AppendScaled(u % 60'000'000'000, 1'000'000'000, &out);
    out += "s";
  }
  return out;
}

}  // namespace agenthub::ops
