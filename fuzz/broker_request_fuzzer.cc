// Fuzz target: the broker's handling of request bytes, for every EventBus
// request type: DecodeRequest (our parse, with its recursion limit, and the
// wire walk that names what is wrong) and then the validation of that
// message type.
//
// The first byte picks the request type; the rest is the request body.
// Invariants: a refusal is INVALID_ARGUMENT with a message; what decodes is
// what protobuf's own parser reads from the same bytes when the limits
// allow it; what validates has ids that are printable text and timestamps
// in range.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <grpcpp/support/byte_buffer.h>

#include <memory>
#include <string>

#include "broker/id_text.h"
#include "broker/proto_time.h"
#include "broker/service/request_decoding.h"
#include "broker/validation.h"
#include "broker/wire_problem.h"
#include "fuzz_check.h"

namespace {

using namespace agenthub::broker;

// Small limits, so the fuzzer reaches them with short inputs.
ValidationLimits Limits() {
  ValidationLimits limits;
  limits.max_struct_depth = 6;
  limits.max_struct_members = 64;
  limits.max_id_bytes = 40;
  limits.max_task_type_bytes = 40;
  limits.max_filter_entries = 8;
  return limits;
}

std::optional<std::string> Validate(const google::protobuf::Message& m, int kind,
                                    const ValidationLimits& limits) {
  switch (kind) {
    case 0:
      return ValidateTask(static_cast<const eventbus::PublishTaskRequest&>(m).task(), limits);
    case 1:
      return ValidateResult(static_cast<const eventbus::PublishTaskResultRequest&>(m).result(),
                            limits);
    case 2:
      return ValidateProgress(
          static_cast<const eventbus::PublishTaskProgressRequest&>(m).progress(), limits);
    case 3:
      return ValidateTaskSubscription(static_cast<const eventbus::SubscribeToTasksRequest&>(m),
                                      limits);
    default:
      return ValidateUpdateSubscription(
          static_cast<const eventbus::SubscribeToTaskResultsRequest&>(m), limits);
  }
}

std::unique_ptr<google::protobuf::Message> NewRequest(int kind) {
  switch (kind) {
    case 0:
      return std::make_unique<eventbus::PublishTaskRequest>();
    case 1:
      return std::make_unique<eventbus::PublishTaskResultRequest>();
    case 2:
      return std::make_unique<eventbus::PublishTaskProgressRequest>();
    case 3:
      return std::make_unique<eventbus::SubscribeToTasksRequest>();
    default:
      return std::make_unique<eventbus::SubscribeToTaskResultsRequest>();
  }
}

// Map order in protobuf's serialisation depends on each map's hash seed;
// deterministic serialisation sorts them, so equal messages give equal bytes.
std::string Canonical(const google::protobuf::Message& m) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  return out;
}

void CheckValidTask(const eventbus::TaskMessage& t) {
  FUZZ_CHECK(!IdTextProblem(t.task_id()) && !IdTextProblem(t.task_type()));
  FUZZ_CHECK(!IdTextProblem(t.requester_agent_id()) && !IdTextProblem(t.responder_agent_id()));
  FUZZ_CHECK(!t.has_deadline() || !TimestampProblem(t.deadline()));
  if (t.has_deadline()) SaturatedTime(t.deadline());  // UBSan: no overflow
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int kind = data[0] % 5;
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  const ValidationLimits limits = Limits();

  grpc::Slice slice(body);
  const grpc::ByteBuffer bytes(&slice, 1);
  auto request = NewRequest(kind);
  const grpc::Status status = DecodeRequest(bytes, limits.max_struct_depth, request.get());

  // protobuf's own parser with a recursion limit far above ours: where
  // ours accepted, it must read the same message.
  auto reference = NewRequest(kind);
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(body.data()),
                                            static_cast<int>(body.size()));
  in.SetRecursionLimit(1000);
  const bool reference_ok = reference->ParseFromCodedStream(&in);
  if (!status.ok()) {
    FUZZ_CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    FUZZ_CHECK(!status.error_message().empty());
    return 0;
  }
  FUZZ_CHECK(reference_ok);
  FUZZ_CHECK(Canonical(*reference) == Canonical(*request));
  // What decodes has nothing the wire walk would name (it agrees with the
  // parser about UTF-8; depth is not in question with so high a limit).
  FUZZ_CHECK(!FindWireProblem(body, *request->GetDescriptor(), 1000));

  if (Validate(*request, kind, limits)) return 0;
  if (kind == 0) CheckValidTask(static_cast<eventbus::PublishTaskRequest&>(*request).task());
  if (kind == 3) {
    FUZZ_CHECK(
        !IdTextProblem(static_cast<eventbus::SubscribeToTasksRequest&>(*request).agent_id()));
  }
  return 0;
}
