// A real broker on loopback for client SDK tests, with every span of the
// process (broker and agents alike) exported over OTLP/gRPC to an
// in-process receiver, so a test can read back whole traces.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "broker/broker_server.h"
#include "client/client.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "runtime/process_telemetry.h"
#include "support/scoped_env.h"
#include "support/wait_for.h"

namespace agenthub::client::testing {

namespace otlp = opentelemetry::proto;

// One exported span, flattened for assertions.
struct CapturedSpan {
  std::string name;
  std::string trace_id;
  std::string span_id;
  std::string parent_span_id;  // "" for a root
  otlp::trace::v1::Span::SpanKind kind = otlp::trace::v1::Span::SPAN_KIND_UNSPECIFIED;
  std::map<std::string, std::string> attributes;  // values as text
  std::vector<std::string> events;
  std::map<std::string, std::string> first_exception;  // attributes of the first exception event
  bool error = false;
  std::string status_message;

  std::string attr(const std::string& key) const {
    auto it = attributes.find(key);
    return it == attributes.end() ? "" : it->second;
  }
};

inline std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

inline std::string AnyValueText(const otlp::common::v1::AnyValue& v) {
  switch (v.value_case()) {
    case otlp::common::v1::AnyValue::kStringValue:
      return v.string_value();
    case otlp::common::v1::AnyValue::kIntValue:
      return std::to_string(v.int_value());
    case otlp::common::v1::AnyValue::kDoubleValue:
      return std::to_string(v.double_value());
    case otlp::common::v1::AnyValue::kBoolValue:
      return v.bool_value() ? "true" : "false";
    default:
      return "?";
  }
}

class SpanReceiver final : public otlp::collector::trace::v1::TraceService::Service {
 public:
  grpc::Status Export(grpc::ServerContext*,
                      const otlp::collector::trace::v1::ExportTraceServiceRequest* request,
                      otlp::collector::trace::v1::ExportTraceServiceResponse*) override {
    std::lock_guard lock(mu_);
    for (const auto& rs : request->resource_spans()) {
      for (const auto& ss : rs.scope_spans()) {
        for (const auto& s : ss.spans()) {
          CapturedSpan c;
          c.name = s.name();
          c.trace_id = Hex(s.trace_id());
          c.span_id = Hex(s.span_id());
          c.parent_span_id = s.parent_span_id().empty() ? "" : Hex(s.parent_span_id());
          c.kind = s.kind();
          for (const auto& kv : s.attributes()) c.attributes[kv.key()] = AnyValueText(kv.value());
          for (const auto& e : s.events()) {
            c.events.push_back(e.name());
            if (e.name() == "exception" && c.first_exception.empty()) {
              for (const auto& kv : e.attributes()) {
                c.first_exception[kv.key()] = AnyValueText(kv.value());
              }
            }
          }
          c.error = s.status().code() == otlp::trace::v1::Status::STATUS_CODE_ERROR;
          c.status_message = s.status().message();
          spans_.push_back(std::move(c));
        }
      }
    }
    cv_.notify_all();
    return grpc::Status::OK;
  }

  std::vector<CapturedSpan> TraceOf(const std::string& trace_id) {
    std::lock_guard lock(mu_);
    std::vector<CapturedSpan> out;
    for (const auto& s : spans_) {
      if (s.trace_id == trace_id) out.push_back(s);
    }
    return out;
  }

  // Waits until the trace holds a span of every name in `names`.
  bool WaitForTrace(const std::string& trace_id, const std::vector<std::string>& names,
                    std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      for (const auto& name : names) {
        bool found = false;
        for (const auto& s : spans_) found = found || (s.trace_id == trace_id && s.name == name);
        if (!found) return false;
      }
      return true;
    });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<CapturedSpan> spans_;
};

using agenthub::test_support::WaitFor;

class BrokerHarness {
 public:
  // `limits`: the broker's routing limits (delivery tests shorten the lease).
  explicit BrokerHarness(broker::RouterLimits limits = {}) : limits_(limits) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &receiver_port_);
    builder.RegisterService(&receiver_);
    receiver_server_ = builder.BuildAndStart();
    EXPECT_NE(receiver_port_, 0);
    env_.push_back(std::make_unique<Env>("OTEL_TRACES_EXPORTER", "otlp"));
    env_.push_back(std::make_unique<Env>("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
    env_.push_back(std::make_unique<Env>("OTEL_EXPORTER_OTLP_ENDPOINT",
                                         "http://127.0.0.1:" + std::to_string(receiver_port_)));
    env_.push_back(std::make_unique<Env>("OTEL_BSP_SCHEDULE_DELAY", "10"));
    env_.push_back(std::make_unique<Env>("OTEL_METRICS_EXPORTER", "none"));
    env_.push_back(std::make_unique<Env>("OTEL_LOGS_EXPORTER", "none"));
    env_.push_back(std::make_unique<Env>("LOG_LEVEL", "error"));
    runtime::ProcessTelemetryOptions options;
    options.service_name = "agenthub-client-test";
    std::string error;
    telemetry_ = runtime::ProcessTelemetry::Start(options, &error);
    EXPECT_TRUE(telemetry_) << error;
    EXPECT_TRUE(StartBroker(0));
  }

  ~BrokerHarness() {
    broker_.reset();
    if (telemetry_) telemetry_->Shutdown(std::chrono::seconds(5));
    receiver_server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  }

  // port 0: any free port; otherwise the given one (a restart).
  bool StartBroker(int port) {
    broker::BrokerOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.drain_timeout = std::chrono::milliseconds(500);
    options.deadline_sweep_interval = std::chrono::milliseconds(10);
    options.limits = limits_;
    std::string error;
    broker_ = broker::BrokerServer::Start(options, *telemetry_, &error);
    EXPECT_TRUE(broker_) << error;
    if (broker_) port_ = broker_->port();
    return broker_ != nullptr;
  }
  void StopBroker() {
    if (broker_) broker_->Shutdown();
    broker_.reset();
  }

  int port() const { return port_; }
  ConnectionOptions connection_options() const {
    ConnectionOptions options;
    options.broker_address = "127.0.0.1:" + std::to_string(port_);
    options.call_timeout = std::chrono::seconds(5);
    options.backoff.initial = std::chrono::milliseconds(20);
    options.backoff.max = std::chrono::milliseconds(200);
    return options;
  }
  std::shared_ptr<Connection> Connect() const { return Connection::Create(connection_options()); }
  ClientTelemetry client_telemetry() {
    return ClientTelemetry{telemetry_->Tracer("agenthub.client"), telemetry_->meter_provider(),
                           &telemetry_->logger()};
  }
  SpanReceiver& spans() { return receiver_; }
  runtime::ProcessTelemetry& telemetry() { return *telemetry_; }

 private:
  using Env = telemetry::testing::ScopedEnv;
  SpanReceiver receiver_;
  std::unique_ptr<grpc::Server> receiver_server_;
  int receiver_port_ = 0;
  std::vector<std::unique_ptr<Env>> env_;
  std::unique_ptr<runtime::ProcessTelemetry> telemetry_;
  broker::RouterLimits limits_;
  std::unique_ptr<broker::BrokerServer> broker_;
  int port_ = 0;
};

}  // namespace agenthub::client::testing
