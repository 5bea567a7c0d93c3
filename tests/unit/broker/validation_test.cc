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
  ExpectError(ValidateTask(t, {}), "task.requester_agent_id contains control characters");
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
