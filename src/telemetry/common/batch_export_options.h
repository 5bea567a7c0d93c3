// The four settings every batching processor shares (spans: OTEL_BSP_*,
// logs: OTEL_BLRP_*), and how they are read from the environment, so both
// processors validate them the same way.
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

namespace agenthub::telemetry {

struct BatchExportOptions {
  size_t max_queue_size = 2048;                     // <PREFIX>_MAX_QUEUE_SIZE
  std::chrono::milliseconds schedule_delay{5000};   // <PREFIX>_SCHEDULE_DELAY
  std::chrono::milliseconds export_timeout{30000};  // <PREFIX>_EXPORT_TIMEOUT
  size_t max_export_batch_size = 512;               // <PREFIX>_MAX_EXPORT_BATCH_SIZE
};

// `defaults` overridden by the <prefix>_* variables ("OTEL_BSP", ...);
// invalid values (a zero size among them) warn and keep the default; a batch
// size above the queue size is clamped to it.
BatchExportOptions ReadBatchExportOptions(std::string_view prefix, BatchExportOptions defaults);

}  // namespace agenthub::telemetry
