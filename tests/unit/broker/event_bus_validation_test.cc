// The invalid-input matrix over real gRPC: every malformed request gets
// INVALID_ARGUMENT naming the field, oversize messages get
// RESOURCE_EXHAUSTED, and nothing already routed is disturbed.
#include <grpcpp/generic/generic_stub.h>
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

// Sends bytes as they are, past the client's own serialiser: what an
// independent client (another language, a raw socket) may send.
grpc::Status CallRaw(BrokerHarness& broker, const std::string& method, const std::string& bytes) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(broker.server().port()),
                                     grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer reply;
  grpc::CompletionQueue cq;
  auto call = stub.PrepareUnaryCall(&context, method, request, &cq);
  call->StartCall();
  grpc::Status status;
  call->Finish(&reply, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  EXPECT_TRUE(cq.Next(&tag, &ok));
  return status;
}

std::string TaskBytes(const eventbus::TaskMessage& task) {
  eventbus::PublishTaskRequest request;
  *request.mutable_task() = task;
  std::string bytes;
  EXPECT_TRUE(request.SerializePartialToString(&bytes));
  return bytes;
}

void ExpectInvalidArgumentNaming(const grpc::Status& s, const std::string& fragment) {
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_NE(s.error_message().find(fragment), std::string::npos) << s.error_message();
}

google::protobuf::Struct Nested(int levels) {
  google::protobuf::Struct top;
  google::protobuf::Struct* s = &top;
  for (int i = 1; i < levels; ++i) s = (*s->mutable_fields())["d"].mutable_struct_value();
  (*s->mutable_fields())["leaf"].set_string_value("x");
  return top;
}

TEST_F(EventBusValidation, InvalidUtf8IsRefusedNamingTheField) {
  auto task = MakeTask("bad\xff", "work", "pub", "w");
  ExpectInvalidArgumentNaming(CallRaw(broker, "/eventbus.EventBus/PublishTask", TaskBytes(task)),
                              "task.task_id is not valid UTF-8");

  task = MakeTask("t", "work", "pub", "w");
  (*task.mutable_parameters()->mutable_fields())["note"].set_string_value("\xc3(");
  ExpectInvalidArgumentNaming(CallRaw(broker, "/eventbus.EventBus/PublishTask", TaskBytes(task)),
                              "task.parameters[\"note\"] is not valid UTF-8");

  eventbus::PublishTaskResultRequest result;
  *result.mutable_result() = MakeResult("t", "w");
  result.mutable_result()->set_error_message("\xfe");
  std::string bytes;
  result.SerializePartialToString(&bytes);
  ExpectInvalidArgumentNaming(CallRaw(broker, "/eventbus.EventBus/PublishTaskResult", bytes),
                              "result.error_message is not valid UTF-8");
  EXPECT_EQ(broker.stats().queued, 0u);
}

TEST_F(EventBusValidation, AnUndecodableRequestIsInvalidArgumentNotUnimplemented) {
  ExpectInvalidArgumentNaming(CallRaw(broker, "/eventbus.EventBus/PublishTaskProgress",
                                      std::string("\x0a\x05"
                                                  "ab",
                                                  4)),
                              "not a valid eventbus.PublishTaskProgressRequest");
}

TEST_F(EventBusValidation, ASubscriptionThatDoesNotDecodeEndsWithInvalidArgument) {
  eventbus::SubscribeToTasksRequest request;
  request.set_agent_id("agent\xff");
  StreamReader<eventbus::TaskMessage> reader(
      [&](grpc::ClientContext* c) { return broker.stub().SubscribeToTasks(c, request); });
  const auto status = reader.Finished();
  ASSERT_TRUE(status.has_value());
  ExpectInvalidArgumentNaming(*status, "agent_id is not valid UTF-8");
}

TEST_F(EventBusValidation, StructNestingPastTheLimitIsRefusedNamingTheFieldAndTheLimit) {
  for (int levels : {33, 40, 200}) {
    auto task = MakeTask("deep", "work", "pub", "w");
    *task.mutable_parameters() = Nested(levels);
    const grpc::Status s = broker.Publish(task);
    ExpectInvalidArgumentNaming(s, "task.parameters");
    EXPECT_NE(s.error_message().find("the limit is 32"), std::string::npos)
        << levels << ": " << s.error_message();
  }
  auto task = MakeTask("deep-enough", "work", "pub", "w");
  *task.mutable_metadata() = Nested(32);
  EXPECT_TRUE(broker.Publish(task).ok());
}

TEST(EventBusStructBudget, StructMembersPastTheBudgetAreRefusedNamingTheFieldAndTheLimit) {
  BrokerOptions options;
  options.service.validation.max_struct_members = 1000;
  BrokerHarness broker(options);
  auto task = MakeTask("wide", "work", "pub", "w");
  auto* list = (*task.mutable_parameters()->mutable_fields())["xs"].mutable_list_value();
  for (int i = 0; i < 1000; ++i) list->add_values()->set_number_value(i);
  const grpc::Status s = broker.Publish(task);
  ExpectInvalidArgumentNaming(s, "task.parameters");
  EXPECT_NE(s.error_message().find("the limit is 1000"), std::string::npos) << s.error_message();
  list->mutable_values()->RemoveLast();
  EXPECT_TRUE(broker.Publish(task).ok());
}

TEST(EventBusStructBudget, TheDepthLimitIsConfigurable) {
  BrokerOptions options;
  options.service.validation.max_struct_depth = 64;
  BrokerHarness broker(options);
  auto task = MakeTask("deeper", "work", "pub", "w");
  *task.mutable_parameters() = Nested(64);
  EXPECT_TRUE(broker.Publish(task).ok());
  *task.mutable_parameters() = Nested(65);
  ExpectInvalidArgumentNaming(broker.Publish(task), "the limit is 64");
}

TEST_F(EventBusValidation, TimestampsOutsideTheirRangeAreRefusedNamingTheField) {
  auto task = MakeTask("t", "work", "pub", "w");
  task.mutable_deadline()->set_seconds(253402300800);  // 10000-01-01
  ExpectInvalidArgumentNaming(broker.Publish(task), "task.deadline");
  task = MakeTask("t", "work", "pub", "w");
  task.mutable_created_at()->set_nanos(-1);
  ExpectInvalidArgumentNaming(broker.Publish(task), "task.created_at");
  auto result = MakeResult("t", "w");
  result.mutable_completed_at()->set_seconds(-62135596801);
  ExpectInvalidArgumentNaming(broker.PublishResult(result), "result.completed_at");
  auto progress = MakeProgress("t", "w", 10);
  progress.mutable_updated_at()->set_nanos(1000000000);
  ExpectInvalidArgumentNaming(broker.PublishProgress(progress), "progress.updated_at");
}

TEST_F(EventBusValidation, ADeadlineInTheYear9999IsHonoured) {
  auto results = broker.SubscribeResults("pub");
  auto task = MakeTask("patient", "work", "pub", "late-agent");
  task.mutable_deadline()->set_seconds(253402300799);  // 9999-12-31T23:59:59.999999999Z
  task.mutable_deadline()->set_nanos(999999999);
  ASSERT_TRUE(broker.Publish(task).ok());
  // Many sweeps (every 10 ms here) pass; the task must still wait.
  EXPECT_FALSE(results->Next(300ms).has_value()) << "the task failed instead of waiting";
  EXPECT_EQ(broker.stats().queued, 1u);
  auto agent = broker.SubscribeTasks("late-agent");
  auto delivered = agent->Next();
  ASSERT_TRUE(delivered.has_value());
  EXPECT_EQ(delivered->task_id(), "patient");
}

TEST_F(EventBusValidation, IdsWithBidiControlsOrFormatCharactersAreRefused) {
  const std::vector<BadTask> cases = {
      {"right-to-left override", [](auto& t) { t.set_task_id("txt\u202Eexe"); }, "task.task_id"},
      {"isolate", [](auto& t) { t.set_requester_agent_id("pub\u2067"); },
       "task.requester_agent_id"},
      {"zero width space", [](auto& t) { t.set_responder_agent_id("w\u200B"); },
       "task.responder_agent_id"},
      {"byte order mark", [](auto& t) { t.set_task_type("\uFEFFwork"); }, "task.task_type"},
      {"C1 control", [](auto& t) { t.set_task_id("a\u0085b"); }, "task.task_id"},
  };
  for (const auto& c : cases) {
    auto task = MakeTask("ok-id", "work", "pub", "w");
    c.spoil(task);
    ExpectInvalidArgumentNaming(broker.Publish(task), c.field);
  }
  eventbus::SubscribeToTasksRequest spoofing;
  spoofing.set_agent_id("worker\u202E");
  StreamReader<eventbus::TaskMessage> reader(
      [&](grpc::ClientContext* c) { return broker.stub().SubscribeToTasks(c, spoofing); });
  const auto status = reader.Finished();
  ASSERT_TRUE(status.has_value());
  ExpectInvalidArgumentNaming(*status, "agent_id contains bidirectional control U+202E");
}

TEST_F(EventBusValidation, AFloodOfBadRequestsWritesABoundedNumberOfLogLines) {
  const auto before = broker.telemetry().logger().stats();
  constexpr int kRequests = 300;
  for (int i = 0; i < kRequests; ++i) {
    auto task = MakeTask("", "work", "pub", "w");  // no task_id: refused and logged
    ASSERT_EQ(broker.Publish(task).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    CallRaw(broker, "/eventbus.EventBus/PublishTask", TaskBytes(MakeTask("\xff", "w", "p")));
  }
  const auto after = broker.telemetry().logger().stats();
  const uint64_t warnings =
      after.total(telemetry::LogLevel::kWarn) - before.total(telemetry::LogLevel::kWarn);
  // Three messages (our two refusals and protobuf's own UTF-8 complaint),
  // each at most the default per second, plus the summaries.
  EXPECT_LT(warnings, 3u * 2 * telemetry::kDefaultLogLinesPerSecond * 10) << warnings;
  EXPECT_GE(after.suppressed - before.suppressed, 3u * kRequests - warnings);
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
