// The standard process_* metrics: read from /proc, named and typed as the
// Prometheus client-library conventions define them, with sane values.
#include "telemetry/metrics/process_metrics.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/metrics/meter_provider.h"

namespace agenthub::telemetry {
namespace {

using ::testing::HasSubstr;

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

TEST(ProcessMetrics, ResidentMemoryIsPositiveAndBelowVirtual) {
  const ProcessStats s = ReadProcessStats();
  ASSERT_TRUE(s.resident_memory_bytes && s.virtual_memory_bytes);
  EXPECT_GT(*s.resident_memory_bytes, 0);
  EXPECT_GE(*s.virtual_memory_bytes, *s.resident_memory_bytes);
}

TEST(ProcessMetrics, OpenFdsCountsStandardStreamsAndNewDescriptors) {
  const ProcessStats before = ReadProcessStats();
  ASSERT_TRUE(before.open_fds && before.max_fds);
  EXPECT_GT(*before.open_fds, 0);
  EXPECT_LE(*before.open_fds, *before.max_fds);
  const int fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(*ReadProcessStats().open_fds, *before.open_fds + 1);
  close(fd);
}

TEST(ProcessMetrics, StartTimeIsInTheRecentPast) {
  const ProcessStats s = ReadProcessStats();
  ASSERT_TRUE(s.start_time_seconds);
  EXPECT_LE(*s.start_time_seconds, NowSeconds() + 1);
  EXPECT_GT(*s.start_time_seconds, NowSeconds() - 600);  // this test binary just started
}

TEST(ProcessMetrics, ThreadsCountsLiveThreads) {
  const ProcessStats before = ReadProcessStats();
  ASSERT_TRUE(before.threads);
  EXPECT_GE(*before.threads, 1);
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return release; });
    });
  }
  EXPECT_GE(*ReadProcessStats().threads, *before.threads + 3);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
}

TEST(ProcessMetrics, CpuSecondsGrowWithWork) {
  const double before = *ReadProcessStats().cpu_seconds;
  volatile double sink = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  while (std::chrono::steady_clock::now() < until) sink = sink + 1;
  EXPECT_GT(*ReadProcessStats().cpu_seconds, before);
}

TEST(ProcessMetrics, FamiliesHaveConventionalNamesAndTypes) {
  std::map<std::string, prometheus::MetricType> types;
  for (const auto& f : ProcessMetrics().Collect()) {
    types[f.name] = f.type;
    EXPECT_FALSE(f.help.empty()) << f.name;
    EXPECT_EQ(f.metric.size(), 1u) << f.name;
  }
  using T = prometheus::MetricType;
  EXPECT_EQ(types, (std::map<std::string, T>{{"process_cpu_seconds_total", T::Counter},
                                             {"process_resident_memory_bytes", T::Gauge},
                                             {"process_virtual_memory_bytes", T::Gauge},
                                             {"process_open_fds", T::Gauge},
                                             {"process_max_fds", T::Gauge},
                                             {"process_start_time_seconds", T::Gauge},
                                             {"process_threads", T::Gauge}}));
}

TEST(ProcessMetrics, AppearInTheScrapeByDefault) {
  MeterProvider provider;
  const std::string text = provider.ScrapePrometheusText();
  EXPECT_THAT(text, HasSubstr("\nprocess_resident_memory_bytes "));
  EXPECT_THAT(text, HasSubstr("\nprocess_open_fds "));
  EXPECT_THAT(text, HasSubstr("\nprocess_start_time_seconds "));
}

}  // namespace
}  // namespace agenthub::telemetry
