// A CollectorServer on loopback with ports chosen by the OS, for tests that
// talk to it over real gRPC and HTTP.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "collector/collector.h"

namespace agenthub::collector::testing {

inline CollectorOptions LoopbackOptions(std::string db = ":memory:") {
  CollectorOptions options;
  options.host = "127.0.0.1";
  options.grpc_port = 0;
  options.http_port = 0;
  options.query_port = 0;
  options.http_workers = 2;
  options.store.path = std::move(db);
  options.store.retention = std::chrono::nanoseconds(0);  // fixed test times never expire
  options.queue.retention_interval = std::chrono::milliseconds(0);
  return options;
}

inline std::unique_ptr<CollectorServer> StartCollector(CollectorOptions options) {
  std::string error;
  auto server = CollectorServer::Start(std::move(options), nullptr, &error);
  EXPECT_TRUE(server) << error;
  return server;
}

// A temporary directory removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static int n = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("agenthub-collector-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace agenthub::collector::testing
