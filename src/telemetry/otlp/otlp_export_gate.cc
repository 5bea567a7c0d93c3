#include "telemetry/otlp/otlp_export_gate.h"

#include <string>

#include "telemetry/common/diagnostics.h"

namespace agenthub::telemetry {

void OtlpExportGate::MarkBusy() {
  std::lock_guard lock(mu_);
  exporting_ = true;
}

void OtlpExportGate::End() {
  {
    std::lock_guard lock(mu_);
    exporting_ = false;
  }
  idle_cv_.notify_all();
}

bool OtlpExportGate::Shutdown(OtlpTransport& transport, std::chrono::milliseconds timeout) {
  shut_down_.store(true, std::memory_order_release);
  transport.Shutdown();
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return !exporting_; });
}

Deadline OtlpExportDeadline(const OtlpExporterConfig& config, Deadline deadline) {
  if (config.timeout.count() <= 0) return deadline;
  return std::min(deadline, SteadyClock::now() + config.timeout);
}

void ReportOtlpBatchDropped(const OtlpExporterConfig& config, std::string_view signal, size_t count,
                            std::string_view items, const OtlpSendResult& result) {
  ReportWarning("OTLP " + std::string(signal) + " export to " + config.endpoint + " (" +
                OtlpProtocolName(config.protocol) + ") dropped " + std::to_string(count) + " " +
                std::string(items) + " after " + std::to_string(result.attempts) +
                " attempt(s): " + result.error);
}

}  // namespace agenthub::telemetry
