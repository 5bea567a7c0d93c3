// A complete AgentHub agent: handles "word_count" tasks {text} and answers
// {words, characters, longest_word}. Tracing, logs with trace ids, /metrics
// and reconnecting to the broker all come from the SDK; the code below is
// only what is particular to this agent. See README.md next to this file.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "client/client.h"
#include "runtime/runtime.h"

namespace client = agenthub::client;

// The handler runs inside the task's process_task span: attributes, events
// and child spans added here show up in the task's trace.
client::HandlerResult CountWords(client::TaskContext& ctx) {
  const auto text = ctx.GetString("text");
  if (!text) return client::HandlerResult::Failure("parameter 'text' is required", "invalid_input");
  ctx.ReportProgress(50, "counting");
  agenthub::telemetry::Span tokenize = ctx.StartSpan("tokenize");  // where the time goes
  std::istringstream words(*text);
  int64_t count = 0;
  std::string word, longest;
  while (words >> word) {
    ++count;
    if (word.size() > longest.size()) longest = word;
  }
  tokenize.End();
  ctx.SetAttribute("word_count.words", count);  // searchable in the trace UI
  if (ctx.Baggage("user.tier") == "premium") ctx.AddEvent("premium request");
  return client::MakeStruct({{"words", count},
                             {"characters", static_cast<int64_t>(text->size())},
                             {"longest_word", longest}});
}

int main() {
  // Block SIGINT/SIGTERM before any thread starts; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Traces, metrics and logs configured from OTEL_* (OTLP to localhost:4317
  // by default), /metrics /health /ready on port 8083 (or $HEALTH_PORT).
  const char* port = std::getenv("HEALTH_PORT");
  std::string error;
  auto telemetry =
      agenthub::runtime::ProcessTelemetry::Start({.service_name = "word-count-agent",
                                                  .service_version = "1.0",
                                                  .ops_port = port ? std::atoi(port) : 8083},
                                                 &error);
  if (!telemetry) {
    std::cerr << "word_count_agent: " << error << "\n";
    return 1;
  }

  // AGENTHUB_BROKER_ADDR or localhost:50051; reconnects on its own.
  auto connection = client::Connection::Create(client::ConnectionOptions::FromEnvironment());
  client::Subscriber agent(connection, {.agent_id = "agent_word_count"});
  agent.Handle("word_count", CountWords);
  telemetry->ops()->SetReadinessCallback([&agent] {
    return agent.IsReady() ? agenthub::ops::Readiness::Ready()
                           : agenthub::ops::Readiness::NotReady("not connected to the broker");
  });
  agent.Start(std::chrono::seconds(0));  // does not wait: the stream keeps trying
  telemetry->logger().Info("word count agent started", {{"agent_id", agent.agent_id()}});

  int signal = 0;
  sigwait(&stop_signals, &signal);
  agent.Stop();  // finishes the tasks in hand and publishes their results
  telemetry->Shutdown(std::chrono::seconds(5));
  return 0;
}
