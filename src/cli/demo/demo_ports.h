// The eight ports `agenthub demo` uses, their defaults (docs/reference/configuration.md),
// and the check that refuses to start when one is taken.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace agenthub::cli {

struct DemoPorts {
  int otlp_grpc = 4317;
  int otlp_http = 4318;
  int ui = 16686;  // query API and trace UI
  int collector_health = 8888;
  int broker = 50051;
  int broker_health = 8080;
  int publisher_health = 8081;
  int subscriber_health = 8082;

  // Every port with what it is for, in the order --ports-from assigns them.
  std::vector<std::pair<int*, const char*>> All();
  // N, N+1, ... N+7 in the order of All().
  void AssignFrom(int first);
};

// Adds one flag per port, and --ports-from.
void AddDemoPortFlags(CLI::App& cmd, DemoPorts& ports, int& ports_from);

// One line per port that is out of range or already in use ("port 4317
// (collector OTLP/gRPC) is in use"); empty when all are free. A port is
// free when a socket can bind it on every interface, which is stricter than
// what the children bind, so a "free" answer holds for all of them.
std::vector<std::string> UnusablePorts(DemoPorts& ports);

}  // namespace agenthub::cli
