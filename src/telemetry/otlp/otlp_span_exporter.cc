#include "telemetry/otlp/otlp_span_exporter.h"

#include <google/protobuf/arena.h>

#include <string>

#include "telemetry/otlp/trace_proto.h"
#include "telemetry/otlp/trace_wire_writer.h"

namespace agenthub::telemetry {
namespace {

// Enough for a typical batch of 512 spans in one block, so an export does a
// single large allocation instead of one per message.
constexpr size_t kArenaInitialBlock = 256 * 1024;
// Typical batches encode to a few hundred KiB; a buffer grown past this by a
// huge batch is not kept.
constexpr size_t kMaxKeptBodyBytes = 4 * 1024 * 1024;

}  // namespace

OtlpSpanExporter::OtlpSpanExporter(OtlpExporterConfig config) {
  config.signal = OtlpSignal::kTraces;
  transport_ = OtlpTransport::Create(std::move(config));
}

OtlpSpanExporter::~OtlpSpanExporter() { Shutdown(std::chrono::milliseconds(0)); }

ExportResult OtlpSpanExporter::Export(std::span<const SpanData* const> batch, Deadline deadline) {
  size_t count = 0;
  if (const auto early = gate_.Begin(batch, &count)) return *early;
  deadline = OtlpExportDeadline(config(), deadline);

  OtlpSendResult result;
  if (config().protocol == OtlpProtocol::kHttpJson) {
    if (!arena_block_) arena_block_.reset(new char[kArenaInitialBlock]);
    google::protobuf::ArenaOptions options;
    options.initial_block = arena_block_.get();
    options.initial_block_size = kArenaInitialBlock;
    google::protobuf::Arena arena(options);
    result = transport_->Send(*EncodeTraceRequest(batch, &arena), deadline);
  } else {
    // The binary encoding needs no messages: written straight from spans
    // into a buffer kept between exports (released when unusually large).
    SerializeTraceRequest(batch, &body_);
    result = transport_->SendEncoded(body_, deadline);
    if (body_.capacity() > kMaxKeptBodyBytes) std::string().swap(body_);
  }

  gate_.End();
  if (result.ok) return ExportResult::kSuccess;
  ReportOtlpBatchDropped(config(), "trace", count, "spans", result);
  return ExportResult::kFailure;
}

bool OtlpSpanExporter::ForceFlush(std::chrono::milliseconds timeout) {
  (void)timeout;
  return true;
}

bool OtlpSpanExporter::Shutdown(std::chrono::milliseconds timeout) {
  return gate_.Shutdown(*transport_, timeout);
}

std::unique_ptr<SpanExporter> MakeOtlpSpanExporter(OtlpExporterConfig config) {
  return std::make_unique<OtlpSpanExporter>(std::move(config));
}

}  // namespace agenthub::telemetry
