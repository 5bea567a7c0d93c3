#include "telemetry/common/time_format.h"

#include <ctime>
#include <cstdio>

namespace agenthub::telemetry {

std::string FormatRfc3339Nanos(Timestamp t) {
  const int64_t nanos = t.time_since_epoch().count();
  int64_t secs = nanos / 1'000'000'000;
  int64_t frac = nanos % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    secs -= 1;
  }
  const time_t tt = static_cast<time_t>(secs);
  struct tm tm_utc;
  gmtime_r(&tt, &tm_utc);
  char buf[48];
  const int n = std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ",
                              tm_utc.tm_year + 1900, tm_utc.tm_mon + 1, tm_utc.tm_mday,
                              tm_utc.tm_hour, tm_utc.tm_min, tm_utc.tm_sec,
                              static_cast<long long>(frac));
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

}  // namespace agenthub::telemetry
