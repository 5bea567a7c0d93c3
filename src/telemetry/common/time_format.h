// RFC 3339 timestamps in UTC with nanoseconds: 2026-11-25T12:00:00.123456789Z.
#pragma once

#include <string>

#include "telemetry/common/clock.h"

namespace agenthub::telemetry {

std::string FormatRfc3339Nanos(Timestamp t);

}  // namespace agenthub::telemetry
