#include "telemetry/common/decimal.h"

#include <charconv>
#include <cmath>

#include "telemetry/common/env.h"

namespace agenthub::telemetry {

std::string FormatDecimal(double value) {
  // Fixed notation of the smallest subnormal needs ~330 characters and of the
  // largest double ~310, so 400 always fits.
  char buffer[400];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed);
  if (ec != std::errc()) return std::to_string(value);
  return std::string(buffer, end);
}

std::optional<double> ParseDecimal(std::string_view text) {
  text = TrimSpaces(text);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace agenthub::telemetry
