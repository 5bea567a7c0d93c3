// JsonlSpanExporter: one OTLP/JSON ExportTraceServiceRequest per line.
#include "telemetry/export/jsonl_span_exporter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "telemetry/common/diagnostics.h"

namespace agenthub::telemetry {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;

SpanData MakeSpan(std::string name) {
  SpanData span;
  span.context = SpanContext(NewTraceId(), NewSpanId(), TraceFlags{TraceFlags::kSampled}, false);
  span.name = std::move(name);
  span.start_time = FromUnixNanos(1'700'000'000'000'000'000ULL);
  span.end_time = FromUnixNanos(1'700'000'000'001'000'000ULL);
  return span;
}

Deadline Soon() { return SteadyClock::now() + milliseconds(100); }

std::vector<std::string> ReadLines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Captures diagnostics for the duration of a test.
class CapturedWarnings {
 public:
  CapturedWarnings() {
    SetDiagnosticHandler([this](DiagnosticLevel level, std::string_view message) {
      std::lock_guard lock(mu_);
      if (level == DiagnosticLevel::kWarn) messages_.emplace_back(message);
    });
  }
  ~CapturedWarnings() { SetDiagnosticHandler({}); }
  std::vector<std::string> messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> messages_;
};

class JsonlSpanExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("jsonl_exporter_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(JsonlSpanExporterTest, EachBatchIsOneParseableOtlpJsonLine) {
  const fs::path file = dir_ / "spans.jsonl";
  JsonlSpanExporter exporter(file.string());
  SpanData a = MakeSpan("a");
  SpanData b = MakeSpan("b");
  SpanData c = MakeSpan("c");
  const SpanData* first[] = {&a, &b};
  const SpanData* second[] = {&c};
  EXPECT_EQ(exporter.Export(first, Soon()), ExportResult::kSuccess);
  EXPECT_EQ(exporter.Export(second, Soon()), ExportResult::kSuccess);

  std::vector<std::string> lines = ReadLines(file);
  ASSERT_EQ(lines.size(), 2u);
  json one = json::parse(lines[0]);
  json two = json::parse(lines[1]);
  EXPECT_EQ(one["resourceSpans"][0]["scopeSpans"][0]["spans"].size(), 2u);
  EXPECT_EQ(two["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["name"], "c");
  EXPECT_EQ(two["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["traceId"],
            c.context.trace_id().ToHex());
}

TEST_F(JsonlSpanExporterTest, LinesAreVisibleBeforeShutdown) {
  const fs::path file = dir_ / "spans.jsonl";
  JsonlSpanExporter exporter(file.string());
  SpanData a = MakeSpan("a");
  const SpanData* batch[] = {&a};
  exporter.Export(batch, Soon());
  // Read while the exporter still holds the file open: flushed per batch.
  EXPECT_EQ(ReadLines(file).size(), 1u);
}

TEST_F(JsonlSpanExporterTest, AppendsToAnExistingFile) {
  const fs::path file = dir_ / "spans.jsonl";
  std::ofstream(file) << "{\"earlier\": true}\n";
  JsonlSpanExporter exporter(file.string());
  SpanData a = MakeSpan("a");
  const SpanData* batch[] = {&a};
  exporter.Export(batch, Soon());
  std::vector<std::string> lines = ReadLines(file);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "{\"earlier\": true}");
}

TEST_F(JsonlSpanExporterTest, EmptyBatchWritesNothing) {
  const fs::path file = dir_ / "spans.jsonl";
  JsonlSpanExporter exporter(file.string());
  EXPECT_EQ(exporter.Export({}, Soon()), ExportResult::kSuccess);
  EXPECT_TRUE(ReadLines(file).empty());
}

TEST_F(JsonlSpanExporterTest, UnopenablePathWarnsAndExportFails) {
  CapturedWarnings warnings;
  const fs::path file = dir_ / "missing-dir" / "spans.jsonl";
  JsonlSpanExporter exporter(file.string());
  SpanData a = MakeSpan("a");
  const SpanData* batch[] = {&a};
  EXPECT_EQ(exporter.Export(batch, Soon()), ExportResult::kFailure);
  std::vector<std::string> messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);  // once, not once per batch
  EXPECT_NE(messages[0].find(file.string()), std::string::npos);
}

TEST_F(JsonlSpanExporterTest, RecoversOnceThePathBecomesWritable) {
  CapturedWarnings warnings;
  const fs::path file = dir_ / "later" / "spans.jsonl";
  JsonlSpanExporter exporter(file.string());
  SpanData a = MakeSpan("a");
  const SpanData* batch[] = {&a};
  ASSERT_EQ(exporter.Export(batch, Soon()), ExportResult::kFailure);
  fs::create_directories(dir_ / "later");
  EXPECT_EQ(exporter.Export(batch, Soon()), ExportResult::kSuccess);
  EXPECT_EQ(ReadLines(file).size(), 1u);
}

TEST_F(JsonlSpanExporterTest, ExportAfterShutdownFails) {
  const fs::path file = dir_ / "spans.jsonl";
  JsonlSpanExporter exporter(file.string());
  EXPECT_TRUE(exporter.Shutdown(milliseconds(100)));
  SpanData a = MakeSpan("a");
  const SpanData* batch[] = {&a};
  EXPECT_EQ(exporter.Export(batch, Soon()), ExportResult::kFailure);
  EXPECT_TRUE(ReadLines(file).empty());
}

TEST(JsonlSpanExporterStreamTest, WritesOneNewlineTerminatedLinePerBatch) {
  std::ostringstream out;
  JsonlSpanExporter exporter(out);
  SpanData a = MakeSpan("a");
  const SpanData* batch[] = {&a};
  exporter.Export(batch, Soon());
  exporter.Export(batch, Soon());
  EXPECT_TRUE(exporter.ForceFlush(milliseconds(100)));
  std::string text = out.str();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::istringstream lines(text);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    EXPECT_NO_THROW(json::parse(line)) << line;
  }
  EXPECT_EQ(count, 2);
}

TEST(JsonlSpanExporterStreamTest, InvalidUtf8IsReplacedInsteadOfFailingTheBatch) {
  std::ostringstream out;
  JsonlSpanExporter exporter(out);
  SpanData a = MakeSpan("a");
  a.attributes = {{"raw", std::string("\xff\xfe bytes")}};
  const SpanData* batch[] = {&a};
  EXPECT_EQ(exporter.Export(batch, Soon()), ExportResult::kSuccess);
  EXPECT_NO_THROW(json::parse(out.str()));
}

TEST(JsonlSpanExporterStreamTest, BrokenStreamMakesExportFail) {
  CapturedWarnings warnings;
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  JsonlSpanExporter exporter(out);
  SpanData a = MakeSpan("a");
  const SpanData* batch[] = {&a};
  EXPECT_EQ(exporter.Export(batch, Soon()), ExportResult::kFailure);
  EXPECT_EQ(warnings.messages().size(), 1u);
}

}  // namespace
}  // namespace agenthub::telemetry
