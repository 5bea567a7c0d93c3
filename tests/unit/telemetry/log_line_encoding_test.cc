// What a log line looks like byte for byte: RFC 3339 times, JSON escaping
// that survives any input (control characters, invalid UTF-8), typed
// attribute values, and the human text format.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "telemetry/common/time_format.h"
#include "telemetry/logs/json_append.h"
#include "telemetry/logs/log_line.h"
#include "telemetry/logs/log_time.h"

namespace agenthub::telemetry::internal {
namespace {

using nlohmann::json;

std::string Rfc3339(Timestamp t, int digits) {
  std::string out;
  AppendRfc3339(t, digits, &out);
  return out;
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

// Encodes `s`, proves the result is valid JSON, and returns what it decodes to.
std::string RoundTrip(std::string_view s) {
  const std::string encoded = JsonString(s);
  return json::parse(encoded).get<std::string>();
}

std::string JsonValue(const AttributeValue& v) {
  std::string out;
  AppendJsonValue(v, &out);
  return out;
}

TEST(LogTime, WritesNanosecondsInUtc) {
  // 2026-11-25T12:00:00Z is 1795608000 s after the epoch.
  const Timestamp t = FromUnixNanos(1'795'608'000'123'456'789ULL);
  EXPECT_EQ(Rfc3339(t, 9), "2026-11-25T12:00:00.123456789Z");
}

TEST(LogTime, TextFormatTruncatesToMilliseconds) {
  const Timestamp t = FromUnixNanos(1'795'608'000'123'999'999ULL);
  EXPECT_EQ(Rfc3339(t, 3), "2026-11-25T12:00:00.123Z");
}

TEST(LogTime, KeepsLeadingZerosOfTheFraction) {
  const Timestamp t = FromUnixNanos(1'795'608'000'000'000'042ULL);
  EXPECT_EQ(Rfc3339(t, 9), "2026-11-25T12:00:00.000000042Z");
}

TEST(LogTime, AgreesWithTheSdkFormatterAcrossDatesAndLeapDays) {
  const int64_t samples[] = {0,
                             1,
                             951'782'400'999'999'999,    // 2000-02-29
                             1'709'164'800'500'000'000,  // 2024-02-29
                             4'102'444'799'999'999'999,  // 2099-12-31T23:59:59
                             -1};                        // 1969-12-31T23:59:59.999999999
  for (int64_t nanos : samples) {
    const Timestamp t{std::chrono::nanoseconds(nanos)};
    EXPECT_EQ(Rfc3339(t, 9), FormatRfc3339Nanos(t)) << nanos;
  }
}

TEST(JsonString, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(JsonString(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
}

TEST(JsonString, EscapesEveryControlCharacter) {
  EXPECT_EQ(JsonString("a\nb\rc\td\be\ff"), R"("a\nb\rc\td\be\ff")");
  EXPECT_EQ(JsonString(std::string("\x01\x1b\x1f", 3)), R"("\u0001\u001b\u001f")");
  EXPECT_EQ(JsonString(std::string("nul\0byte", 8)), R"("nul\u0000byte")");
  for (int c = 0; c < 0x20; ++c) {
    const std::string s(1, static_cast<char>(c));
    EXPECT_EQ(RoundTrip(s), s) << c;
  }
}

TEST(JsonString, KeepsWellFormedUtf8AsIs) {
  const std::string s =
      "h\xC3\xA9llo \xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x99\x82";  // héllo 世界 🙂
  EXPECT_EQ(JsonString(s), "\"" + s + "\"");
  EXPECT_EQ(RoundTrip(s), s);
}

TEST(JsonString, ReplacesInvalidUtf8WithReplacementCharacter) {
  const std::string kFffd = "\xEF\xBF\xBD";
  EXPECT_EQ(RoundTrip("a\xFF"
                      "b"),
            "a" + kFffd + "b");  // never valid in UTF-8
  EXPECT_EQ(RoundTrip("a\x80"
                      "b"),
            "a" + kFffd + "b");  // lone continuation
  EXPECT_EQ(RoundTrip("a\xC0\xAF"
                      "b"),
            "a" + kFffd + kFffd + "b");                                     // overlong '/'
  EXPECT_EQ(RoundTrip("\xED\xA0\x80"), kFffd + kFffd + kFffd);              // UTF-16 surrogate
  EXPECT_EQ(RoundTrip("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
  EXPECT_EQ(RoundTrip("end\xC3"), "end" + kFffd);                           // truncated at the end
}

TEST(JsonString, ReplacesATruncatedSequenceWithOneCharacter) {
  // E2 82 starts the 3-byte euro sign; the maximal subpart gets one U+FFFD.
  EXPECT_EQ(RoundTrip("a\xE2\x82"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(LineSafeText, EscapesControlsButKeepsQuotes) {
  std::string out;
  AppendLineSafeText("two\nlines \"quoted\"\x1b[0m", &out);
  EXPECT_EQ(out, R"(two\nlines "quoted"\u001b[0m)");
}

TEST(JsonValue, WritesNumbersAndBooleansUnquoted) {
  EXPECT_EQ(JsonValue(int64_t{42}), "42");
  EXPECT_EQ(JsonValue(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(JsonValue(1.5), "1.5");
  EXPECT_EQ(JsonValue(0.1), "0.1");
  EXPECT_EQ(JsonValue(true), "true");
  EXPECT_EQ(JsonValue(false), "false");
  EXPECT_EQ(JsonValue(std::string("x")), "\"x\"");
}

TEST(JsonValue, DoublesReadBackExactly) {
  for (double d : {1e300, -2.2250738585072014e-308, 3.141592653589793, 1e21}) {
    EXPECT_EQ(json::parse(JsonValue(d)).get<double>(), d);
  }
}

TEST(JsonValue, NonFiniteDoublesBecomeStrings) {
  EXPECT_EQ(JsonValue(std::nan("")), "\"NaN\"");
  EXPECT_EQ(JsonValue(std::numeric_limits<double>::infinity()), "\"Infinity\"");
  EXPECT_EQ(JsonValue(-std::numeric_limits<double>::infinity()), "\"-Infinity\"");
}

TEST(JsonValue, WritesTypedArrays) {
  EXPECT_EQ(JsonValue(std::vector<int64_t>{1, -2}), "[1,-2]");
  EXPECT_EQ(JsonValue(std::vector<bool>{true, false}), "[true,false]");
  EXPECT_EQ(JsonValue(std::vector<double>{0.5}), "[0.5]");
  EXPECT_EQ(JsonValue(std::vector<std::string>{"a", "b\"c"}), R"(["a","b\"c"])");
  EXPECT_EQ(JsonValue(std::vector<std::string>{}), "[]");
}

LogLine Line(const Attributes* attributes, const SpanContext* span = nullptr) {
  LogLine line;
  line.time = FromUnixNanos(1'795'608'000'123'456'789ULL);
  line.level = LogLevel::kInfo;
  line.message = "hello world";
  line.span = span;
  line.attributes = attributes;
  return line;
}

SpanContext FixedSpan() {
  return SpanContext(*TraceId::FromHex("0af7651916cd43dd8448eb211c80319c"),
                     *SpanId::FromHex("b7ad6b7169203331"), TraceFlags{TraceFlags::kSampled}, false);
}

TEST(JsonLine, IsExactlyTheDocumentedShape) {
  const Attributes attrs{{"task_id", "t-1"}, {"attempt", 2}};
  const SpanContext span = FixedSpan();
  std::string out;
  LogLineFormatter(LogFormat::kJson, "agenthub-broker").Append(Line(&attrs, &span), &out);
  EXPECT_EQ(out, R"({"time":"2026-11-25T12:00:00.123456789Z","level":"INFO","msg":"hello world",)"
                 R"("service":"agenthub-broker","trace_id":"0af7651916cd43dd8448eb211c80319c",)"
                 R"("span_id":"b7ad6b7169203331","task_id":"t-1","attempt":2})"
                 "\n");
}

TEST(JsonLine, AttributesCannotShadowTheFixedFields) {
  const Attributes attrs{{"msg", "forged"}, {"trace_id", "x"}, {"level", 1}};
  std::string out;
  LogLineFormatter(LogFormat::kJson, "svc").Append(Line(&attrs), &out);
  const json parsed = json::parse(out);
  EXPECT_EQ(parsed["msg"], "hello world");
  EXPECT_EQ(parsed["level"], "INFO");
  EXPECT_EQ(parsed["attr.msg"], "forged");
  EXPECT_EQ(parsed["attr.trace_id"], "x");
  EXPECT_FALSE(parsed.contains("trace_id"));
}

TEST(JsonLine, EscapesTheServiceName) {
  std::string out;
  LogLineFormatter(LogFormat::kJson, "we\"ird").Append(Line(nullptr), &out);
  EXPECT_EQ(json::parse(out)["service"], "we\"ird");
}

TEST(TextLine, IsTimeLevelMessageAttributesThenTrace) {
  const Attributes attrs{{"key", "value"}, {"n", 3}, {"ok", true}};
  const SpanContext span = FixedSpan();
  std::string out;
  LogLineFormatter(LogFormat::kText, "svc").Append(Line(&attrs, &span), &out);
  EXPECT_EQ(out,
            "2026-11-25T12:00:00.123Z INFO  hello world key=value n=3 ok=true "
            "trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331\n");
}

TEST(TextLine, QuotesValuesThatWouldSplitAndKeepsOneLine) {
  const Attributes attrs{{"path", "a b"}, {"empty", ""}, {"eq", "k=v"}, {"nl", "x\ny"}};
  LogLine line = Line(&attrs);
  line.level = LogLevel::kError;
  line.message = "first\nsecond";
  std::string out;
  LogLineFormatter(LogFormat::kText, "svc").Append(line, &out);
  EXPECT_EQ(out,
            "2026-11-25T12:00:00.123Z ERROR first\\nsecond path=\"a b\" empty=\"\" "
            "eq=\"k=v\" nl=\"x\\ny\"\n");
}

}  // namespace
}  // namespace agenthub::telemetry::internal
