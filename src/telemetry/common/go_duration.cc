#include "telemetry/common/go_duration.h"

#include <cmath>
#include <limits>

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

// Unit names and their length in nanoseconds; longest names first where one
// is a prefix of another ("ms" before "m").
struct Unit {
  std::string_view name;
  double ns;
};
constexpr Unit kUnits[] = {{"ns", 1},   {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3},
                           {"ms", 1e6}, {"s", 1e9},  {"m", 60e9},        {"h", 3600e9}};

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

std::optional<int64_t> ParseGoDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return 0;
  if (text.empty()) return std::nullopt;
  double total = 0;
  while (!text.empty()) {
    // A decimal number: digits, optionally a fraction.
    size_t i = 0;
    double value = 0;
    bool digits = false;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i] - '0');
      digits = true;
      ++i;
    }
    if (i < text.size() && text[i] == '.') {
      ++i;
      double scale = 0.1;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        value += (text[i] - '0') * scale;
        scale /= 10;
        digits = true;
        ++i;
      }
    }
    if (!digits) return std::nullopt;
    text.remove_prefix(i);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(0, u.name.size()) == u.name) {
        // "m" must not swallow the "m" of "ms".
        if (u.name == "m" && text.substr(0, 2) == "ms") continue;
        unit = &u;
        break;
      }
    }
    if (!unit) return std::nullopt;  // Go requires a unit on every number
    text.remove_prefix(unit->name.size());
    total += value * unit->ns;
    if (total > static_cast<double>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  }
  const auto ns = static_cast<int64_t>(std::llround(total));
  return negative ? -ns : ns;
}

}  // namespace agenthub::telemetry
