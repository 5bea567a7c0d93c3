#include "cli/demo/demo_stack.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "net/net.h"

namespace agenthub::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(50);

std::string Port(int port) { return std::to_string(port); }

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// What every process but the collector gets: the whole telemetry setup is
// the demo's, so inherited OTEL_* variables (an endpoint elsewhere, a
// sampler that drops traces, a service name that would rename all three)
// are dropped first. Short batch delays make traces show up at once.
std::vector<std::string> ExportingEnvironment(const DemoPorts& ports) {
  return {"OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" + Port(ports.otlp_grpc),
          "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
          "OTEL_TRACES_EXPORTER=otlp",
          "OTEL_METRICS_EXPORTER=otlp",
          "OTEL_LOGS_EXPORTER=otlp",
          "OTEL_TRACES_SAMPLER=parentbased_always_on",
          "OTEL_BSP_SCHEDULE_DELAY=100",
          "OTEL_BLRP_SCHEDULE_DELAY=200",
          "OTEL_METRIC_EXPORT_INTERVAL=5000"};
}

}  // namespace

DemoStack::DemoStack(DemoConfig config, std::function<bool()> interrupted)
    : config_(std::move(config)), interrupted_(std::move(interrupted)) {}

std::string DemoStack::QueryUrl() const { return "http://127.0.0.1:" + Port(config_.ports.ui); }

std::optional<ChildProcess> DemoStack::Start(const std::string& name, std::vector<std::string> args,
                                             const std::string& stdout_path) {
  ChildSpec spec;
  spec.name = name;
  spec.executable = config_.executable;
  spec.args = std::move(args);
  spec.unset = {"OTEL_*",
                "AGENTHUB_*",
                "BROKER_HEALTH_PORT",
                "PUBLISHER_HEALTH_PORT",
                "SUBSCRIBER_HEALTH_PORT",
                "COLLECTOR_HEALTH_PORT"};
  // The collector keeps its own default (export nothing: not to itself).
  if (name != "collector") spec.env = ExportingEnvironment(config_.ports);
  spec.log_path = config_.run_dir + "/" + name + ".log";
  spec.stdout_path = stdout_path;
  spec.process_group = group_;
  std::string error;
  auto child = ChildProcess::Spawn(spec, &error);
  if (!child) {
    std::cerr << "agenthub demo: cannot start the " << name << ": " << error << "\n";
    return std::nullopt;
  }
  if (group_ == 0) group_ = child->pid();
  return child;
}

bool DemoStack::WaitReady(ChildProcess& child, int port, const std::string& path) {
  const auto start = Clock::now();
  const auto deadline = start + config_.ready_timeout;
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::milliseconds(200));
  client.set_read_timeout(std::chrono::seconds(2));
  while (Clock::now() < deadline && !Interrupted()) {
    if (!child.Running()) {
      std::cerr << "agenthub demo: the " << child.name() << " exited (status " << child.exit_code()
                << ") before it was ready. End of " << child.log_path() << ":\n"
                << TailOfFile(child.log_path(), 15);
      return false;
    }
    if (auto response = client.Get(path); response && response->status == 200) return true;
    std::this_thread::sleep_for(kPoll);
  }
  if (!Interrupted()) {
    std::cerr << "agenthub demo: the " << child.name() << " was not ready within "
              << config_.ready_timeout.count() << " s (GET http://127.0.0.1:" << port << path
              << "). End of " << child.log_path() << ":\n"
              << TailOfFile(child.log_path(), 15);
  }
  return false;
}

bool DemoStack::StartServices() {
  const DemoPorts& p = config_.ports;
  struct Service {
    std::string name;
    std::vector<std::string> args;
    int ready_port;
    std::string ready_path;
    std::string description;
  };
  const std::vector<Service> services = {
      {"collector",
       {"collector", "--host", "127.0.0.1", "--otlp-grpc-port", Port(p.otlp_grpc),
        "--otlp-http-port", Port(p.otlp_http), "--ui-port", Port(p.ui), "--health-port",
        Port(p.collector_health), "--db", config_.run_dir + "/traces.db"},
       p.ui,
       "/api/services",  // the query API, which the demo reads traces from
       "OTLP localhost:" + Port(p.otlp_grpc) + " (gRPC), :" + Port(p.otlp_http) +
           " (HTTP); UI http://localhost:" + Port(p.ui)},
      {"broker",
       {"broker", "--host", "127.0.0.1", "--port", Port(p.broker), "--health-port",
        Port(p.broker_health)},
       p.broker_health,
       "/ready",
       "gRPC localhost:" + Port(p.broker)},
      {"subscriber",
       {"subscriber", "--broker", "127.0.0.1:" + Port(p.broker), "--health-port",
        Port(p.subscriber_health)},
       p.subscriber_health,
       "/ready",
       "agent_demo_subscriber, connected to the broker"},
  };
  for (const Service& s : services) {
    const auto start = Clock::now();
    auto child = Start(s.name, s.args);
    if (!child) return false;
    children_.push_back(std::move(*child));
    if (!WaitReady(children_.back(), s.ready_port, s.ready_path)) return false;
    if (s.name == "collector" && !WaitReady(children_.back(), p.collector_health, "/ready")) {
      return false;
    }
    char line[160];
    std::snprintf(line, sizeof line, "  ✓ %-11s ready in %.2f s  pid %d  ", s.name.c_str(),
                  SecondsSince(start), static_cast<int>(children_.back().pid()));
    std::cout << line << s.description << std::endl;
  }
  return true;
}

std::vector<PrintedOutcome> DemoStack::RunPublisher(size_t expected, int* exit_code) {
  *exit_code = -1;
  const DemoPorts& p = config_.ports;
  std::vector<std::string> args = {"publisher",
                                   "--broker",
                                   "127.0.0.1:" + Port(p.broker),
                                   "--health-port",
                                   Port(p.publisher_health),
                                   "--timeout",
                                   std::to_string(config_.task_timeout_seconds)};
  for (const auto& kv : config_.baggage) {
    args.push_back("--baggage");
    args.push_back(kv);
  }
  if (config_.keep) args.push_back("--stay");
  const std::string out_path = config_.run_dir + "/publisher.out";
  auto child = Start("publisher", args, out_path);
  if (!child) return {};
  children_.push_back(std::move(*child));
  ChildProcess& publisher = children_.back();
  std::cout << "  ✓ publisher   started       pid " << publisher.pid() << "  " << expected
            << " tasks, waiting for their results" << std::endl;

  // The publisher waits at most --timeout per task, so this bound is only
  // reached when something is badly wrong (a hung publisher).
  const auto deadline = Clock::now() + std::chrono::seconds(30) +
                        std::chrono::milliseconds(static_cast<int64_t>(
                            config_.task_timeout_seconds * 1000 * static_cast<double>(expected)));
  std::vector<PrintedOutcome> outcomes;
  while (Clock::now() < deadline && !Interrupted()) {
    const bool running = publisher.Running();
    outcomes.clear();
    std::ifstream in(out_path);
    for (std::string line; std::getline(in, line);) {
      PrintedOutcome o;
      if (ParseOutcomeLine(line, &o)) outcomes.push_back(o);
    }
    const bool stopped_early = !outcomes.empty() && !outcomes.back().has_result();
    if (!running || outcomes.size() >= expected || stopped_early) break;
    std::this_thread::sleep_for(kPoll);
  }
  // Without --keep the publisher exits right after its last line, once it
  // has flushed its spans (consume_result is among them).
  const auto exit_deadline = Clock::now() + std::chrono::seconds(15);
  while (!config_.keep && publisher.Running() && Clock::now() < exit_deadline && !Interrupted()) {
    std::this_thread::sleep_for(kPoll);
  }
  if (!publisher.Running()) *exit_code = publisher.exit_code();
  return outcomes;
}

std::string DemoStack::FirstExited() {
  for (auto& child : children_) {
    if (!child.Running()) {
      return "the " + child.name() + " exited (status " + std::to_string(child.exit_code()) +
             "); see " + child.log_path();
    }
  }
  return "";
}

void DemoStack::StopAll(std::chrono::milliseconds grace) {
  for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
    if (it->Running() && !it->Stop(grace)) {
      std::cerr << "agenthub demo: the " << it->name() << " did not stop within "
                << grace.count() / 1000.0 << " s of SIGTERM and was killed\n";
    }
  }
  children_.clear();
}

}  // namespace agenthub::cli
