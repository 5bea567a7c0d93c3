#include "client/connection.h"

#include "telemetry/grpc/grpc.h"

namespace agenthub::client {
namespace {

grpc::ChannelArguments ChannelArgumentsFor(const ConnectionOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  args.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
  const int initial = static_cast<int>(options.backoff.initial.count());
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, initial);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, initial);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, static_cast<int>(options.backoff.max.count()));
  args.SetUserAgentPrefix("agenthub-client");
  if (!options.tls_server_name.empty()) args.SetSslTargetNameOverride(options.tls_server_name);
  // Caller-supplied arguments last, so they win.
  grpc_channel_args extra = options.extra_arguments.c_channel_args();
  for (size_t i = 0; i < extra.num_args; ++i) {
    const grpc_arg& arg = extra.args[i];
    if (arg.type == GRPC_ARG_INTEGER) args.SetInt(arg.key, arg.value.integer);
    if (arg.type == GRPC_ARG_STRING) args.SetString(arg.key, arg.value.string);
  }
  return args;
}

bool Retryable(grpc::StatusCode code) {
  // UNAVAILABLE: broker down or restarting. RESOURCE_EXHAUSTED: its queues
  // are full, which is backpressure worth waiting out. DEADLINE_EXCEEDED:
  // with wait_for_ready, almost always "could not connect in time".
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

}  // namespace

const char* GrpcStatusName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

std::shared_ptr<Connection> Connection::Create(
    ConnectionOptions options, std::shared_ptr<const telemetry::TextMapPropagator> propagator) {
  return std::shared_ptr<Connection>(new Connection(std::move(options), std::move(propagator)));
}

Connection::Connection(ConnectionOptions options,
                       std::shared_ptr<const telemetry::TextMapPropagator> propagator)
    : options_(std::move(options)), propagator_(std::move(propagator)) {
  auto credentials =
      options_.credentials ? options_.credentials : grpc::InsecureChannelCredentials();
  channel_ = grpc::CreateCustomChannel(options_.broker_address, credentials,
                                       ChannelArgumentsFor(options_));
  stub_ = eventbus::EventBus::NewStub(channel_);
}

Connection::~Connection() { Close(); }

const telemetry::TextMapPropagator& Connection::propagator() const {
  // The global propagator object lives at least as long as the process keeps
  // it installed; callers use the reference only for the call at hand.
  return propagator_ ? *propagator_ : *telemetry::GlobalPropagator();
}

std::shared_ptr<const telemetry::TextMapPropagator> Connection::propagator_ptr() const {
  return propagator_ ? propagator_ : telemetry::GlobalPropagator();
}

grpc::Status Connection::Call(const telemetry::Context& trace_context, const Attempt& attempt,
                              int max_attempts) {
  const auto propagator = propagator_ptr();
  Backoff backoff(options_.backoff);
  grpc::Status status;
  const int attempts = max_attempts > 0 ? max_attempts : std::max(1, options_.max_call_attempts);
  for (int i = 0; i < attempts; ++i) {
    if (i > 0 && !SleepUnlessClosed(backoff.Next())) break;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + options_.call_timeout);
    // Wait for a (re)connecting broker within the deadline instead of
    // failing at once while the channel is in TRANSIENT_FAILURE.
    context.set_wait_for_ready(true);
    telemetry::ClientMetadataCarrier carrier(&context);
    propagator->Inject(trace_context, carrier);
    status = attempt(context);
    if (status.ok() || !Retryable(status.error_code())) return status;
  }
  return status;
}

bool Connection::IsConnected() const {
  return !closed_.load() && channel_->GetState(false) == GRPC_CHANNEL_READY;
}

bool Connection::WaitForConnected(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::system_clock::now() + timeout;
  while (!closed_.load()) {
    const grpc_connectivity_state state = channel_->GetState(true);
    if (state == GRPC_CHANNEL_READY) return true;
    if (state == GRPC_CHANNEL_SHUTDOWN) return false;
    if (!channel_->WaitForStateChange(state, deadline)) return false;
  }
  return false;
}

void Connection::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool Connection::SleepUnlessClosed(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, delay, [this] { return closed_.load(); });
}

}  // namespace agenthub::client
