// The publisher's outcome line and --param parsing: what `agenthub demo`
// reads back must be what `agenthub publisher` printed.
#include "cli/outcome_line.h"

#include <gtest/gtest.h>

#include "cli/task_flags.h"

namespace agenthub::cli {
namespace {

TEST(OutcomeLine, AResultReadsBackFieldByField) {
  client::TaskOutcome outcome;
  outcome.kind = client::TaskOutcome::Kind::kResult;
  outcome.task_id = "task_1";
  outcome.trace_id = "0af7651916cd43dd8448eb211c80319c";
  outcome.elapsed = std::chrono::microseconds(9000);
  outcome.result.set_status(eventbus::TASK_STATUS_FAILED);
  outcome.error = "unknown task type: x";
  const std::string line = OutcomeLine("x", outcome);
  PrintedOutcome printed;
  ASSERT_TRUE(ParseOutcomeLine(line, &printed)) << line;
  EXPECT_EQ(printed.task_id, "task_1");
  EXPECT_EQ(printed.task_type, "x");
  EXPECT_EQ(printed.status, "FAILED");
  EXPECT_EQ(printed.elapsed, "9.0 ms");
  EXPECT_EQ(printed.trace_id, "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(printed.detail, "error: unknown task type: x");
  EXPECT_TRUE(printed.has_result());
}

TEST(OutcomeLine, OtherLinesAreNotOutcomes) {
  PrintedOutcome printed;
  EXPECT_FALSE(ParseOutcomeLine("", &printed));
  EXPECT_FALSE(ParseOutcomeLine("{\"level\":\"info\",\"msg\":\"connected\"}", &printed));
  EXPECT_FALSE(ParseOutcomeLine("a  b  c  d  no_trace  e", &printed));
}

TEST(TaskFlags, ValuesBecomeNumbersBoolsOrStrings) {
  std::pair<std::string, std::string> kv;
  std::string error;
  ASSERT_TRUE(ParseKeyValue("a=42", &kv, &error));
  EXPECT_EQ(kv.first, "a");
  EXPECT_EQ(kv.second, "42");
  EXPECT_FALSE(ParseKeyValue("=1", &kv, &error));
  EXPECT_FALSE(ParseKeyValue("novalue", &kv, &error));
  EXPECT_NE(error.find("key=value"), std::string::npos);
  google::protobuf::Struct params;
  SetParam(params, "n", "42.5");
  SetParam(params, "b", "true");
  SetParam(params, "s", "Claude");
  EXPECT_EQ(params.fields().at("n").number_value(), 42.5);
  EXPECT_TRUE(params.fields().at("b").bool_value());
  EXPECT_EQ(params.fields().at("s").string_value(), "Claude");
}

}  // namespace
}  // namespace agenthub::cli
