#include "telemetry/otlp/otlp_log_exporter.h"

#include <google/protobuf/arena.h>

#include <string>

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
  size_t count = 0;
  if (const auto early = gate_.Begin(batch, &count)) return *early;
  deadline = OtlpExportDeadline(config(), deadline);

  OtlpSendResult result;
  {
    google::protobuf::ArenaOptions options;
    options.initial_block = arena_block_.get();
    options.initial_block_size = kArenaInitialBlock;
    options.max_block_size = kArenaInitialBlock;
    google::protobuf::Arena arena(options);
    result = transport_->Send(*EncodeLogsRequest(batch, &arena), deadline);
  }

  gate_.End();
  if (result.ok) return ExportResult::kSuccess;
  // With the diagnostics bridge installed this warning becomes a log record
  // that is exported in turn: one extra record per failed batch while the
  // collector is down, a trickle rather than a loop that feeds on itself.
  ReportOtlpBatchDropped(config(), "log", count, "log records", result);
  return ExportResult::kFailure;
}

bool OtlpLogExporter::Shutdown(std::chrono::milliseconds timeout) {
  return gate_.Shutdown(*transport_, timeout);
}

std::unique_ptr<LogRecordExporter> MakeOtlpLogExporter(OtlpExporterConfig config) {
  return std::make_unique<OtlpLogExporter>(std::move(config));
}

}  // namespace agenthub::telemetry
