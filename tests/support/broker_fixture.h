// A real broker on a loopback port for tests, and clients that talk to it
// over real gRPC: unary publishes and stream readers that collect what
// arrives on a background thread.
//
// Telemetry: OTEL_* exporters are off, spans go to an in-memory store the
// test reads, logs go to stderr at WARN.
#pragma once

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "broker/broker_server.h"
#include "eventbus.grpc.pb.h"
#include "runtime/process_telemetry.h"
#include "support/scoped_env.h"
#include "support/wait_for.h"
#include "telemetry/export/in_memory_span_exporter.h"
#include "telemetry/trace/simple_span_processor.h"

namespace agenthub::broker::testing {

using namespace std::chrono_literals;

using agenthub::test_support::WaitFor;

// Reads one server stream on its own thread; messages queue up for Next().
template <typename Message>
class StreamReader {
 public:
  using Open = std::function<std::unique_ptr<grpc::ClientReader<Message>>(grpc::ClientContext*)>;

  // `paused`: the reader does not call Read until Resume(), so the server's
  // writes back up (a stalled subscriber). `on_message` runs on the reader
  // thread for each message before it is queued (an agent answering).
  explicit StreamReader(Open open, bool paused = false,
                        std::function<void(const Message&)> on_message = {})
      : on_message_(std::move(on_message)), paused_(paused) {
    reader_ = open(&context_);
    thread_ = std::thread([this] { Run(); });
  }
  ~StreamReader() {
    context_.TryCancel();
    Resume();
    thread_.join();
  }

  // The next message, or nullopt when none arrives within `timeout`.
  std::optional<Message> Next(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return !messages_.empty() || ended_; });
    if (messages_.empty()) return std::nullopt;
    Message m = std::move(messages_.front());
    messages_.pop_front();
    return m;
  }
  // Waits for the stream's end and returns its status.
  std::optional<grpc::Status> Finished(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return ended_; })) return std::nullopt;
    return status_;
  }
  size_t received() {
    std::lock_guard lock(mu_);
    return total_;
  }
  size_t buffered() {
    std::lock_guard lock(mu_);
    return messages_.size();
  }
  void Resume() {
    std::lock_guard lock(mu_);
    paused_ = false;
    cv_.notify_all();
  }

 private:
  void Run() {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !paused_; });
    }
    Message m;
    while (reader_->Read(&m)) {
      if (on_message_) on_message_(m);
      std::lock_guard lock(mu_);
      messages_.push_back(std::move(m));
      ++total_;
      cv_.notify_all();
    }
    grpc::Status status = reader_->Finish();
    std::lock_guard lock(mu_);
    status_ = std::move(status);
    ended_ = true;
    cv_.notify_all();
  }

  grpc::ClientContext context_;
  const std::function<void(const Message&)> on_message_;
  std::unique_ptr<grpc::ClientReader<Message>> reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Message> messages_;
  size_t total_ = 0;
  bool paused_;
  bool ended_ = false;
  grpc::Status status_;
  std::thread thread_;
};

inline eventbus::TaskMessage MakeTask(std::string id, std::string type, std::string requester,
                                      std::string responder = "") {
  eventbus::TaskMessage t;
  t.set_task_id(std::move(id));
  t.set_task_type(std::move(type));
  t.set_requester_agent_id(std::move(requester));
  t.set_responder_agent_id(std::move(responder));
  *t.mutable_created_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  return t;
}

inline eventbus::TaskResult MakeResult(
    std::string task_id, std::string executor,
    eventbus::TaskStatus status = eventbus::TASK_STATUS_COMPLETED) {
  eventbus::TaskResult r;
  r.set_task_id(std::move(task_id));
  r.set_executor_agent_id(std::move(executor));
  r.set_status(status);
  return r;
}

inline eventbus::TaskProgress MakeProgress(std::string task_id, std::string executor, int percent) {
  eventbus::TaskProgress p;
  p.set_task_id(std::move(task_id));
  p.set_executor_agent_id(std::move(executor));
  p.set_status(eventbus::TASK_STATUS_IN_PROGRESS);
  p.set_progress_percentage(percent);
  return p;
}

class BrokerHarness {
 public:
  explicit BrokerHarness(BrokerOptions options = {}) {
    ProcessTelemetryQuiet();
    runtime::ProcessTelemetryOptions t;
    t.service_name = "agenthub-broker";
    t.log_level = telemetry::LogLevel::kWarn;
    t.extra_span_processors.push_back([store = spans] {
      return std::make_unique<telemetry::SimpleSpanProcessor>(
          std::make_unique<telemetry::InMemorySpanExporter>(store));
    });
    std::string error;
    telemetry_ = runtime::ProcessTelemetry::Start(t, &error);
    if (!telemetry_) throw std::runtime_error(error);
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.deadline_sweep_interval == std::chrono::milliseconds(100)) {
      options.deadline_sweep_interval = 10ms;
    }
    // Tests leave tasks unanswered; the teardown's drain need not wait the
    // production default for their results.
    if (options.drain_timeout == std::chrono::milliseconds(5000)) options.drain_timeout = 500ms;
    server_ = BrokerServer::Start(options, *telemetry_, &error);
    if (!server_) throw std::runtime_error(error);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = eventbus::EventBus::NewStub(channel_);
  }
  ~BrokerHarness() {
    server_.reset();
    telemetry_->Shutdown(1s);
  }

  BrokerServer& server() { return *server_; }
  runtime::ProcessTelemetry& telemetry() { return *telemetry_; }
  eventbus::EventBus::Stub& stub() { return *stub_; }
  RouterStats stats() { return server_->router().stats(); }

  grpc::Status Publish(const eventbus::TaskMessage& task,
                       const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    for (const auto& [k, v] : metadata) context.AddMetadata(k, v);
    eventbus::PublishTaskRequest request;
    *request.mutable_task() = task;
    eventbus::PublishResponse response;
    grpc::Status status = stub_->PublishTask(&context, request, &response);
    if (status.ok() != response.success()) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "response.success disagrees with status");
    }
    return status;
  }
  grpc::Status PublishResult(const eventbus::TaskResult& result) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    eventbus::PublishTaskResultRequest request;
    *request.mutable_result() = result;
    eventbus::PublishResponse response;
    return stub_->PublishTaskResult(&context, request, &response);
  }
  grpc::Status PublishProgress(const eventbus::TaskProgress& progress) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    eventbus::PublishTaskProgressRequest request;
    *request.mutable_progress() = progress;
    eventbus::PublishResponse response;
    return stub_->PublishTaskProgress(&context, request, &response);
  }

  // Opens a task stream and waits until the broker has registered it.
  // `answer`: the agent publishes a COMPLETED result for each task it reads
  // (settling it); otherwise its tasks stay leased until their lease ends.
  std::unique_ptr<StreamReader<eventbus::TaskMessage>> SubscribeTasks(
      std::string agent_id, std::vector<std::string> types = {}, bool paused = false,
      bool answer = false) {
    const size_t before = stats().task_subscriptions;
    eventbus::SubscribeToTasksRequest request;
    request.set_agent_id(agent_id);
    for (auto& t : types) request.add_task_types(std::move(t));
    std::function<void(const eventbus::TaskMessage&)> on_task;
    if (answer) {
      on_task = [this, agent_id](const eventbus::TaskMessage& task) {
        PublishResult(MakeResult(task.task_id(), agent_id));
      };
    }
    auto reader = std::make_unique<StreamReader<eventbus::TaskMessage>>(
        [this, request](grpc::ClientContext* c) { return stub_->SubscribeToTasks(c, request); },
        paused, std::move(on_task));
    WaitFor([&] { return stats().task_subscriptions > before; });
    return reader;
  }
  std::unique_ptr<StreamReader<eventbus::TaskResult>> SubscribeResults(
      std::string requester, std::vector<std::string> task_ids = {}) {
    const size_t before = stats().result_subscriptions;
    auto request = UpdateRequest(std::move(requester), std::move(task_ids));
    auto reader = std::make_unique<StreamReader<eventbus::TaskResult>>(
        [this, request](grpc::ClientContext* c) {
          return stub_->SubscribeToTaskResults(c, request);
        });
    WaitFor([&] { return stats().result_subscriptions > before; });
    return reader;
  }
  std::unique_ptr<StreamReader<eventbus::TaskProgress>> SubscribeProgress(
      std::string requester, std::vector<std::string> task_ids = {}) {
    const size_t before = stats().progress_subscriptions;
    auto request = UpdateRequest(std::move(requester), std::move(task_ids));
    auto reader = std::make_unique<StreamReader<eventbus::TaskProgress>>(
        [this, request](grpc::ClientContext* c) {
          return stub_->SubscribeToTaskProgress(c, request);
        });
    WaitFor([&] { return stats().progress_subscriptions > before; });
    return reader;
  }

  std::shared_ptr<telemetry::InMemorySpanStore> spans =
      std::make_shared<telemetry::InMemorySpanStore>();

 private:
  static eventbus::SubscribeToTaskResultsRequest UpdateRequest(std::string requester,
                                                               std::vector<std::string> ids) {
    eventbus::SubscribeToTaskResultsRequest request;
    request.set_requester_agent_id(std::move(requester));
    for (auto& id : ids) request.add_task_ids(std::move(id));
    return request;
  }
  // Nothing leaves the process: no OTLP export attempts to localhost:4317.
  void ProcessTelemetryQuiet() {
    for (const char* name :
         {"OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER"}) {
      env_.push_back(std::make_unique<telemetry::testing::ScopedEnv>(name, "none"));
    }
  }

  std::vector<std::unique_ptr<telemetry::testing::ScopedEnv>> env_;
  std::unique_ptr<runtime::ProcessTelemetry> telemetry_;
  std::unique_ptr<BrokerServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<eventbus::EventBus::Stub> stub_;
};

}  // namespace agenthub::broker::testing
