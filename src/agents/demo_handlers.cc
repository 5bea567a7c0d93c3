#include "agents/demo_handlers.h"

#include <cmath>
#include <random>

namespace agenthub::agents {

using client::HandlerResult;
using client::MakeStruct;
using client::TaskContext;

namespace {

// The tier a publisher put in the baggage, recorded on the span so a trace
// shows which path the handler took.
std::string UserTier(TaskContext& ctx) {
  std::string tier = ctx.Baggage("user.tier").value_or("standard");
  ctx.SetAttribute("user.tier", tier);
  return tier;
}

std::string FormatNumber(double d) {
  if (std::trunc(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
  return std::to_string(d);
}

}  // namespace

void RegisterDemoHandlers(client::Subscriber& subscriber) {
  subscriber.Handle("greeting", HandleGreeting);
  subscriber.Handle("math_calculation", HandleMathCalculation);
  subscriber.Handle("random_number", HandleRandomNumber);
}

bool HasDemoHandler(const std::string& task_type) {
  return task_type == "greeting" || task_type == "math_calculation" || task_type == "random_number";
}

HandlerResult HandleGreeting(TaskContext& ctx) {
  ctx.ReportProgress(25, "reading the name");
  const std::string name = ctx.GetString("name").value_or("there");
  const bool premium = UserTier(ctx) == "premium";
  ctx.ReportProgress(50, "composing the greeting");
  std::string greeting = "Hello, " + name + "!";
  if (premium) greeting += " Thank you for being a premium member.";
  ctx.AddEvent("greeting.composed", {{"greeting.premium", premium}});
  ctx.ReportProgress(100, "done");
  return MakeStruct({{"greeting", greeting}, {"premium", premium}});
}

HandlerResult HandleMathCalculation(TaskContext& ctx) {
  ctx.ReportProgress(25, "validating input");
  telemetry::Span validate = ctx.StartSpan("validate_input");
  const auto operation = ctx.GetString("operation");
  const auto a = ctx.GetNumber("a");
  const auto b = ctx.GetNumber("b");
  std::string problem;
  if (!operation) {
    problem = "parameter 'operation' is required (add, subtract, multiply, divide)";
  } else if (*operation != "add" && *operation != "subtract" && *operation != "multiply" &&
             *operation != "divide") {
    problem = "unknown operation '" + *operation + "' (use add, subtract, multiply, divide)";
  } else if (!a || !b) {
    problem = "parameters 'a' and 'b' must be numbers";
  }
  if (!problem.empty()) {
    validate.SetAttribute("error.type", "invalid_input");
    validate.SetStatus(telemetry::StatusCode::kError, problem);
    validate.End();
    return HandlerResult::Failure(problem, "invalid_input");
  }
  validate.SetAttribute("math.operation", *operation);
  validate.End();
  ctx.SetAttribute("math.operation", *operation);

  ctx.ReportProgress(50, "computing");
  telemetry::Span compute = ctx.StartSpan("compute_result", {{"math.operation", *operation}});
  if (*operation == "divide" && *b == 0.0) {
    compute.SetAttribute("error.type", "division_by_zero");
    compute.RecordError("division_by_zero", "division by zero");
    compute.SetStatus(telemetry::StatusCode::kError, "division by zero");
    compute.End();
    return HandlerResult::Failure("division by zero: cannot divide " + FormatNumber(*a) + " by 0",
                                  "division_by_zero");
  }
  double result = 0;
  const char* symbol = "+";
  if (*operation == "add") {
    result = *a + *b;
  } else if (*operation == "subtract") {
    result = *a - *b;
    symbol = "-";
  } else if (*operation == "multiply") {
    result = *a * *b;
    symbol = "*";
  } else {
    result = *a / *b;
    symbol = "/";
  }
  compute.SetAttribute("math.result", result);
  compute.End();
  ctx.ReportProgress(100, "done");
  return MakeStruct({{"result", result},
                     {"operation", *operation},
                     {"expression", FormatNumber(*a) + " " + symbol + " " + FormatNumber(*b) +
                                        " = " + FormatNumber(result)}});
}

int RandomNumberForSeed(uint64_t seed) {
  // mt19937_64's output sequence is fixed by the C++ standard, so a seed
  // gives the same number on every platform (distributions are not).
  std::mt19937_64 engine(seed);
  return static_cast<int>(engine() % 1000);
}

HandlerResult HandleRandomNumber(TaskContext& ctx) {
  ctx.ReportProgress(25, "seeding");
  const double seed = ctx.GetNumber("seed").value_or(0);
  if (seed < 0 || std::trunc(seed) != seed) {
    return HandlerResult::Failure("parameter 'seed' must be a whole number >= 0", "invalid_input");
  }
  ctx.ReportProgress(50, "drawing");
  const int number = RandomNumberForSeed(static_cast<uint64_t>(seed));
  ctx.SetAttribute("random.number", static_cast<int64_t>(number));
  ctx.ReportProgress(100, "done");
  return MakeStruct({{"random_number", number}, {"seed", seed}});
}

}  // namespace agenthub::agents
