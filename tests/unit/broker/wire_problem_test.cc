// Naming what is wrong in bytes that do not parse: the walk over the wire
// format finds the string that is not UTF-8 or the Struct nested too deep,
// and names it the way validation names fields.
#include "broker/wire_problem.h"

#include <gtest/gtest.h>

#include "eventbus.pb.h"

namespace agenthub::broker {
namespace {

// Serialises without complaint about invalid UTF-8 (the client side of
// protobuf only logs it).
template <typename Message>
std::string Bytes(const Message& m) {
  std::string out;
  EXPECT_TRUE(m.SerializePartialToString(&out));
  return out;
}

std::optional<std::string> ProblemIn(const eventbus::PublishTaskRequest& r, size_t depth = 32) {
  return FindWireProblem(Bytes(r), *eventbus::PublishTaskRequest::descriptor(), depth);
}

TEST(WireProblem, FindsNothingInAWellFormedRequest) {
  eventbus::PublishTaskRequest r;
  r.mutable_task()->set_task_id("t");
  (*r.mutable_task()->mutable_parameters()->mutable_fields())["k"].set_string_value("v");
  EXPECT_FALSE(ProblemIn(r));
}

TEST(WireProblem, NamesAnIdThatIsNotUtf8) {
  eventbus::PublishTaskRequest r;
  r.mutable_task()->set_task_id("bad\xff");
  EXPECT_EQ(ProblemIn(r), "task.task_id is not valid UTF-8");
}

TEST(WireProblem, NamesAStructValueByItsKeysAndIndices) {
  eventbus::PublishTaskRequest r;
  auto& order = (*r.mutable_task()->mutable_parameters()->mutable_fields())["order"];
  auto* lines = (*order.mutable_struct_value()->mutable_fields())["lines"].mutable_list_value();
  lines->add_values()->set_string_value("fine");
  lines->add_values()->set_string_value("\xc3(");
  EXPECT_EQ(ProblemIn(r), "task.parameters[\"order\"][\"lines\"][1] is not valid UTF-8");
}

TEST(WireProblem, NamesAStructKeyThatIsNotUtf8Escaped) {
  eventbus::PublishTaskRequest r;
  (*r.mutable_task()->mutable_metadata()->mutable_fields())["k\xfe"].set_bool_value(true);
  EXPECT_EQ(ProblemIn(r), "task.metadata[\"k\\xfe\"]: the key is not valid UTF-8");
}

TEST(WireProblem, NamesRepeatedFieldsByIndex) {
  eventbus::SubscribeToTaskResultsRequest r;
  r.add_task_ids("a");
  r.add_task_ids("b\x80");
  EXPECT_EQ(FindWireProblem(Bytes(r), *r.descriptor(), 32), "task_ids[1] is not valid UTF-8");
}

TEST(WireProblem, ReportsNestingPastTheLimitAtTheMessagesField) {
  eventbus::PublishTaskRequest r;
  google::protobuf::Struct* s = r.mutable_task()->mutable_parameters();
  for (int i = 0; i < 200; ++i) s = (*s->mutable_fields())["d"].mutable_struct_value();
  EXPECT_EQ(ProblemIn(r, 32),
            "task.parameters nests Structs and lists more than 32 levels deep; the limit is 32");
}

TEST(WireProblem, FindsNothingToNameInTruncatedBytes) {
  eventbus::PublishTaskRequest r;
  r.mutable_task()->set_task_id("task");
  std::string bytes = Bytes(r);
  bytes.pop_back();
  EXPECT_FALSE(FindWireProblem(bytes, *r.descriptor(), 32));
}

TEST(WireProblem, ShortensLongKeysAndPaths) {
  eventbus::PublishTaskRequest r;
  google::protobuf::Struct* s = r.mutable_task()->mutable_parameters();
  for (int i = 0; i < 20; ++i) {
    s = (*s->mutable_fields())[std::string(100, 'k')].mutable_struct_value();
  }
  (*s->mutable_fields())["x"].set_string_value("\xff");
  const auto problem = ProblemIn(r);
  ASSERT_TRUE(problem);
  EXPECT_LE(problem->size(), 256u + 32u) << *problem;
  EXPECT_NE(problem->find("kkk...\"]"), std::string::npos) << *problem;
}

}  // namespace
}  // namespace agenthub::broker
