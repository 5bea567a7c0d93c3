// What the broker reports about itself: one trace per task across the
// broker (publisher span -> route_task -> the delivered message's parent),
// route spans for results and progress, and metrics that really move.
#include <gtest/gtest.h>

#include <regex>

#include "support/broker_fixture.h"
#include "support/tracing_fixture.h"
#include "telemetry/grpc/grpc.h"

namespace agenthub::broker::testing {
namespace {

using telemetry::Context;
using telemetry::SpanData;

// The publisher's own process: a tracer that injects into trace_headers.
struct Publisher {
  telemetry::testing::TracingFixture tracing;
  telemetry::W3CTraceContextPropagator propagator;
};

std::string StringAttribute(const SpanData& span, std::string_view key) {
  const auto* v = telemetry::FindAttribute(span.attributes, key);
  return v && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : "<absent>";
}

std::optional<SpanData> OnlySpanNamed(BrokerHarness& broker, const std::string& name) {
  auto spans = broker.spans->SpansNamed(name);
  if (spans.size() != 1) return std::nullopt;
  return spans.front();
}

Context ContextIn(const google::protobuf::Struct& metadata) {
  telemetry::W3CTraceContextPropagator propagator;
  return telemetry::ExtractTraceHeaders(metadata, propagator, Context());
}

TEST(EventBusTracing, TheDeliveredTaskIsAChildOfRouteTaskWhichIsAChildOfThePublisher) {
  BrokerHarness broker;
  Publisher publisher;
  auto agent = broker.SubscribeTasks("w");
  auto task = MakeTask("traced", "work", "pub", "w");
  telemetry::Span publish = publisher.tracing.tracer.StartSpan("publish_event");
  telemetry::InjectTraceHeaders(Context().WithSpan(publish), task.mutable_metadata(),
                                publisher.propagator);
  ASSERT_TRUE(broker.Publish(task).ok());
  publish.End();

  auto delivered = agent->Next();
  ASSERT_TRUE(delivered.has_value());
  ASSERT_TRUE(WaitFor([&] { return broker.spans->SpansNamed("route_task").size() == 1; }));
  const SpanData route = *OnlySpanNamed(broker, "route_task");
  EXPECT_EQ(route.context.trace_id(), publish.context().trace_id());
  EXPECT_EQ(route.parent_span_id, publish.context().span_id());
  EXPECT_TRUE(route.parent_is_remote);

  const Context next_hop = ContextIn(delivered->metadata());
  EXPECT_EQ(next_hop.span().context().trace_id(), publish.context().trace_id());
  EXPECT_EQ(next_hop.span().context().span_id(), route.context.span_id());

  EXPECT_EQ(StringAttribute(route, "source.agent"), "pub");
  EXPECT_EQ(StringAttribute(route, "target.agent"), "w");
  EXPECT_EQ(StringAttribute(route, "messaging.system"), "agenthub");
  EXPECT_EQ(StringAttribute(route, "messaging.message.id"), "traced");
  std::vector<std::string> events;
  for (const auto& e : route.events) events.push_back(e.name);
  EXPECT_EQ(events, (std::vector<std::string>{"queued", "delivered"}));
}

TEST(EventBusTracing, GrpcMetadataCarriesTheContextWhenTheMessageHasNone) {
  BrokerHarness broker;
  Publisher publisher;
  auto agent = broker.SubscribeTasks("w");
  telemetry::Span publish = publisher.tracing.tracer.StartSpan("publish_event");
  std::string traceparent = "00-" + publish.context().trace_id().ToHex() + "-" +
                            publish.context().span_id().ToHex() + "-01";
  ASSERT_TRUE(
      broker.Publish(MakeTask("via-metadata", "work", "pub", "w"), {{"traceparent", traceparent}})
          .ok());
  publish.End();
  ASSERT_TRUE(agent->Next().has_value());
  ASSERT_TRUE(WaitFor([&] { return broker.spans->SpansNamed("route_task").size() == 1; }));
  const SpanData route = *OnlySpanNamed(broker, "route_task");
  EXPECT_EQ(route.context.trace_id(), publish.context().trace_id());
  EXPECT_EQ(route.parent_span_id, publish.context().span_id());
}

TEST(EventBusTracing, ResultsCarryRouteResultToTheRequesterAndExpiryIsAnErrorSpan) {
  BrokerHarness broker;
  Publisher executor;
  auto results = broker.SubscribeResults("pub");
  ASSERT_TRUE(broker.Publish(MakeTask("t1", "work", "pub", "w")).ok());
  telemetry::Span publish_result = executor.tracing.tracer.StartSpan("publish_result");
  auto result = MakeResult("t1", "w");
  telemetry::InjectTraceHeaders(Context().WithSpan(publish_result),
                                result.mutable_execution_metadata(), executor.propagator);
  ASSERT_TRUE(broker.PublishResult(result).ok());
  publish_result.End();
  auto received = results->Next();
  ASSERT_TRUE(received.has_value());
  ASSERT_TRUE(WaitFor([&] { return broker.spans->SpansNamed("route_result").size() == 1; }));
  const SpanData route = *OnlySpanNamed(broker, "route_result");
  EXPECT_EQ(route.parent_span_id, publish_result.context().span_id());
  EXPECT_EQ(ContextIn(received->execution_metadata()).span().context().span_id(),
            route.context.span_id());

  auto late = MakeTask("expires", "work", "pub", "absent");
  *late.mutable_deadline() = google::protobuf::util::TimeUtil::GetCurrentTime();
  ASSERT_TRUE(broker.Publish(late).ok());
  auto failed = results->Next();
  ASSERT_TRUE(failed.has_value());
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& s : broker.spans->SpansNamed("route_task")) {
      if (s.status.code == telemetry::StatusCode::kError) return true;
    }
    return false;
  }));
  // The FAILED result continues the expired task's trace.
  telemetry::TraceId expired_trace;
  for (const auto& s : broker.spans->SpansNamed("route_task")) {
    if (s.status.code == telemetry::StatusCode::kError) expired_trace = s.context.trace_id();
  }
  EXPECT_EQ(ContextIn(failed->execution_metadata()).span().context().trace_id(), expired_trace);
}

// The value of one sample in Prometheus text (labels in prometheus-cpp's
// sorted order), or -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

TEST(EventBusMetrics, EveryBrokerMetricMoves) {
  BrokerOptions options;
  options.limits.max_queue_per_agent = 1;
  BrokerHarness broker(options);
  auto agent = broker.SubscribeTasks("w");
  auto results = broker.SubscribeResults("pub");
  ASSERT_TRUE(broker.Publish(MakeTask("m1", "work", "pub", "w")).ok());
  ASSERT_TRUE(agent->Next().has_value());
  ASSERT_TRUE(broker.PublishResult(MakeResult("m1", "w")).ok());
  ASSERT_TRUE(results->Next().has_value());
  ASSERT_TRUE(broker.PublishProgress(MakeProgress("m1", "w", 10)).ok());
  ASSERT_TRUE(broker.Publish(MakeTask("q1", "work", "pub", "absent")).ok());
  EXPECT_FALSE(broker.Publish(MakeTask("q2", "work", "pub", "absent")).ok());  // queue full
  EXPECT_FALSE(broker.Publish(MakeTask("", "work", "pub", "w")).ok());         // invalid
  auto expiring = MakeTask("x1", "work", "pub", "gone");
  *expiring.mutable_deadline() = google::protobuf::util::TimeUtil::GetCurrentTime();
  ASSERT_TRUE(broker.Publish(expiring).ok());
  ASSERT_TRUE(results->Next().has_value());  // the expiry result

  const std::string text = broker.telemetry().meter_provider()->ScrapePrometheusText();
  const std::vector<std::string> moved = {
      R"(events_processed_total{event_type="task",source="all",success="true"})",
      R"(events_processed_total{event_type="task",source="all",success="false"})",
      R"(events_processed_total{event_type="task_result",source="all",success="true"})",
      R"(events_processed_total{event_type="task_progress",source="all",success="true"})",
      R"(event_processing_duration_seconds_count)",
      R"(event_errors_total{error="resource_exhausted",event_type="task",source="all"})",
      R"(event_errors_total{error="invalid_argument",event_type="task",source="all"})",
      R"(events_published_total{destination="all",event_type="task"})",
      R"(events_published_total{destination="all",event_type="task_result"})",
      R"(broker_message_routing_duration_seconds_count)",
      R"(broker_connections)",
      R"(broker_subscriptions{kind="tasks"})",
      R"(broker_subscriptions{kind="results"})",
      R"(broker_queue_depth)",
      R"(broker_queue_depth_max)",
      R"(broker_queue_depth_limit)",
      R"(broker_tasks_expired_total)",
      R"(broker_tasks_rejected_total{reason="queue_full"})",
      R"(broker_tasks_rejected_total{reason="invalid"})",
  };
  for (const auto& series : moved) {
    EXPECT_GT(Sample(text, series), 0) << series << " did not move\n" << text;
  }
  // No agent id becomes a label without --per-agent-metrics.
  EXPECT_EQ(text.find("\"w\""), std::string::npos);
  EXPECT_EQ(text.find("\"pub\""), std::string::npos);
}

TEST(EventBusMetrics, PerAgentMetricsLabelByAgentWhenAskedFor) {
  BrokerOptions options;
  options.per_agent_metrics = true;
  BrokerHarness broker(options);
  auto agent = broker.SubscribeTasks("w");
  ASSERT_TRUE(broker.Publish(MakeTask("m1", "work", "pub", "w")).ok());
  ASSERT_TRUE(agent->Next().has_value());
  ASSERT_TRUE(WaitFor([&] {
    const std::string text = broker.telemetry().meter_provider()->ScrapePrometheusText();
    return Sample(text, R"(events_published_total{destination="w",event_type="task"})") == 1;
  }));
  const std::string text = broker.telemetry().meter_provider()->ScrapePrometheusText();
  EXPECT_EQ(
      Sample(text, R"(events_processed_total{event_type="task",source="pub",success="true"})"), 1);
}

}  // namespace
}  // namespace agenthub::broker::testing
