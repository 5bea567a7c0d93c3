#include "telemetry/logs/log_time.h"

#include <chrono>

namespace agenthub::telemetry::internal {
namespace {

void PutDigits(unsigned value, int width, char* out) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

void AppendRfc3339(Timestamp time, int fraction_digits, std::string* out) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(time);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  int year = static_cast<int>(ymd.year());
  year = year < 0 ? 0 : (year > 9999 ? 9999 : year);
  unsigned nanos = static_cast<unsigned>((time - secs).count());

  if (fraction_digits < 0) fraction_digits = 0;
  if (fraction_digits > 9) fraction_digits = 9;
  char buf[32];
  PutDigits(static_cast<unsigned>(year), 4, buf);
  buf[4] = '-';
  PutDigits(static_cast<unsigned>(ymd.month()), 2, buf + 5);
  buf[7] = '-';
  PutDigits(static_cast<unsigned>(ymd.day()), 2, buf + 8);
  buf[10] = 'T';
  PutDigits(static_cast<unsigned>(hms.hours().count()), 2, buf + 11);
  buf[13] = ':';
  PutDigits(static_cast<unsigned>(hms.minutes().count()), 2, buf + 14);
  buf[16] = ':';
  PutDigits(static_cast<unsigned>(hms.seconds().count()), 2, buf + 17);
  size_t len = 19;
  if (fraction_digits > 0) {
    for (int i = fraction_digits; i < 9; ++i) nanos /= 10;
    buf[len++] = '.';
    PutDigits(nanos, fraction_digits, buf + len);
    len += static_cast<size_t>(fraction_digits);
  }
  buf[len++] = 'Z';
  out->append(buf, len);
}

}  // namespace agenthub::telemetry::internal
