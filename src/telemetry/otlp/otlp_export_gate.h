// OtlpExportGate: what the OTLP span and log exporters share around each
// send: an export in progress that Shutdown can cancel and wait for, the
// deadline the configuration allows, and the warning for a batch given up.
//
// Export calls never overlap (the batch processor guarantees it); Shutdown
// may run concurrently with an Export stuck on the network.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>

#include "telemetry/common/clock.h"
#include "telemetry/otlp/exporter_config.h"
#include "telemetry/otlp/transport.h"
#include "telemetry/trace/span_exporter.h"  // ExportResult

namespace agenthub::telemetry {

// The entries an export sends: encoders skip null ones.
template <typename T>
size_t CountPresent(std::span<const T* const> batch) {
  return static_cast<size_t>(
      std::count_if(batch.begin(), batch.end(), [](const T* item) { return item != nullptr; }));
}

class OtlpExportGate {
 public:
  // True once Shutdown began: exports then fail at once.
  bool shut_down() const { return shut_down_.load(std::memory_order_acquire); }

  // Starts exporting `batch`: the result to return at once (failure after
  // Shutdown; success for a batch of nulls only, since the specification
  // asks senders not to send empty envelopes), or nullopt with *count set
  // to the entries to send, and the gate busy until End, so that Shutdown
  // can wait for the export to return.
  template <typename T>
  std::optional<ExportResult> Begin(std::span<const T* const> batch, size_t* count) {
    if (shut_down()) return ExportResult::kFailure;
    *count = CountPresent(batch);
    if (*count == 0) return ExportResult::kSuccess;
    MarkBusy();
    return std::nullopt;
  }
  void End();

  // Makes later exports fail, cancels the one in progress through
  // `transport`, and waits up to `timeout` for it to return.
  bool Shutdown(OtlpTransport& transport, std::chrono::milliseconds timeout);

 private:
  void MarkBusy();

  std::atomic<bool> shut_down_{false};
  std::mutex mu_;
  std::condition_variable idle_cv_;
  bool exporting_ = false;  // guarded by mu_
};

// The earlier of the caller's `deadline` and now + config.timeout (when set):
// retries included, an export never takes longer than either allows.
Deadline OtlpExportDeadline(const OtlpExporterConfig& config, Deadline deadline);

// Warns "OTLP <signal> export to <endpoint> (<protocol>) dropped <count>
// <items> after <n> attempt(s): <error>" for a batch given up.
void ReportOtlpBatchDropped(const OtlpExporterConfig& config, std::string_view signal, size_t count,
                            std::string_view items, const OtlpSendResult& result);

}  // namespace agenthub::telemetry
