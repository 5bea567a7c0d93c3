// ConsoleSpanExporter: the per-trace tree people read in a terminal.
#include "telemetry/export/console_span_exporter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace agenthub::telemetry {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr char kTraceHex[] = "0af7651916cd43dd8448eb211c80319c";
const Timestamp kEpoch = FromUnixNanos(1'700'000'000'000'000'000ULL);

std::shared_ptr<const Resource> Service(const char* name) {
  return std::make_shared<Resource>(Attributes{{"service.name", name}});
}

// A span of trace kTraceHex whose span id is `id` (and parent `parent`, 0 for
// none), starting `start` after kEpoch and lasting `duration`.
SpanData MakeSpan(std::string name, uint8_t id, uint8_t parent, nanoseconds start,
                  nanoseconds duration) {
  SpanData span;
  SpanId span_id;
  span_id.mutable_bytes()[7] = id;
  span.context =
      SpanContext(*TraceId::FromHex(kTraceHex), span_id, TraceFlags{TraceFlags::kSampled}, false);
  if (parent != 0) span.parent_span_id.mutable_bytes()[7] = parent;
  span.name = std::move(name);
  span.start_time = kEpoch + start;
  span.end_time = span.start_time + duration;
  return span;
}

std::string Format(const std::vector<const SpanData*>& spans) { return FormatSpanTree(spans); }

TEST(ConsoleSpanExporterTest, ChildrenNestUnderTheirParentWithAttributesFirst) {
  SpanData publish = MakeSpan("publish_event", 1, 0, milliseconds(0), milliseconds(25));
  publish.kind = SpanKind::kProducer;
  publish.resource = Service("agenthub-publisher");
  publish.attributes = {{"event.type", "greeting"}, {"event.id", "task_123"}};
  SpanData route = MakeSpan("route_task", 2, 1, milliseconds(1), milliseconds(2));
  route.resource = Service("agenthub-broker");
  route.attributes = {{"source.agent", "agent_demo_publisher"}};
  SpanData consume = MakeSpan("consume_event", 3, 2, milliseconds(2), milliseconds(5));
  consume.kind = SpanKind::kConsumer;
  consume.resource = Service("agenthub-subscriber");
  // Batches arrive in end order, children before parents.
  EXPECT_EQ(Format({&consume, &route, &publish}),
            "Trace: 0af7651916cd43dd8448eb211c80319c\n"
            "└── publish_event (agenthub-publisher) [25.0ms] PRODUCER\n"
            "    ├── event.type: greeting\n"
            "    ├── event.id: task_123\n"
            "    └── route_task (agenthub-broker) [2.00ms] INTERNAL\n"
            "        ├── source.agent: agent_demo_publisher\n"
            "        └── consume_event (agenthub-subscriber) [5.00ms] CONSUMER\n");
}

TEST(ConsoleSpanExporterTest, SiblingsAreOrderedByStartTimeWithPipesBetweenThem) {
  SpanData root = MakeSpan("root", 1, 0, milliseconds(0), milliseconds(100));
  SpanData late = MakeSpan("late", 2, 1, milliseconds(50), milliseconds(1));
  late.attributes = {{"k", 1}};
  SpanData early = MakeSpan("early", 3, 1, milliseconds(10), milliseconds(1));
  early.attributes = {{"k", 2}};
  EXPECT_EQ(Format({&late, &early, &root}),
            "Trace: 0af7651916cd43dd8448eb211c80319c\n"
            "└── root [100.0ms] INTERNAL\n"
            "    ├── early [1.00ms] INTERNAL\n"
            "    │   └── k: 2\n"
            "    └── late [1.00ms] INTERNAL\n"
            "        └── k: 1\n");
}

TEST(ConsoleSpanExporterTest, SpanWhoseParentIsNotInTheBatchIsARoot) {
  SpanData orphan = MakeSpan("route_result", 5, 4, milliseconds(0), milliseconds(3));
  SpanData other = MakeSpan("consume_result", 6, 9, milliseconds(1), milliseconds(1));
  EXPECT_EQ(Format({&orphan, &other}),
            "Trace: 0af7651916cd43dd8448eb211c80319c\n"
            "├── route_result [3.00ms] INTERNAL\n"
            "└── consume_result [1.00ms] INTERNAL\n");
}

TEST(ConsoleSpanExporterTest, ErrorStatusIsMarkedWithItsMessage) {
  SpanData span = MakeSpan("process_task", 1, 0, milliseconds(0), milliseconds(98));
  span.status = {StatusCode::kError, "handler failed"};
  EXPECT_EQ(Format({&span}),
            "Trace: 0af7651916cd43dd8448eb211c80319c\n"
            "└── process_task [98.0ms] INTERNAL ✗ ERROR: handler failed\n");
}

TEST(ConsoleSpanExporterTest, ErrorWithoutMessageIsStillMarked) {
  SpanData span = MakeSpan("op", 1, 0, milliseconds(0), milliseconds(1));
  span.status = {StatusCode::kError, ""};
  EXPECT_NE(Format({&span}).find("[1.00ms] INTERNAL ✗ ERROR\n"), std::string::npos);
}

TEST(ConsoleSpanExporterTest, OkStatusIsNotMarked) {
  SpanData span = MakeSpan("op", 1, 0, milliseconds(0), milliseconds(1));
  span.status = {StatusCode::kOk, ""};
  EXPECT_EQ(Format({&span}).find("ERROR"), std::string::npos);
}

TEST(ConsoleSpanExporterTest, EventsFollowAttributesWithTheirOffsetAndAttributes) {
  SpanData span = MakeSpan("process_task", 1, 0, milliseconds(0), milliseconds(10));
  span.attributes = {{"task.type", "greeting"}};
  span.events.push_back(
      {"exception", span.start_time + microseconds(1500), {{"exception.type", "Timeout"}}, 0});
  span.events.push_back({"retry", span.start_time + milliseconds(3), {}, 0});
  SpanData child = MakeSpan("publish_result", 2, 1, milliseconds(5), milliseconds(1));
  EXPECT_EQ(Format({&child, &span}),
            "Trace: 0af7651916cd43dd8448eb211c80319c\n"
            "└── process_task [10.0ms] INTERNAL\n"
            "    ├── task.type: greeting\n"
            "    ├── event: exception (+1.50ms)\n"
            "    │   └── exception.type: Timeout\n"
            "    ├── event: retry (+3.00ms)\n"
            "    └── publish_result [1.00ms] INTERNAL\n");
}

TEST(ConsoleSpanExporterTest, EachTraceGetsItsOwnBlockInOrderOfAppearance) {
  SpanData first = MakeSpan("first", 1, 0, milliseconds(0), milliseconds(1));
  SpanData second = MakeSpan("second", 2, 0, milliseconds(0), milliseconds(1));
  second.context = SpanContext(*TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                               second.context.span_id(), TraceFlags{}, false);
  EXPECT_EQ(Format({&first, &second}),
            "Trace: 0af7651916cd43dd8448eb211c80319c\n"
            "└── first [1.00ms] INTERNAL\n"
            "Trace: 4bf92f3577b34da6a3ce929d0e0e4736\n"
            "└── second [1.00ms] INTERNAL\n");
}

TEST(ConsoleSpanExporterTest, LineBreaksInValuesAreEscapedToKeepTheTreeIntact) {
  SpanData span = MakeSpan("op", 1, 0, milliseconds(0), milliseconds(1));
  span.attributes = {{"body", "line one\nline two"}};
  EXPECT_NE(Format({&span}).find("└── body: line one\\nline two\n"), std::string::npos);
}

TEST(ConsoleSpanExporterTest, ParentCyclesStillPrintEverySpanOnce) {
  SpanData a = MakeSpan("a", 1, 2, milliseconds(0), milliseconds(1));
  SpanData b = MakeSpan("b", 2, 1, milliseconds(1), milliseconds(1));
  EXPECT_EQ(Format({&b, &a}),
            "Trace: 0af7651916cd43dd8448eb211c80319c\n"
            "└── a [1.00ms] INTERNAL\n"
            "    └── b [1.00ms] INTERNAL\n");
}

TEST(ConsoleSpanExporterTest, EmptyBatchPrintsNothing) { EXPECT_EQ(Format({}), ""); }

TEST(FormatDurationMsTest, KeepsAboutThreeSignificantDigits) {
  EXPECT_EQ(FormatDurationMs(microseconds(42)), "0.042ms");
  EXPECT_EQ(FormatDurationMs(microseconds(2150)), "2.15ms");
  EXPECT_EQ(FormatDurationMs(microseconds(98'300)), "98.3ms");
  EXPECT_EQ(FormatDurationMs(milliseconds(1234)), "1234ms");
}

TEST(FormatDurationMsTest, NegativeDurationsPrintAsZero) {
  EXPECT_EQ(FormatDurationMs(milliseconds(-5)), "0.000ms");
}

TEST(ConsoleSpanExporterTest, ExportWritesTheTreeToTheGivenStream) {
  std::ostringstream out;
  ConsoleSpanExporter exporter(out);
  SpanData span = MakeSpan("op", 1, 0, milliseconds(0), milliseconds(1));
  const SpanData* batch[] = {&span};
  EXPECT_EQ(exporter.Export(batch, SteadyClock::now()), ExportResult::kSuccess);
  EXPECT_EQ(out.str(), FormatSpanTree(batch));
  EXPECT_TRUE(exporter.ForceFlush(milliseconds(100)));
}

TEST(ConsoleSpanExporterTest, ExportAfterShutdownFailsAndWritesNothing) {
  std::ostringstream out;
  ConsoleSpanExporter exporter(out);
  EXPECT_TRUE(exporter.Shutdown(milliseconds(100)));
  SpanData span = MakeSpan("op", 1, 0, milliseconds(0), milliseconds(1));
  const SpanData* batch[] = {&span};
  EXPECT_EQ(exporter.Export(batch, SteadyClock::now()), ExportResult::kFailure);
  EXPECT_EQ(out.str(), "");
}

TEST(ConsoleSpanExporterTest, BrokenStreamMakesExportFail) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  ConsoleSpanExporter exporter(out);
  SpanData span = MakeSpan("op", 1, 0, milliseconds(0), milliseconds(1));
  const SpanData* batch[] = {&span};
  EXPECT_EQ(exporter.Export(batch, SteadyClock::now()), ExportResult::kFailure);
}

}  // namespace
}  // namespace agenthub::telemetry
