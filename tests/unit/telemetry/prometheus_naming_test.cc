// How instrument names, units and attribute keys become Prometheus names
// (the rules documented in prometheus_naming.h).
#include "telemetry/metrics/prometheus_naming.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace agenthub::telemetry {
namespace {

using ::testing::HasSubstr;
using Kind = InstrumentKind;

std::string Name(std::string_view name, std::string_view unit = {}, Kind kind = Kind::kGauge) {
  return PrometheusMetricName(name, unit, kind);
}

// The message of the std::invalid_argument that creating `name` throws.
std::string Rejection(std::string_view name, std::string_view unit = {}, Kind kind = Kind::kGauge) {
  try {
    PrometheusMetricName(name, unit, kind);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(PrometheusNaming, DotsBecomeUnderscores) {
  EXPECT_EQ(Name("http.server.active_requests"), "http_server_active_requests");
}

TEST(PrometheusNaming, CountersGetTotalSuffix) {
  EXPECT_EQ(Name("tasks_published", "", Kind::kCounter), "tasks_published_total");
  EXPECT_EQ(Name("tasks", "", Kind::kObservableCounter), "tasks_total");
}

TEST(PrometheusNaming, CounterTotalIsNotDoubled) {
  EXPECT_EQ(Name("tasks_published_total", "", Kind::kCounter), "tasks_published_total");
}

TEST(PrometheusNaming, UnitSuffixIsAddedBeforeTotal) {
  EXPECT_EQ(Name("received", "By", Kind::kCounter), "received_bytes_total");
  EXPECT_EQ(Name("received_total", "By", Kind::kCounter), "received_bytes_total");
  EXPECT_EQ(Name("cpu", "s", Kind::kCounter), "cpu_seconds_total");
}

TEST(PrometheusNaming, SecondsAndBytesSuffixes) {
  EXPECT_EQ(Name("route.duration", "s", Kind::kHistogram), "route_duration_seconds");
  EXPECT_EQ(Name("heap", "By"), "heap_bytes");
}

TEST(PrometheusNaming, UnitSuffixAlreadyPresentIsNotRepeated) {
  EXPECT_EQ(Name("route_duration_seconds", "s", Kind::kHistogram), "route_duration_seconds");
  EXPECT_EQ(Name("process_cpu_seconds_total", "s", Kind::kCounter), "process_cpu_seconds_total");
}

TEST(PrometheusNaming, AnnotationsAndDimensionlessUnitsAddNothing) {
  EXPECT_EQ(Name("queue.length", "{task}"), "queue_length");
  EXPECT_EQ(Name("tasks", "1", Kind::kCounter), "tasks_total");
  EXPECT_EQ(Name("connections", "", Kind::kUpDownCounter), "connections");
}

TEST(PrometheusNaming, DimensionlessGaugeIsARatio) {
  EXPECT_EQ(Name("queue.utilization", "1"), "queue_utilization_ratio");
}

TEST(PrometheusNaming, RatesUsePer) {
  EXPECT_EQ(Name("throughput", "By/s"), "throughput_bytes_per_second");
  EXPECT_EQ(Name("arrivals", "{task}/min"), "arrivals_per_minute");
}

TEST(PrometheusNaming, ScaledUnitsAreRejectedWithAdvice) {
  EXPECT_THAT(Rejection("latency", "ms", Kind::kHistogram), HasSubstr("base units"));
  EXPECT_THAT(Rejection("heap", "MiBy"), HasSubstr("scaled"));
}

TEST(PrometheusNaming, UnknownUnitsAreRejected) {
  EXPECT_THAT(Rejection("tasks", "tasks", Kind::kCounter), HasSubstr("unknown unit 'tasks'"));
  EXPECT_THAT(Rejection("x", "By/fortnight"), HasSubstr("rates per"));
}

TEST(PrometheusNaming, ErrorsNameTheInstrument) {
  EXPECT_THAT(Rejection("Bad.Name"), HasSubstr("'Bad.Name'"));
}

TEST(PrometheusNaming, EmptyAndOverlongNamesAreRejected) {
  EXPECT_THAT(Rejection(""), HasSubstr("empty"));
  EXPECT_THAT(Rejection(std::string(256, 'a')), HasSubstr("255"));
  EXPECT_EQ(Name(std::string(255, 'a')), std::string(255, 'a'));
}

TEST(PrometheusNaming, NamesMustStartWithALowercaseLetter) {
  EXPECT_THAT(Rejection("1tasks"), HasSubstr("start with a lowercase"));
  EXPECT_THAT(Rejection("_tasks"), HasSubstr("start with a lowercase"));
}

TEST(PrometheusNaming, UppercaseIsRejectedAsNotSnakeCase) {
  EXPECT_THAT(Rejection("tasksPublished"), HasSubstr("snake_case"));
}

TEST(PrometheusNaming, ColonIsReservedForRecordingRules) {
  EXPECT_THAT(Rejection("job:tasks"), HasSubstr("recording rules"));
}

TEST(PrometheusNaming, OtherCharactersAreRejectedWithTheirPosition) {
  EXPECT_THAT(Rejection("tasks-published"), HasSubstr("'-' at position 5"));
  EXPECT_THAT(Rejection("tasks/published"), HasSubstr("'/' at position 5"));
  EXPECT_THAT(Rejection("tasks published"), HasSubstr("' ' at position 5"));
}

TEST(PrometheusNaming, TotalIsReservedForCounters) {
  EXPECT_THAT(Rejection("connections_total", "", Kind::kUpDownCounter),
              HasSubstr("reserved for counters"));
  EXPECT_THAT(Rejection("x_total", "", Kind::kHistogram), HasSubstr("reserved for counters"));
}

TEST(PrometheusNaming, HistogramsCannotEndInGeneratedSuffixes) {
  EXPECT_THAT(Rejection("latency_count", "", Kind::kHistogram), HasSubstr("'_count'"));
  EXPECT_THAT(Rejection("latency_bucket", "", Kind::kHistogram), HasSubstr("'_bucket'"));
  EXPECT_THAT(Rejection("latency_sum", "", Kind::kHistogram), HasSubstr("'_sum'"));
}

TEST(PrometheusNaming, AbbreviatedUnitsInTheNameAreRejected) {
  EXPECT_THAT(Rejection("latency_ms", "", Kind::kHistogram), HasSubstr("abbreviated unit"));
  EXPECT_THAT(Rejection("uptime_sec"), HasSubstr("abbreviated unit"));
}

TEST(PrometheusNaming, ScaledUnitWordsInTheNameAreRejected) {
  EXPECT_THAT(Rejection("latency_milliseconds", "", Kind::kHistogram),
              HasSubstr("use base unit 'seconds'"));
}

TEST(PrometheusNaming, TheTypeWordInTheNameIsRejected) {
  EXPECT_THAT(Rejection("tasks_counter", "", Kind::kCounter), HasSubstr("repeats its type"));
  EXPECT_THAT(Rejection("depth_gauge"), HasSubstr("repeats its type"));
}

TEST(PrometheusLabelName, InvalidCharactersBecomeUnderscores) {
  EXPECT_EQ(PrometheusLabelName("http.request.method"), "http_request_method");
  EXPECT_EQ(PrometheusLabelName("a-b/c d"), "a_b_c_d");
}

TEST(PrometheusLabelName, ValidKeysAreKept) {
  EXPECT_EQ(PrometheusLabelName("queue"), "queue");
  EXPECT_EQ(PrometheusLabelName("camelCase_9"), "camelCase_9");
}

TEST(PrometheusLabelName, LeadingDigitGetsKeyPrefix) {
  EXPECT_EQ(PrometheusLabelName("9lives"), "key_9lives");
}

TEST(PrometheusLabelName, ReservedDoubleUnderscoreGetsKeyPrefix) {
  EXPECT_EQ(PrometheusLabelName("__name__"), "key___name__");
}

TEST(PrometheusLabelName, LeIsRenamedOnlyOnHistograms) {
  EXPECT_EQ(PrometheusLabelName("le", /*histogram=*/true), "key_le");
  EXPECT_EQ(PrometheusLabelName("le", /*histogram=*/false), "le");
}

TEST(PrometheusHelpText, EscapesBackslashAndNewline) {
  EXPECT_EQ(PrometheusHelpText("a\\b\nc", "x"), "a\\\\b\\nc");
}

TEST(PrometheusHelpText, FallsBackToTheInstrumentName) {
  EXPECT_EQ(PrometheusHelpText("", "tasks.published"), "tasks.published");
}

}  // namespace
}  // namespace agenthub::telemetry
