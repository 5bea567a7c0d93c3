#include "client/reconnecting_stream.h"

namespace agenthub::client {
namespace {

// A stream that stayed open this long counts as healthy: the next failure
// starts backing off from the initial delay again. Shorter-lived streams
// (a broker that accepts and at once refuses) keep growing the delay.
constexpr auto kHealthyStreamAge = std::chrono::seconds(1);

}  // namespace

ReconnectingStream::ReconnectingStream(std::shared_ptr<Connection> connection, std::string name,
                                       RunOnce run, telemetry::Logger& log)
    : connection_(std::move(connection)), name_(std::move(name)), run_(std::move(run)), log_(log) {}

ReconnectingStream::~ReconnectingStream() { Stop(); }

void ReconnectingStream::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void ReconnectingStream::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (current_) current_->TryCancel();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool ReconnectingStream::IsOpen() const {
  std::lock_guard lock(mu_);
  return open_;
}

bool ReconnectingStream::WaitUntilOpen(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return open_ || stopping_; }) && open_;
}

uint64_t ReconnectingStream::opens() const {
  std::lock_guard lock(mu_);
  return opens_;
}

void ReconnectingStream::Loop() {
  Backoff backoff(connection_->options().backoff);
  while (true) {
    grpc::ClientContext context;
    // Block until the broker is reachable rather than failing fast: the
    // channel reconnects on its own (bounded by our backoff policy).
    context.set_wait_for_ready(true);
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      current_ = &context;  // a TryCancel before the call starts still applies
    }
    const auto started = std::chrono::steady_clock::now();
    const grpc::Status status = run_(context, [this] {
      {
        std::lock_guard lock(mu_);
        open_ = true;
        ++opens_;
      }
      cv_.notify_all();
    });
    bool was_open;
    {
      std::lock_guard lock(mu_);
      current_ = nullptr;
      was_open = open_;
      open_ = false;
      if (stopping_) return;
    }
    cv_.notify_all();
    if (was_open && std::chrono::steady_clock::now() - started >= kHealthyStreamAge) {
      backoff.Reset();
    }
    const auto delay = backoff.Next();
    log_.Warn("subscription stream ended; reconnecting",
              {{"stream", name_},
               {"grpc.status_code", static_cast<int64_t>(status.error_code())},
               {"error", status.error_message()},
               {"retry_in_ms", static_cast<int64_t>(delay.count())}});
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, delay, [this] { return stopping_; })) return;
  }
}

}  // namespace agenthub::client
