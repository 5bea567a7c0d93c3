// The invalid-input matrix: every rejected field is named in the message.
#include "broker/validation.h"

#include <gtest/gtest.h>

namespace agenthub::broker {
namespace {

eventbus::TaskMessage ValidTask() {
  eventbus::TaskMessage t;
  t.set_task_id("task_1");
  t.set_task_type("greeting");
  t.set_requester_agent_id("publisher");
  return t;
}

void ExpectError(const std::optional<std::string>& error, const std::string& fragment) {
  ASSERT_TRUE(error.has_value()) << "expected an error mentioning " << fragment;
  EXPECT_NE(error->find(fragment), std::string::npos) << *error;
}

TEST(ValidateTask, AcceptsAMinimalTask) { EXPECT_FALSE(ValidateTask(ValidTask(), {})); }

TEST(ValidateTask, RequiresTaskId) {
  auto t = ValidTask();
  t.clear_task_id();
  ExpectError(ValidateTask(t, {}), "task.task_id is required");
}

TEST(ValidateTask, RequiresTaskType) {
  auto t = ValidTask();
  t.clear_task_type();
  ExpectError(ValidateTask(t, {}), "task.task_type is required");
}

TEST(ValidateTask, RequiresRequesterAgentId) {
  auto t = ValidTask();
  t.clear_requester_agent_id();
  ExpectError(ValidateTask(t, {}), "task.requester_agent_id is required");
}

TEST(ValidateTask, RejectsOversizeIds) {
  auto t = ValidTask();
  t.set_task_id(std::string(300, 'x'));
  ExpectError(ValidateTask(t, {}), "task.task_id is 300 bytes; the limit is 256");
  t = ValidTask();
  t.set_responder_agent_id(std::string(257, 'a'));
  ExpectError(ValidateTask(t, {}), "task.responder_agent_id");
}

TEST(ValidateTask, RejectsControlCharactersInIds) {
  auto t = ValidTask();
  t.set_requester_agent_id("evil\n{\"level\":\"ERROR\"}");
  ExpectError(ValidateTask(t, {}), "task.requester_agent_id contains control character U+000A");
}

TEST(ValidateTask, RejectsUnknownPriority) {
  auto t = ValidTask();
  t.set_priority(static_cast<eventbus::Priority>(42));
  ExpectError(ValidateTask(t, {}), "task.priority has unknown value 42");
}

TEST(ValidateTask, RejectsAMalformedDeadline) {
  auto t = ValidTask();
  t.mutable_deadline()->set_nanos(-1);
  ExpectError(ValidateTask(t, {}), "task.deadline");
}

TEST(ValidateTask, RejectsBidiAndFormatCharactersInIds) {
  auto t = ValidTask();
  t.set_task_id("invoice\u202Efdp.exe");
  ExpectError(ValidateTask(t, {}), "task.task_id contains bidirectional control U+202E at byte 7");
  t = ValidTask();
  t.set_requester_agent_id("pub\u200Blisher");
  ExpectError(ValidateTask(t, {}),
              "task.requester_agent_id contains invisible format character U+200B");
  t = ValidTask();
  t.set_task_type("\uFEFFgreeting");
  ExpectError(ValidateTask(t, {}), "task.task_type contains invisible format character U+FEFF");
}

TEST(ValidateTask, AcceptsIdsInAnyScript) {
  auto t = ValidTask();
  t.set_task_id("задача-1");
  t.set_requester_agent_id("代理人");
  t.set_task_type("تحية");
  EXPECT_FALSE(ValidateTask(t, {}));
}

TEST(ValidateTask, ChecksEveryTimestampAgainstTimestampProtosRange) {
  auto t = ValidTask();
  t.mutable_deadline()->set_seconds(253402300800);  // 10000-01-01T00:00:00Z
  ExpectError(ValidateTask(t, {}), "task.deadline has seconds 253402300800");
  t = ValidTask();
  t.mutable_created_at()->set_seconds(-62135596801);  // a second before 0001-01-01
  ExpectError(ValidateTask(t, {}), "task.created_at has seconds -62135596801");
  t = ValidTask();
  t.mutable_created_at()->set_nanos(1000000000);
  ExpectError(ValidateTask(t, {}), "task.created_at has nanos 1000000000");
}

TEST(ValidateTask, AcceptsTheEndsOfTheTimestampRange) {
  auto t = ValidTask();
  t.mutable_deadline()->set_seconds(253402300799);  // 9999-12-31T23:59:59Z
  t.mutable_deadline()->set_nanos(999999999);
  t.mutable_created_at()->set_seconds(-62135596800);  // 0001-01-01T00:00:00Z
  EXPECT_FALSE(ValidateTask(t, {}));
}

google::protobuf::Struct Nested(int levels) {
  google::protobuf::Struct top;
  google::protobuf::Struct* s = &top;
  for (int i = 1; i < levels; ++i) {
    s = (*s->mutable_fields())["down"].mutable_struct_value();
  }
  (*s->mutable_fields())["leaf"].set_number_value(1);
  return top;
}

TEST(ValidateTask, LimitsStructNestingNamingTheFieldAndTheLimit) {
  auto t = ValidTask();
  *t.mutable_parameters() = Nested(32);
  EXPECT_FALSE(ValidateTask(t, {}));
  *t.mutable_parameters() = Nested(33);
  ExpectError(ValidateTask(t, {}),
              "task.parameters nests Structs and lists more than 32 levels deep; the limit is 32");
}

TEST(ValidateTask, ListsCountAsNestingLevels) {
  auto t = ValidTask();
  ValidationLimits limits;
  limits.max_struct_depth = 2;
  auto* list = (*t.mutable_metadata()->mutable_fields())["l"].mutable_list_value();
  list->add_values()->mutable_list_value()->add_values()->set_bool_value(true);
  ExpectError(ValidateTask(t, limits), "task.metadata nests Structs and lists more than 2 levels");
}

TEST(ValidateTask, LimitsStructMembersAcrossTheWholeMessage) {
  auto t = ValidTask();
  ValidationLimits limits;
  limits.max_struct_members = 10;
  for (int i = 0; i < 6; ++i) {
    (*t.mutable_parameters()->mutable_fields())["p" + std::to_string(i)].set_number_value(i);
  }
  auto* list = (*t.mutable_metadata()->mutable_fields())["list"].mutable_list_value();
  for (int i = 0; i < 3; ++i) list->add_values()->set_number_value(i);
  EXPECT_FALSE(ValidateTask(t, limits));  // 6 + 1 + 3 members
  list->add_values()->set_number_value(4);
  ExpectError(ValidateTask(t, limits), "task.metadata takes the request's Struct members past 10");
  ExpectError(ValidateTask(t, limits), "the limit is 10");
}

TEST(ValidateResult, ChecksCompletedAtAndTheResultsStructs) {
  eventbus::TaskResult r;
  r.set_task_id("t");
  r.mutable_completed_at()->set_nanos(-5);
  ExpectError(ValidateResult(r, {}), "result.completed_at has nanos -5");
  r.clear_completed_at();
  *(*r.mutable_execution_metadata()->mutable_fields())["x"].mutable_struct_value() = Nested(32);
  ExpectError(ValidateResult(r, {}), "result.execution_metadata nests");
}

TEST(ValidateProgress, ChecksUpdatedAtAndProgressData) {
  eventbus::TaskProgress p;
  p.set_task_id("t");
  p.mutable_updated_at()->set_seconds(253402300800);
  ExpectError(ValidateProgress(p, {}), "progress.updated_at has seconds");
  p.clear_updated_at();
  *p.mutable_progress_data() = Nested(40);
  ExpectError(ValidateProgress(p, {}), "progress.progress_data nests");
}

TEST(ValidateTaskSubscription, RefusesFormatCharactersInTheAgentId) {
  eventbus::SubscribeToTasksRequest req;
  req.set_agent_id("worker\u2066");
  ExpectError(ValidateTaskSubscription(req, {}), "agent_id contains bidirectional control U+2066");
}

TEST(ValidateResult, RequiresTaskIdAndAKnownStatus) {
  eventbus::TaskResult r;
  ExpectError(ValidateResult(r, {}), "result.task_id is required");
  r.set_task_id("t");
  r.set_status(static_cast<eventbus::TaskStatus>(9));
  ExpectError(ValidateResult(r, {}), "result.status has unknown value 9");
  r.set_status(eventbus::TASK_STATUS_COMPLETED);
  EXPECT_FALSE(ValidateResult(r, {}));
}

TEST(ValidateProgress, PercentageMustBeWithinZeroToHundred) {
  eventbus::TaskProgress p;
  p.set_task_id("t");
  p.set_progress_percentage(101);
  ExpectError(ValidateProgress(p, {}),
              "progress.progress_percentage is 101; it must be within 0..100");
  p.set_progress_percentage(-1);
  ExpectError(ValidateProgress(p, {}), "progress.progress_percentage is -1");
  p.set_progress_percentage(100);
  EXPECT_FALSE(ValidateProgress(p, {}));
}

TEST(ValidateTaskSubscription, RequiresAgentIdAndSaneTypes) {
  eventbus::SubscribeToTasksRequest req;
  ExpectError(ValidateTaskSubscription(req, {}), "agent_id is required");
  req.set_agent_id("worker");
  req.add_task_types("");
  ExpectError(ValidateTaskSubscription(req, {}), "task_types[0] is required");
}

TEST(ValidateUpdateSubscription, EmptyRequesterMeansMonitoring) {
  eventbus::SubscribeToTaskResultsRequest req;
  EXPECT_FALSE(ValidateUpdateSubscription(req, {}));
}

TEST(ValidateUpdateSubscription, LimitsTheTaskIdFilter) {
  eventbus::SubscribeToTaskResultsRequest req;
  ValidationLimits limits;
  limits.max_filter_entries = 2;
  for (int i = 0; i < 3; ++i) req.add_task_ids("t" + std::to_string(i));
  ExpectError(ValidateUpdateSubscription(req, limits), "task_ids has 3 entries; the limit is 2");
}

}  // namespace
}  // namespace agenthub::broker
