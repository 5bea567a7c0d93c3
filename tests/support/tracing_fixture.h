// A TracerProvider wired to an in-memory store through a SimpleSpanProcessor,
// so a test can start spans and read back exactly what was exported.
#pragma once

#include <memory>

#include "telemetry/export/in_memory_span_exporter.h"
#include "telemetry/trace/simple_span_processor.h"
#include "telemetry/trace/tracer_provider.h"

namespace agenthub::telemetry::testing {

struct TracingFixture {
  explicit TracingFixture(SpanLimits limits = {}, std::shared_ptr<Sampler> sampler = nullptr) {
    TracerProviderOptions options;
    options.resource = Resource(Attributes{{"service.name", "test-service"}});
    options.limits = limits;
    options.sampler = std::move(sampler);
    options.processors.push_back(
        std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
    provider = std::make_unique<TracerProvider>(std::move(options));
    tracer = provider->GetTracer("test-scope", "1.0");
  }

  std::shared_ptr<InMemorySpanStore> store = std::make_shared<InMemorySpanStore>();
  std::unique_ptr<TracerProvider> provider;
  Tracer tracer;
};

}  // namespace agenthub::telemetry::testing
