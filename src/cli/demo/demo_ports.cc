#include "cli/demo/demo_ports.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

namespace agenthub::cli {
namespace {

// Empty when `port` can be bound, else why not.
std::string BindProblem(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::strerror(errno);
  // Sockets of a recently stopped demo in TIME_WAIT must not count as busy
  // (the children's servers set SO_REUSEADDR too); a listener still does.
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = htons(static_cast<uint16_t>(port));
  std::string problem;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    problem =
        errno == EADDRINUSE ? "is in use" : std::string("cannot be bound: ") + std::strerror(errno);
  }
  ::close(fd);
  return problem;
}

}  // namespace

std::vector<std::pair<int*, const char*>> DemoPorts::All() {
  return {{&otlp_grpc, "collector OTLP/gRPC"},
          {&otlp_http, "collector OTLP/HTTP"},
          {&ui, "collector query API and UI"},
          {&collector_health, "collector /metrics"},
          {&broker, "broker gRPC"},
          {&broker_health, "broker /metrics"},
          {&publisher_health, "publisher /metrics"},
          {&subscriber_health, "subscriber /metrics"}};
}

void DemoPorts::AssignFrom(int first) {
  int next = first;
  for (auto& [port, what] : All()) *port = next++;
}

void AddDemoPortFlags(CLI::App& cmd, DemoPorts& ports, int& ports_from) {
  // gRPC, OTLP and the query API listen on 127.0.0.1; the /metrics ports
  // wherever each process's ops server listens (all interfaces).
  const char* group = "Ports";
  cmd.add_option("--otlp-grpc-port", ports.otlp_grpc, "Collector OTLP/gRPC")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--otlp-http-port", ports.otlp_http, "Collector OTLP/HTTP")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--ui-port", ports.ui, "Collector query API and trace UI")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--collector-health-port", ports.collector_health, "Collector /metrics")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--broker-port", ports.broker, "Broker gRPC")->capture_default_str()->group(group);
  cmd.add_option("--broker-health-port", ports.broker_health, "Broker /metrics, /health, /ready")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--publisher-health-port", ports.publisher_health, "Publisher /metrics")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--subscriber-health-port", ports.subscriber_health, "Subscriber /metrics")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--ports-from", ports_from,
                 "Use the eight ports N..N+7 instead (in the order above), e.g. to run next to "
                 "another demo")
      ->group(group)
      ->check(CLI::Range(1, 65535 - 7));
}

std::vector<std::string> UnusablePorts(DemoPorts& ports) {
  std::vector<std::string> problems;
  std::set<int> seen;
  for (const auto& [port, what] : ports.All()) {
    const std::string label = "port " + std::to_string(*port) + " (" + what + ")";
    if (*port < 1 || *port > 65535) {
      problems.push_back(label + " is not a port number");
    } else if (!seen.insert(*port).second) {
      problems.push_back(label + " is given twice");
    } else if (std::string problem = BindProblem(*port); !problem.empty()) {
      problems.push_back(label + " " + problem);
    }
  }
  return problems;
}

}  // namespace agenthub::cli
