// Which characters an id may hold: printable text in any script, nothing
// invisible, nothing that reorders or breaks the text around it.
#include "broker/id_text.h"

#include <gtest/gtest.h>

namespace agenthub::broker {
namespace {

void ExpectRefused(std::string_view id, const std::string& fragment) {
  const auto problem = IdTextProblem(id);
  ASSERT_TRUE(problem.has_value()) << "accepted: " << id;
  EXPECT_NE(problem->find(fragment), std::string::npos) << *problem;
}

TEST(IdText, AcceptsPrintableTextInAnyScript) {
  for (std::string_view id :
       {"task_1", "agent.worker-2/x", "задача", "任务", "مهمة", "🙂 ok", ""}) {
    EXPECT_FALSE(IdTextProblem(id)) << id;
  }
}

TEST(IdText, RefusesEveryBidiControl) {
  for (char32_t c : {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}) {
    std::string id = "a";
    // UTF-8 of U+2000..U+206F: E2 80|81 xx.
    id += static_cast<char>(0xE2);
    id += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    id += static_cast<char>(0x80 | (c & 0x3F));
    ExpectRefused(id, "bidirectional control");
  }
}

TEST(IdText, RefusesFormatCharacters) {
  ExpectRefused("a\u200Bb", "invisible format character U+200B");
  ExpectRefused("a\u200Fb", "U+200F");
  ExpectRefused("a\u2060b", "U+2060");
  ExpectRefused("a\u2064b", "U+2064");
  ExpectRefused("\uFEFFa", "U+FEFF at byte 0");
  ExpectRefused("soft\u00ADhyphen", "U+00AD");
  ExpectRefused("tag\U000E0041", "U+E0041");
}

TEST(IdText, RefusesControlsAndLineSeparators) {
  ExpectRefused(std::string_view("a\0b", 3), "control character U+0000 at byte 1");
  ExpectRefused("a\x7f", "control character U+007F");
  ExpectRefused("a\u0085b", "control character U+0085");  // NEL, a C1 control
  ExpectRefused("a\u2028b", "line separator U+2028");
  ExpectRefused("a\u2029b", "line separator U+2029");
}

TEST(IdText, RefusesBytesThatAreNotUtf8) {
  ExpectRefused("a\xff", "is not valid UTF-8 (at byte 1)");
  ExpectRefused("\xc3", "not valid UTF-8");              // truncated
  ExpectRefused("\xc0\xaf", "not valid UTF-8");          // overlong '/'
  ExpectRefused("\xed\xa0\x80", "not valid UTF-8");      // a surrogate
  ExpectRefused("\xf4\x90\x80\x80", "not valid UTF-8");  // above U+10FFFF
}

}  // namespace
}  // namespace agenthub::broker
