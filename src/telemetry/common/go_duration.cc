#include "telemetry/common/go_duration.h"

#include <cstdint>

namespace agenthub::telemetry {
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

// Go's time.ParseDuration, step for step: integers in uint64 with explicit
// overflow checks, so every int64 reads exactly (a double loses
// nanoseconds past 2^53, about 104 days, and cannot hold INT64_MIN), and
// what FormatGoDuration (Go's Duration.String) writes reads back to the
// same value.
constexpr uint64_t kLimit = uint64_t{1} << 63;  // |INT64_MIN|

// Unit names and their length in nanoseconds; a number's whole run of
// letters must be one of them, as in Go ("1sm" is refused).
struct Unit {
  std::string_view name;
  uint64_t ns;
};
constexpr Unit kUnits[] = {{"ns", 1},
                           {"us", 1'000},
                           {"\xc2\xb5s", 1'000},  // U+00B5 micro sign
                           {"\xce\xbcs", 1'000},  // U+03BC Greek small letter mu
                           {"ms", 1'000'000},
                           {"s", 1'000'000'000},
                           {"m", 60'000'000'000},
                           {"h", 3'600'000'000'000}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Leading digits as an integer; false when it overflows.
bool LeadingInt(std::string_view& s, uint64_t* x) {
  *x = 0;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (*x > kLimit / 10) return false;
    *x = *x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (*x > kLimit) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Leading digits of a fraction: the digits that fit, and 10^(their
// count). Digits past what fits are consumed and ignored, as in Go.
void LeadingFraction(std::string_view& s, uint64_t* x, double* scale) {
  *x = 0;
  *scale = 1;
  bool overflow = false;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (overflow) continue;
    if (*x > (kLimit - 1) / 10) {
      overflow = true;
      continue;
    }
    const uint64_t y = *x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (y > kLimit) {
      overflow = true;
      continue;
    }
    *x = y;
    *scale *= 10;
  }
  s.remove_prefix(i);
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

std::optional<int64_t> ParseGoDuration(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || IsDigit(s[0]))) return std::nullopt;
    uint64_t v;
    const size_t before_int = s.size();
    if (!LeadingInt(s, &v)) return std::nullopt;
    const bool pre = s.size() != before_int;
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      const size_t before_fraction = s.size();
      LeadingFraction(s, &f, &scale);
      post = s.size() != before_fraction;
    }
    if (!pre && !post) return std::nullopt;  // "." alone
    // The unit: everything up to the next number.
    size_t i = 0;
    while (i < s.size() && s[i] != '.' && !IsDigit(s[i])) ++i;
    const std::string_view name = s.substr(0, i);
    s.remove_prefix(i);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (u.name == name) unit = &u;
    }
    if (unit == nullptr) return std::nullopt;  // missing or unknown unit
    if (v > kLimit / unit->ns) return std::nullopt;
    v *= unit->ns;
    if (f > 0) {
      // float64 as in Go: exact for the at most 9 digits String() writes.
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit->ns) / scale));
      if (v > kLimit) return std::nullopt;
    }
    total += v;
    if (total > kLimit) return std::nullopt;
  }
  if (negative) return static_cast<int64_t>(0 - total);  // 2^63 gives INT64_MIN
  if (total > kLimit - 1) return std::nullopt;
  return static_cast<int64_t>(total);
}

}  // namespace agenthub::telemetry
