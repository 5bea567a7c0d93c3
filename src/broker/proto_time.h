// google.protobuf.Timestamp at the broker's edge: the range check every
// timestamp of a request passes, and the conversion to the clock the
// routing core compares deadlines with.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>

#include "telemetry/telemetry.h"

namespace agenthub::broker {

// Why `t` is not a Timestamp that timestamp.proto allows (seconds within
// 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z, nanos within 0..999999999),
// e.g. "has nanos -1; ..."; nullopt when it is. Meant to follow a field
// name.
std::optional<std::string> TimestampProblem(const google::protobuf::Timestamp& t);

// `t` on the system clock in nanoseconds. That clock spans only the years
// 1677..2262, while a valid Timestamp spans 0001..9999: times outside it
// saturate to the clock's min()/max() instead of overflowing, so a deadline
// in the year 9999 stays in the future (it never passes) rather than
// wrapping into the past.
telemetry::Timestamp SaturatedTime(const google::protobuf::Timestamp& t);

}  // namespace agenthub::broker
