#include "telemetry/otlp/otlp_log_exporter.h"

#include <google/protobuf/arena.h>

#include <algorithm>
#include <string>

#include "telemetry/common/diagnostics.h"
#include "telemetry/otlp/logs_proto.h"

namespace agenthub::telemetry {
namespace {

// Enough for a default batch of 512 typical records in one block.
constexpr size_t kArenaInitialBlock = 256 * 1024;

}  // namespace

OtlpLogExporter::OtlpLogExporter(OtlpExporterConfig config)
    : arena_block_(new char[kArenaInitialBlock]) {
  config.signal = OtlpSignal::kLogs;
  transport_ = OtlpTransport::Create(std::move(config));
}

OtlpLogExporter::~OtlpLogExporter() { Shutdown(std::chrono::milliseconds(0)); }

ExportResult OtlpLogExporter::Export(std::span<const LogRecordData* const> batch,
                                     Deadline deadline) {
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  const size_t count = std::count_if(batch.begin(), batch.end(),
                                     [](const LogRecordData* r) { return r != nullptr; });
  // The specification asks senders not to send empty envelopes.
  if (count == 0) return ExportResult::kSuccess;
  {
    std::lock_guard lock(mu_);
    exporting_ = true;
  }
  if (config().timeout.count() > 0) {
    deadline = std::min(deadline, SteadyClock::now() + config().timeout);
  }

  OtlpSendResult result;
  {
    google::protobuf::ArenaOptions options;
    options.initial_block = arena_block_.get();
    options.initial_block_size = kArenaInitialBlock;
    options.max_block_size = kArenaInitialBlock;
    google::protobuf::Arena arena(options);
    result = transport_->Send(*EncodeLogsRequest(batch, &arena), deadline);
  }

  {
    std::lock_guard lock(mu_);
    exporting_ = false;
  }
  idle_cv_.notify_all();
  if (result.ok) return ExportResult::kSuccess;
  // With the diagnostics bridge installed this warning becomes a log record
  // that is exported in turn: one extra record per failed batch while the
  // collector is down, a trickle rather than a loop that feeds on itself.
  ReportWarning("OTLP log export to " + config().endpoint + " (" +
                OtlpProtocolName(config().protocol) + ") dropped " + std::to_string(count) +
                " log records after " + std::to_string(result.attempts) +
                " attempt(s): " + result.error);
  return ExportResult::kFailure;
}

bool OtlpLogExporter::Shutdown(std::chrono::milliseconds timeout) {
  shut_down_.store(true, std::memory_order_release);
  transport_->Shutdown();
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return !exporting_; });
}

std::unique_ptr<LogRecordExporter> MakeOtlpLogExporter(OtlpExporterConfig config) {
  return std::make_unique<OtlpLogExporter>(std::move(config));
}

}  // namespace agenthub::telemetry
