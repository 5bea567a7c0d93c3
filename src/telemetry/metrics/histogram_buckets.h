// Explicit histogram bucket bounds: the latency default and the rules a
// caller's bounds must follow.
#pragma once

#include <string_view>
#include <vector>

namespace agenthub::telemetry {

// Upper bounds in seconds from 50 us to 10 s in 1-2.5-5 steps (17 bounds,
// 18 buckets with +Inf). In-process hops of the broker take tens of
// microseconds and end-to-end task round trips milliseconds to seconds; a
// ratio of 2-2.5 between bounds keeps any quantile estimate within that
// factor across the whole range. Histograms in other units should pass
// their own bounds.
const std::vector<double>& DefaultLatencyBuckets();

// `buckets` itself when finite and strictly increasing, the default when
// empty; otherwise throws std::invalid_argument naming the instrument.
std::vector<double> ValidatedBuckets(std::string_view instrument, std::vector<double> buckets);

}  // namespace agenthub::telemetry
