#include "telemetry/trace/simple_span_processor.h"

#include <gtest/gtest.h>

#include "support/test_exporters.h"
#include "support/tracing_fixture.h"

namespace agenthub::telemetry {
namespace {

using namespace std::chrono_literals;

TEST(SimpleSpanProcessor, ExportsEachSpanSynchronouslyOnEnd) {
  testing::TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  EXPECT_EQ(f.store->size(), 0u);
  span.End();
  EXPECT_EQ(f.store->size(), 1u);
  EXPECT_EQ(f.provider->stats().spans_exported, 1u);
}

TEST(SimpleSpanProcessor, DropsSpansEndedAfterShutdown) {
  auto shared = std::make_shared<testing::CountingExporter::Shared>();
  SimpleSpanProcessor* raw = nullptr;
  TracerProviderOptions o;
  auto processor =
      std::make_unique<SimpleSpanProcessor>(std::make_unique<testing::CountingExporter>(shared));
  raw = processor.get();
  o.processors.push_back(std::move(processor));
  TracerProvider provider(std::move(o));
  Span open = provider.GetTracer("t").StartSpan("open");
  EXPECT_TRUE(raw->Shutdown(1s));
  open.End();
  EXPECT_EQ(shared->spans, 0);
  EXPECT_EQ(raw->stats().spans_dropped, 1u);
}

}  // namespace
}  // namespace agenthub::telemetry
