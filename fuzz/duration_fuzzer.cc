// Fuzz target: Go durations, read (ParseGoDuration: the query API's
// minDuration/maxDuration) and written (FormatGoDuration: the health JSON).
//
// Invariants: what parses, formatted and parsed again, is the same number
// of nanoseconds (Go's own round-trip guarantee); any int64 taken from the
// input formats into something that parses back to itself.
#include <chrono>
#include <cstring>
#include <string>

#include "fuzz_check.h"
#include "telemetry/common/go_duration.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = agenthub::fuzz::AsView(data, size);
  if (const auto ns = agenthub::telemetry::ParseGoDuration(text)) {
    const std::string formatted =
        agenthub::telemetry::FormatGoDuration(std::chrono::nanoseconds(*ns));
    const auto again = agenthub::telemetry::ParseGoDuration(formatted);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *ns);
  }
  if (size >= sizeof(int64_t)) {
    int64_t raw;
    std::memcpy(&raw, data, sizeof(raw));
    const std::string formatted =
        agenthub::telemetry::FormatGoDuration(std::chrono::nanoseconds(raw));
    const auto again = agenthub::telemetry::ParseGoDuration(formatted);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == raw);
  }
  return 0;
}
