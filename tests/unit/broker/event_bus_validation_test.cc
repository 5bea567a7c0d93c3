// The invalid-input matrix over real gRPC: every malformed request gets
// INVALID_ARGUMENT naming the field, oversize messages get
// RESOURCE_EXHAUSTED, and nothing already routed is disturbed.
#include <gtest/gtest.h>

#include "support/broker_fixture.h"

namespace agenthub::broker::testing {
namespace {

struct BadTask {
  const char* name;
  std::function<void(eventbus::TaskMessage&)> spoil;
  const char* field;
};

class EventBusValidation : public ::testing::Test {
 protected:
  BrokerHarness broker;
};

TEST_F(EventBusValidation, EveryMalformedTaskIsRefusedNamingItsField) {
  const std::vector<BadTask> cases = {
      {"missing task_id", [](auto& t) { t.clear_task_id(); }, "task.task_id"},
      {"missing task_type", [](auto& t) { t.clear_task_type(); }, "task.task_type"},
      {"missing requester", [](auto& t) { t.clear_requester_agent_id(); },
       "task.requester_agent_id"},
      {"oversize task_id", [](auto& t) { t.set_task_id(std::string(300, 'a')); }, "task.task_id"},
      {"oversize responder", [](auto& t) { t.set_responder_agent_id(std::string(300, 'r')); },
       "task.responder_agent_id"},
      {"control character", [](auto& t) { t.set_task_id("bad\nid"); }, "task.task_id"},
      {"unknown priority", [](auto& t) { t.set_priority(static_cast<eventbus::Priority>(42)); },
       "task.priority"},
  };
  for (const auto& c : cases) {
    auto task = MakeTask("ok-id", "work", "pub", "w");
    c.spoil(task);
    const grpc::Status s = broker.Publish(task);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name;
    EXPECT_NE(s.error_message().find(c.field), std::string::npos)
        << c.name << ": " << s.error_message();
  }
  EXPECT_EQ(broker.stats().queued, 0u) << "a refused task was queued";
}

TEST_F(EventBusValidation, APublishWithoutATaskIsRefused) {
  grpc::ClientContext context;
  eventbus::PublishTaskRequest empty;
  eventbus::PublishResponse response;
  const grpc::Status s = broker.stub().PublishTask(&context, empty, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("task"), std::string::npos);
  EXPECT_FALSE(response.success());
}

TEST_F(EventBusValidation, MalformedResultsAndProgressAreRefusedNamingTheField) {
  auto result = MakeResult("", "w");
  grpc::Status s = broker.PublishResult(result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("result.task_id"), std::string::npos) << s.error_message();

  result = MakeResult("t", "w", static_cast<eventbus::TaskStatus>(99));
  s = broker.PublishResult(result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("result.status"), std::string::npos) << s.error_message();

  for (int percent : {-1, 101, 1000}) {
    s = broker.PublishProgress(MakeProgress("t", "w", percent));
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << percent;
    EXPECT_NE(s.error_message().find("progress.progress_percentage"), std::string::npos)
        << s.error_message();
  }
  for (int percent : {0, 100}) {
    EXPECT_TRUE(broker.PublishProgress(MakeProgress("t", "w", percent)).ok()) << percent;
  }
}

TEST_F(EventBusValidation, SubscriptionsWithoutAnAgentIdEndWithInvalidArgument) {
  eventbus::SubscribeToTasksRequest no_agent;
  StreamReader<eventbus::TaskMessage> reader(
      [&](grpc::ClientContext* c) { return broker.stub().SubscribeToTasks(c, no_agent); });
  auto status = reader.Finished();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status->error_message().find("agent_id"), std::string::npos);

  eventbus::SubscribeToTaskResultsRequest bad_filter;
  bad_filter.set_requester_agent_id("r");
  bad_filter.add_task_ids("");
  StreamReader<eventbus::TaskResult> results(
      [&](grpc::ClientContext* c) { return broker.stub().SubscribeToTaskResults(c, bad_filter); });
  status = results.Finished();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status->error_message().find("task_ids[0]"), std::string::npos)
      << status->error_message();
  EXPECT_EQ(broker.stats().task_subscriptions + broker.stats().result_subscriptions, 0u);
}

TEST(EventBusMessageSize, MessagesOverTheConfiguredLimitAreRefusedAndTheBrokerCarriesOn) {
  BrokerOptions options;
  options.max_message_bytes = 64 * 1024;
  BrokerHarness broker(options);
  auto agent = broker.SubscribeTasks("w");
  auto big = MakeTask("big", "work", "pub", "w");
  (*big.mutable_parameters()->mutable_fields())["blob"].set_string_value(
      std::string(100 * 1024, 'z'));
  EXPECT_EQ(broker.Publish(big).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  ASSERT_TRUE(broker.Publish(MakeTask("small", "work", "pub", "w")).ok());
  auto m = agent->Next();
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->task_id(), "small");
}

}  // namespace
}  // namespace agenthub::broker::testing
