// The README's example, compiled and run through the front-door header, so
// the documentation cannot drift from the API.
#include "telemetry/telemetry.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace agenthub::telemetry {
namespace {

TEST(FrontDoor, TheReadmeExampleProducesAParentChildTraceAndATraceparent) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto options = TracerProviderOptions::FromEnvironment(Resource::Create("my-agent", "1.0.0"));
  options.processors.push_back(std::make_unique<BatchSpanProcessor>(
      std::make_unique<InMemorySpanExporter>(store), BatchSpanProcessorOptions::FromEnvironment()));
  auto provider = std::make_shared<TracerProvider>(std::move(options));
  Tracer tracer = provider->GetTracer("my-agent");

  Span span = tracer.StartSpan("process_task", {.kind = SpanKind::kConsumer});
  span.SetAttribute("task.type", "greeting");
  {
    ContextScope scope(Context::Current().WithSpan(span));
    Span child = tracer.StartSpan("validate_input");
    child.End();
  }
  span.SetStatus(StatusCode::kOk);
  span.End();

  std::map<std::string, std::string> headers;
  MapCarrier carrier(headers);
  GlobalPropagator()->Inject(Context::Current().WithSpan(span), carrier);
  EXPECT_EQ(headers["traceparent"], "00-" + span.context().trace_id().ToHex() + "-" +
                                        span.context().span_id().ToHex() + "-01");

  ASSERT_TRUE(provider->ForceFlush());
  const auto spans = store->spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].name, "validate_input");
  EXPECT_EQ(spans[0].parent_span_id, span.context().span_id());
  EXPECT_EQ(spans[1].resource->service_name(), "my-agent");
}

}  // namespace
}  // namespace agenthub::telemetry
