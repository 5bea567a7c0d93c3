#include "client/client_telemetry.h"

namespace agenthub::client {

ClientTelemetry ClientTelemetry::FromGlobals() {
  return ClientTelemetry{
      telemetry::GlobalTracerProvider()->GetTracer("agenthub.client"),
      telemetry::GlobalMeterProvider(),
      nullptr,
  };
}

telemetry::Meter ClientTelemetry::meter() const {
  auto provider = meter_provider ? meter_provider : telemetry::GlobalMeterProvider();
  return provider->GetMeter("agenthub.client");
}

}  // namespace agenthub::client
