#include "collector/receiver/otlp_forwarder.h"

#include "telemetry/common/diagnostics.h"
#include "telemetry/otlp/otlp_message_json.h"

namespace agenthub::collector {

using telemetry::OtlpSignal;

OtlpForwarder::OtlpForwarder(OtlpForwarderOptions options) : options_(std::move(options)) {
  for (OtlpSignal signal : {OtlpSignal::kTraces, OtlpSignal::kMetrics, OtlpSignal::kLogs}) {
    auto config = telemetry::OtlpExporterConfig::Defaults(signal, options_.protocol);
    config.endpoint = options_.protocol == telemetry::OtlpProtocol::kGrpc
                          ? options_.endpoint
                          : telemetry::AppendOtlpSignalPath(options_.endpoint, signal);
    config.timeout = options_.timeout;
    transports_[static_cast<int>(signal)] = telemetry::OtlpTransport::Create(std::move(config));
  }
  sender_ = std::thread([this] { Run(); });
}

OtlpForwarder::~OtlpForwarder() { Shutdown(); }

void OtlpForwarder::Forward(OtlpSignal signal, const google::protobuf::Message& request) {
  std::string body;
  if (options_.protocol == telemetry::OtlpProtocol::kHttpJson) {
    if (!telemetry::ToOtlpJson(request, &body)) {
      ++dropped_;
      return;
    }
  } else {
    request.SerializeToString(&body);
  }
  {
    std::lock_guard lock(mu_);
    if (closed_ || queued_bytes_ + body.size() > options_.max_queue_bytes) {
      ++dropped_;
      return;
    }
    queued_bytes_ += body.size();
    items_.push_back({signal, std::move(body)});
  }
  cv_.notify_one();
}

void OtlpForwarder::Shutdown() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
  if (sender_.joinable()) sender_.join();
}

telemetry::OtlpTransport& OtlpForwarder::Transport(OtlpSignal signal) {
  return *transports_[static_cast<int>(signal)];
}

void OtlpForwarder::Run() {
  for (;;) {
    Item item;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return closed_ || !items_.empty(); });
      if (items_.empty()) return;
      item = std::move(items_.front());
      items_.pop_front();
      queued_bytes_ -= item.body.size();
    }
    const auto result =
        Transport(item.signal)
            .SendEncoded(item.body, telemetry::SteadyClock::now() + options_.timeout);
    if (result.ok) {
      ++forwarded_;
    } else {
      ++dropped_;
      telemetry::ReportWarning("collector could not forward " +
                               std::string(telemetry::OtlpSignalName(item.signal)) + " to " +
                               options_.endpoint + ": " + result.error);
    }
  }
}

}  // namespace agenthub::collector
