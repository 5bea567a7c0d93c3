// The /metrics text: HELP and TYPE for every family, escaping, and a scrape
// that Prometheus's own `promtool check metrics` accepts without a lint
// problem.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "support/scoped_env.h"
#include "telemetry/metrics/metrics.h"

namespace agenthub::telemetry {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPromtool = "/usr/bin/promtool";

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `promtool check metrics` with `exposition` on its stdin.
CommandResult PromtoolCheckMetrics(const std::string& exposition) {
  char path[] = "/tmp/agenthub_exposition_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return {-1, "mkstemp failed"};
  close(fd);
  std::ofstream(path) << exposition;
  const std::string command = std::string(kPromtool) + " check metrics < " + path + " 2>&1";
  CommandResult result;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  unlink(path);
  return result;
}

// A provider with every kind of family, including awkward text.
class ExpositionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MeterProviderOptions options;
    options.resource =
        Resource(Attributes{{"service.name", "exposition-test"}, {"service.version", "1.0"}});
    provider_ = std::make_unique<MeterProvider>(std::move(options));
    Meter meter = provider_->GetMeter("agenthub.test");
    auto published = meter.CreateInt64Counter("agenthub.tasks.published", "Tasks accepted");
    published.Add(3, {{"task_type", "greeting"}});
    published.Add(1, {{"task_type", "quote\"back\\slash\nnewline"}});
    meter.CreateDoubleCounter("agenthub.bytes.received", "Payload received", "By").Add(1024.5);
    meter.CreateInt64UpDownCounter("agenthub.subscribers", "Connected subscribers").Add(2);
    meter.CreateDoubleGauge("agenthub.queue.utilization", "Share of queue capacity used", "1")
        .Set(0.25);
    auto latency = meter.CreateHistogram("agenthub.route.duration",
                                         "Time to route a task\nacross \\ queues", "s");
    latency.Record(0.0004, {{"queue", "tasks"}});
    latency.Record(3, {{"queue", "results"}});
    meter.CreateObservableGauge("agenthub.queue.depth", "", "{task}", [](ObserverResult& r) {
      r.Observe(5, {{"queue", "tasks"}});
    });
    meter.CreateObservableCounter("agenthub.cache.hits", "Cache hits", "",
                                  [](ObserverResult& r) { r.Observe(9); });
  }

  std::unique_ptr<MeterProvider> provider_;
};

TEST_F(ExpositionTest, EveryFamilyHasHelpAndType) {
  const std::string text = provider_->ScrapePrometheusText();
  std::set<std::string> helped, typed;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string hash, keyword, name;
    words >> hash >> keyword >> name;
    if (hash != "#") continue;
    (keyword == "HELP" ? helped : typed).insert(name);
  }
  EXPECT_EQ(helped, typed);
  for (const auto& family : provider_->Collect()) {
    EXPECT_TRUE(helped.count(family.name)) << family.name << " has no HELP";
  }
  EXPECT_THAT(text, HasSubstr("# HELP agenthub_queue_depth agenthub.queue.depth\n"));
}

TEST_F(ExpositionTest, TypesFollowTheInstruments) {
  const std::string text = provider_->ScrapePrometheusText();
  EXPECT_THAT(text, HasSubstr("# TYPE agenthub_tasks_published_total counter"));
  EXPECT_THAT(text, HasSubstr("# TYPE agenthub_bytes_received_bytes_total counter"));
  EXPECT_THAT(text, HasSubstr("# TYPE agenthub_subscribers gauge"));
  EXPECT_THAT(text, HasSubstr("# TYPE agenthub_queue_utilization_ratio gauge"));
  EXPECT_THAT(text, HasSubstr("# TYPE agenthub_route_duration_seconds histogram"));
  EXPECT_THAT(text, HasSubstr("# TYPE agenthub_cache_hits_total counter"));
}

TEST_F(ExpositionTest, HistogramSeriesHaveBucketsSumAndCount) {
  const std::string text = provider_->ScrapePrometheusText();
  EXPECT_THAT(text,
              HasSubstr("agenthub_route_duration_seconds_bucket{queue=\"tasks\",le=\"0.0005\"} 1"));
  EXPECT_THAT(text,
              HasSubstr("agenthub_route_duration_seconds_bucket{queue=\"tasks\",le=\"+Inf\"} 1"));
  EXPECT_THAT(text, HasSubstr("agenthub_route_duration_seconds_count{queue=\"results\"} 1"));
  EXPECT_THAT(text, HasSubstr("agenthub_route_duration_seconds_sum{queue=\"results\"} 3"));
}

TEST_F(ExpositionTest, HelpAndLabelValuesAreEscaped) {
  const std::string text = provider_->ScrapePrometheusText();
  EXPECT_THAT(text, HasSubstr("Time to route a task\\nacross \\\\ queues\n"));
  EXPECT_THAT(text, HasSubstr("task_type=\"quote\\\"back\\\\slash\\nnewline\""));
}

TEST_F(ExpositionTest, ResourceIsExposedAsTargetInfo) {
  const std::string text = provider_->ScrapePrometheusText();
  EXPECT_THAT(text, HasSubstr("# TYPE target_info gauge"));
  EXPECT_THAT(text,
              HasSubstr("target_info{service_name=\"exposition-test\",service_version=\"1.0\"} 1"));
}

TEST_F(ExpositionTest, ProcessAndTraceSelfMetricsAreIncludedByDefault) {
  const std::string text = provider_->ScrapePrometheusText();
  EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter"));
  EXPECT_THAT(text, HasSubstr("# TYPE agenthub_trace_spans_started_total counter"));
}

TEST_F(ExpositionTest, FamiliesCanBeLeftOut) {
  MeterProviderOptions options;
  options.target_info = false;
  options.process_metrics = false;
  options.trace_self_metrics = false;
  MeterProvider bare(std::move(options));
  EXPECT_EQ(bare.ScrapePrometheusText(), "");
}

TEST_F(ExpositionTest, FamilyReportedTwiceAppearsOnce) {
  testing::DiagnosticCapture diagnostics;
  provider_->AddCollectable(std::make_shared<CallbackCollectable>([] {
    return std::vector<MetricSample>{
        GaugeSample("agenthub_subscribers", "dup", 1, {{"source", "extra"}})};
  }));
  provider_->AddCollectable(std::make_shared<CallbackCollectable>([] {
    return std::vector<MetricSample>{
        CounterSample("agenthub_subscribers", "wrong type", 1, {{"source", "other"}})};
  }));
  const std::string text = provider_->ScrapePrometheusText();
  size_t count = 0;
  for (size_t at = 0; (at = text.find("# TYPE agenthub_subscribers ", at)) != std::string::npos;
       ++at) {
    ++count;
  }
  EXPECT_EQ(count, 1u);
  EXPECT_THAT(text, HasSubstr("agenthub_subscribers{source=\"extra\"} 1"));
  EXPECT_THAT(text, Not(HasSubstr("source=\"other\"")));
  EXPECT_TRUE(diagnostics.HasWarningContaining({"agenthub_subscribers", "different types"}));
}

TEST_F(ExpositionTest, PromtoolAcceptsTheScrapeWithoutLintProblems) {
  ASSERT_EQ(access(kPromtool, X_OK), 0)
      << kPromtool << " is missing: run scripts/install-deps (Debian package 'prometheus')";
  const std::string text = provider_->ScrapePrometheusText();
  const CommandResult result = PromtoolCheckMetrics(text);
  EXPECT_EQ(result.exit_code, 0) << result.output << "\n--- exposition ---\n" << text;
  EXPECT_EQ(result.output, "") << "promtool reported problems";
}

TEST_F(ExpositionTest, PromtoolDetectsABrokenExposition) {
  ASSERT_EQ(access(kPromtool, X_OK), 0)
      << kPromtool << " is missing: run scripts/install-deps (Debian package 'prometheus')";
  // Guards the check above: a lint problem must not pass unnoticed.
  const CommandResult result = PromtoolCheckMetrics("# TYPE bad_name counter\nbad_name 1\n");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.output, HasSubstr("bad_name"));
}

}  // namespace
}  // namespace agenthub::telemetry
