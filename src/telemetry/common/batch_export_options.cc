#include "telemetry/common/batch_export_options.h"

#include <string>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"

namespace agenthub::telemetry {
namespace {

size_t ReadSize(const std::string& variable, size_t fallback) {
  const auto value =
      static_cast<size_t>(GetEnvNonNegativeInt(variable, static_cast<int64_t>(fallback)));
  if (value != 0) return value;
  // An empty queue or batch would never export anything.
  ReportWarning(variable + "=0 is invalid; using " + std::to_string(fallback));
  return fallback;
}

}  // namespace

BatchExportOptions ReadBatchExportOptions(std::string_view prefix, BatchExportOptions defaults) {
  const std::string p(prefix);
  BatchExportOptions o;
  o.max_queue_size = ReadSize(p + "_MAX_QUEUE_SIZE", defaults.max_queue_size);
  o.schedule_delay = GetEnvMillis(p + "_SCHEDULE_DELAY", defaults.schedule_delay);
  o.export_timeout = GetEnvMillis(p + "_EXPORT_TIMEOUT", defaults.export_timeout);
  o.max_export_batch_size = ReadSize(p + "_MAX_EXPORT_BATCH_SIZE", defaults.max_export_batch_size);
  if (o.max_export_batch_size > o.max_queue_size) {
    ReportWarning(p + "_MAX_EXPORT_BATCH_SIZE is above " + p + "_MAX_QUEUE_SIZE; clamping");
    o.max_export_batch_size = o.max_queue_size;
  }
  return o;
}

}  // namespace agenthub::telemetry
