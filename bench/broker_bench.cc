// The broker's costs.
//
// BM_RouteTask*: in-process routing of one directed task with tracing on —
// route_task span, trace headers injected into the delivered copy, agent
// queue, delivery to the stream's sink and the write completion. No gRPC.
// Target: <= 2 us per task.
//
// BM_IdleSubscriberStreams: a real `agenthub broker` process with 10,000
// idle SubscribeToTasks streams (from this process, over 100 connections);
// reports the broker's RSS. gRPC itself holds about 17 KB per idle stream on
// shared connections (measured here with gRPC 1.51), so the figure to read is
// broker_kb_per_stream beside that floor.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>

#include "broker/routing/local_router.h"
#include "broker/service/instrumentation.h"
#include "eventbus.grpc.pb.h"
#include "telemetry/telemetry.h"

extern char** environ;

namespace agenthub::broker {
namespace {

using namespace std::chrono_literals;

class NoopExporter : public telemetry::SpanExporter {
 public:
  telemetry::ExportResult Export(std::span<const telemetry::SpanData* const> batch,
                                 telemetry::Deadline) override {
    benchmark::DoNotOptimize(batch.data());
    return telemetry::ExportResult::kSuccess;
  }
  bool Shutdown(std::chrono::milliseconds) override { return true; }
};

// Collects deliveries; the benchmark loop completes them, as a stream's
// OnWriteDone would (sinks must not call the router from Deliver).
class CollectingSink : public TaskSink {
 public:
  void Deliver(RoutedTaskPtr task) override { delivered.push_back(std::move(task)); }
  std::vector<RoutedTaskPtr> delivered;
};

// As the service does for a directed task: the one target's message is the
// published one, injected in place.
class HookOverInstrumentation : public RouteHook {
 public:
  HookOverInstrumentation(Instrumentation& i, const telemetry::Context& parent,
                          std::shared_ptr<eventbus::TaskMessage> message)
      : instrumentation_(i), parent_(parent), message_(std::move(message)) {}
  RoutedTaskPtr BeginRoute(const TaskPtr& task, std::string_view target) override {
    return instrumentation_.BeginRoute(parent_, task, target, std::move(message_));
  }

 private:
  Instrumentation& instrumentation_;
  const telemetry::Context& parent_;
  std::shared_ptr<eventbus::TaskMessage> message_;
};

void RouteTasks(benchmark::State& state, bool sampled) {
  telemetry::TracerProviderOptions options;
  if (!sampled) options.sampler = telemetry::MakeAlwaysOffSampler();
  options.processors.push_back(std::make_unique<telemetry::BatchSpanProcessor>(
      std::make_unique<NoopExporter>(), telemetry::BatchSpanProcessorOptions{}));
  telemetry::TracerProvider provider(std::move(options));
  telemetry::MeterProvider meters;
  telemetry::LoggerOptions log_options;
  log_options.level = telemetry::LogLevel::kWarn;
  telemetry::Logger logger(log_options);
  Instrumentation instrumentation(provider.GetTracer("agenthub.broker"),
                                  meters.GetMeter("agenthub.broker"), logger, false);
  LocalRouter router(RouterLimits{});
  auto sink = std::make_shared<CollectingSink>();
  TaskSubscription subscription;
  subscription.agent_id = "worker";
  subscription.sink = sink;
  const SubscriptionId id = router.SubscribeTasks(subscription).id;

  // The publisher's context, as extracted from a real request.
  telemetry::Tracer publisher = provider.GetTracer("publisher");
  telemetry::Span publish_span = publisher.StartSpan("publish_event");
  const telemetry::Context parent = telemetry::Context().WithSpan(publish_span);
  eventbus::TaskMessage message;
  message.set_task_id("task_000000");
  message.set_task_type("greeting");
  message.set_requester_agent_id("publisher");
  message.set_responder_agent_id("worker");
  (*message.mutable_parameters()->mutable_fields())["name"].set_string_value("Claude");
  // Published messages as gRPC would hand them over (parsing is not part of
  // routing), made outside the timed region in batches.
  std::vector<std::shared_ptr<eventbus::TaskMessage>> published;
  auto refill = [&] {
    published.clear();
    for (int i = 0; i < 4096; ++i) {
      published.push_back(std::make_shared<eventbus::TaskMessage>(message));
    }
  };
  refill();
  for (auto _ : state) {
    if (published.empty()) {
      state.PauseTiming();
      refill();
      state.ResumeTiming();
    }
    std::shared_ptr<eventbus::TaskMessage> task = std::move(published.back());
    published.pop_back();
    HookOverInstrumentation hook(instrumentation, parent, task);
    PublishOutcome outcome = router.PublishTask(task, hook);
    benchmark::DoNotOptimize(outcome);
    // The stream's write report and the executor's ack: one delivery, settled.
    for (auto& delivered : sink->delivered) {
      router.OnTaskWritten(id, delivered, true);
      router.Acknowledge(delivered->message->task_id(), "worker", AckKind::kAck);
    }
    sink->delivered.clear();
  }
  publish_span.End();
  provider.Shutdown(5s);
}

void BM_RouteTaskTraced(benchmark::State& state) { RouteTasks(state, true); }
BENCHMARK(BM_RouteTaskTraced);

void BM_RouteTaskNotSampled(benchmark::State& state) { RouteTasks(state, false); }
BENCHMARK(BM_RouteTaskNotSampled);

// ---- 10,000 idle streams against a real broker process ----

// A port nobody listens on now (bound to 0, read back, released).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

long RssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class IdleReader : public grpc::ClientReadReactor<eventbus::TaskMessage> {
 public:
  IdleReader(eventbus::EventBus::Stub* stub, std::string agent, std::atomic<int>* done)
      : done_(done) {
    request_.set_agent_id(std::move(agent));
    stub->async()->SubscribeToTasks(&context_, &request_, this);
    StartRead(&message_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    received.fetch_add(1);
    StartRead(&message_);
  }
  void OnDone(const grpc::Status&) override { done_->fetch_add(1); }
  std::atomic<int> received{0};
  void Cancel() { context_.TryCancel(); }

 private:
  grpc::ClientContext context_;
  eventbus::SubscribeToTasksRequest request_;
  eventbus::TaskMessage message_;
  std::atomic<int>* done_;
};

void BM_IdleSubscriberStreams(benchmark::State& state) {
  const int streams = static_cast<int>(state.range(0));
  constexpr int kConnections = 100;
  for (auto _ : state) {
    const int port = FreePort();
    const std::string port_arg = std::to_string(port);
    const char* argv[] = {AGENTHUB_BINARY, "broker",         "--host",        "127.0.0.1",
                          "--port",        port_arg.c_str(), "--health-port", "-1",
                          "--log-level",   "warn",           nullptr};
    std::vector<std::string> env_storage = {
        "OTEL_TRACES_EXPORTER=none", "OTEL_METRICS_EXPORTER=none", "OTEL_LOGS_EXPORTER=none"};
    for (char** e = environ; *e; ++e) {
      if (std::string_view(*e).rfind("OTEL_", 0) != 0) env_storage.push_back(*e);
    }
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid;
    if (posix_spawn(&pid, AGENTHUB_BINARY, nullptr, nullptr, const_cast<char**>(argv),
                    envp.data()) != 0) {
      state.SkipWithError("cannot start agenthub broker");
      return;
    }
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    std::vector<std::unique_ptr<eventbus::EventBus::Stub>> stubs;
    for (int c = 0; c < kConnections; ++c) {
      grpc::ChannelArguments args;
      args.SetInt("agenthub.bench.connection", c);  // distinct args: distinct connections
      channels.push_back(grpc::CreateCustomChannel("127.0.0.1:" + port_arg,
                                                   grpc::InsecureChannelCredentials(), args));
      if (!channels.back()->WaitForConnected(std::chrono::system_clock::now() + 30s)) {
        state.SkipWithError("broker did not start");
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        return;
      }
      stubs.push_back(eventbus::EventBus::NewStub(channels.back()));
    }
    const long rss_before = RssKb(pid);
    std::atomic<int> done{0};
    std::vector<std::unique_ptr<IdleReader>> readers;
    for (int i = 0; i < streams; ++i) {
      readers.push_back(std::make_unique<IdleReader>(stubs[i % kConnections].get(),
                                                     "agent-" + std::to_string(i), &done));
    }
    // Let the broker register every stream (its RSS stops growing).
    long rss = 0;
    for (int i = 0; i < 100; ++i) {
      std::this_thread::sleep_for(200ms);
      const long now = RssKb(pid);
      if (now == rss) break;
      rss = now;
    }
    // Prove every stream is live: a broadcast reaches each agent once.
    {
      grpc::ClientContext context;
      eventbus::PublishTaskRequest request;
      request.mutable_task()->set_task_id("ping");
      request.mutable_task()->set_task_type("ping");
      request.mutable_task()->set_requester_agent_id("bench");
      eventbus::PublishResponse response;
      stubs[0]->PublishTask(&context, request, &response);
    }
    int live = 0;
    for (int i = 0; i < 600 && live < streams; ++i) {
      std::this_thread::sleep_for(100ms);
      live = 0;
      for (auto& r : readers) live += r->received.load() > 0 ? 1 : 0;
    }
    if (live < streams) state.SkipWithError("not every stream received the broadcast");
    state.counters["streams"] = live;
    state.counters["broker_rss_mb"] = static_cast<double>(rss) / 1024.0;
    state.counters["broker_idle_rss_mb"] = static_cast<double>(rss_before) / 1024.0;
    state.counters["broker_kb_per_stream"] =
        static_cast<double>(rss - rss_before) / static_cast<double>(streams);
    for (auto& r : readers) r->Cancel();
    while (done.load() < streams) std::this_thread::sleep_for(10ms);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("broker did not exit cleanly");
    }
  }
}
BENCHMARK(BM_IdleSubscriberStreams)
    ->Arg(10'000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
}  // namespace agenthub::broker

BENCHMARK_MAIN();
