#include "telemetry/otlp/otlp_span_exporter.h"

#include <google/protobuf/arena.h>

#include <algorithm>
#include <string>

#include "telemetry/common/diagnostics.h"
#include "telemetry/otlp/trace_proto.h"

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
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  const size_t count =
      std::count_if(batch.begin(), batch.end(), [](const SpanData* s) { return s != nullptr; });
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

  {
    std::lock_guard lock(mu_);
    exporting_ = false;
  }
  idle_cv_.notify_all();
  if (result.ok) return ExportResult::kSuccess;
  ReportWarning("OTLP trace export to " + config().endpoint + " (" +
                OtlpProtocolName(config().protocol) + ") dropped " + std::to_string(count) +
                " spans after " + std::to_string(result.attempts) + " attempt(s): " + result.error);
  return ExportResult::kFailure;
}

bool OtlpSpanExporter::ForceFlush(std::chrono::milliseconds timeout) {
  (void)timeout;
  return true;
}

bool OtlpSpanExporter::Shutdown(std::chrono::milliseconds timeout) {
  shut_down_.store(true, std::memory_order_release);
  transport_->Shutdown();
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return !exporting_; });
}

std::unique_ptr<SpanExporter> MakeOtlpSpanExporter(OtlpExporterConfig config) {
  return std::make_unique<OtlpSpanExporter>(std::move(config));
}

}  // namespace agenthub::telemetry
