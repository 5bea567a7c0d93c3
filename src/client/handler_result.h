// HandlerResult: what a task handler returns — the result data of a
// COMPLETED task, or the error of a FAILED one.
//
//   return MakeStruct({{"message", "Hello, Claude!"}});          // completed
//   return HandlerResult::Failure("division by zero", "math_error");  // failed
//
// Throwing works too: the subscriber turns an exception into a FAILED result
// and records it on the process_task span.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <string>
#include <utility>

namespace agenthub::client {

class HandlerResult {
 public:
  // Completed with `data` (implicit, so a handler can return a Struct).
  HandlerResult(google::protobuf::Struct data = {})  // NOLINT(google-explicit-constructor)
      : data_(std::move(data)) {}

  static HandlerResult Success(google::protobuf::Struct data = {}) {
    return HandlerResult(std::move(data));
  }
  // `error_type` becomes the spans' error.type: a short, stable, low
  // cardinality name ("validation_error", "math_error").
  static HandlerResult Failure(std::string message, std::string error_type = "task_error") {
    HandlerResult r;
    r.ok_ = false;
    r.error_ = std::move(message);
    r.error_type_ = std::move(error_type);
    return r;
  }

  bool ok() const { return ok_; }
  const google::protobuf::Struct& data() const { return data_; }
  google::protobuf::Struct& mutable_data() { return data_; }
  const std::string& error() const { return error_; }
  const std::string& error_type() const { return error_type_; }

 private:
  bool ok_ = true;
  google::protobuf::Struct data_;
  std::string error_;
  std::string error_type_;
};

}  // namespace agenthub::client
