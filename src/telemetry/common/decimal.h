// Decimal text for configuration values and descriptions: parsing the
// numbers users write in OTEL_* variables and printing doubles so that the
// text reads back as the same value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace agenthub::telemetry {

// The shortest fixed-notation text that parses back to exactly `value`
// ("0.25", "1", "0.0001"; never exponent notation, so descriptions such as
// "TraceIdRatioBased{0.0001}" stay plain decimals).
std::string FormatDecimal(double value);

// A finite decimal number (surrounding spaces and tabs allowed); nullopt for
// anything else, including "nan", "inf" and trailing garbage.
std::optional<double> ParseDecimal(std::string_view text);

}  // namespace agenthub::telemetry
