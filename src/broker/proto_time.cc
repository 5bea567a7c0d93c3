#include "broker/proto_time.h"

#include <google/protobuf/util/time_util.h>

#include <cstdint>

namespace agenthub::broker {

using google::protobuf::util::TimeUtil;

std::optional<std::string> TimestampProblem(const google::protobuf::Timestamp& t) {
  if (t.seconds() < TimeUtil::kTimestampMinSeconds ||
      t.seconds() > TimeUtil::kTimestampMaxSeconds) {
    return "has seconds " + std::to_string(t.seconds()) +
           "; a Timestamp must lie within 0001-01-01T00:00:00Z and "
           "9999-12-31T23:59:59.999999999Z (seconds " +
           std::to_string(TimeUtil::kTimestampMinSeconds) + ".." +
           std::to_string(TimeUtil::kTimestampMaxSeconds) + ")";
  }
  if (t.nanos() < 0 || t.nanos() > 999999999) {
    return "has nanos " + std::to_string(t.nanos()) + "; they must be within 0..999999999";
  }
  return std::nullopt;
}

telemetry::Timestamp SaturatedTime(const google::protobuf::Timestamp& t) {
  using Nanos = telemetry::Timestamp::duration;
  constexpr int64_t kNanosPerSecond = 1'000'000'000;
  int64_t nanos;
  if (__builtin_mul_overflow(t.seconds(), kNanosPerSecond, &nanos) ||
      __builtin_add_overflow(nanos, static_cast<int64_t>(t.nanos()), &nanos)) {
    return t.seconds() < 0 ? telemetry::Timestamp::min() : telemetry::Timestamp::max();
  }
  return telemetry::Timestamp(Nanos(nanos));
}

}  // namespace agenthub::broker
