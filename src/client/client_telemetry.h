// ClientTelemetry: where the SDK's own spans, logs and metrics go.
//
// Defaults to the process-wide providers, which runtime::ProcessTelemetry
// installs from OTEL_* variables; tests pass an in-memory tracer instead.
#pragma once

#include <memory>

#include "telemetry/telemetry.h"

namespace agenthub::client {

struct ClientTelemetry {
  telemetry::Tracer tracer;
  // Null: telemetry::GlobalMeterProvider() when the agent is created.
  std::shared_ptr<telemetry::MeterProvider> meter_provider;
  // Null: telemetry::DefaultLogger(). Must outlive the agent objects.
  telemetry::Logger* logger = nullptr;

  // Tracer "agenthub.client" of the global provider, the global meters.
  static ClientTelemetry FromGlobals();

  telemetry::Logger& log() const { return logger ? *logger : telemetry::DefaultLogger(); }
  telemetry::Meter meter() const;
};

}  // namespace agenthub::client
