// The trace contract (agenthub/trace_contract.h) and its reader's version,
// docs/reference/spans.md, say the same: every span name, attribute key and
// event name of the header is documented, and every span and key the
// document's hop table lists is in the header.
#include "agenthub/trace_contract.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace agenthub::contract {
namespace {

std::string SpansDoc() {
  std::ifstream in(std::string(AGENTHUB_SOURCE_DIR) + "/docs/reference/spans.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The `code` spans of one line of Markdown.
std::vector<std::string> CodeSpans(const std::string& line) {
  std::vector<std::string> found;
  size_t at = 0;
  while ((at = line.find('`', at)) != std::string::npos) {
    const size_t end = line.find('`', at + 1);
    if (end == std::string::npos) break;
    found.push_back(line.substr(at + 1, end - at - 1));
    at = end + 1;
  }
  return found;
}

// The rows of the "## The hops" table: | `span` | made by | attributes |
std::vector<std::string> HopRows(const std::string& doc) {
  std::vector<std::string> rows;
  const size_t start = doc.find("## The hops");
  const size_t end = doc.find("\n## ", start + 1);
  std::istringstream lines(doc.substr(start, end - start));
  // The first table of the section only (the semantic conventions follow).
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) == 0) {
      rows.push_back(line);
    } else if (line.empty() && !rows.empty()) {
      break;
    }
  }
  return rows;
}

template <typename List>
bool Contains(const List& list, const std::string& value) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

TEST(TraceContract, EverySpanNameKeyAndEventIsDocumented) {
  const std::string doc = SpansDoc();
  ASSERT_FALSE(doc.empty()) << "docs/reference/spans.md not found";
  for (std::string_view name : kSpanNames) {
    EXPECT_NE(doc.find("`" + std::string(name) + "`"), std::string::npos) << name;
  }
  for (std::string_view key : kAttributeKeys) {
    EXPECT_NE(doc.find("`" + std::string(key) + "`"), std::string::npos) << key;
  }
  for (std::string_view event : kEventNames) {
    EXPECT_NE(doc.find("`" + std::string(event) + "`"), std::string::npos) << event;
  }
}

TEST(TraceContract, EveryDocumentedHopAndKeyIsInTheHeader) {
  const auto rows = HopRows(SpansDoc());
  ASSERT_GE(rows.size(), std::size(kTaskHops));
  for (const std::string& row : rows) {
    const auto code = CodeSpans(row);
    ASSERT_FALSE(code.empty());
    EXPECT_TRUE(Contains(kSpanNames, code[0])) << "span " << code[0] << " is not in the header";
    for (size_t i = 1; i < code.size(); ++i) {
      const std::string& token = code[i];
      // Keys have dots; values, events and code (Foo::Bar) do not.
      const bool key =
          token.find('.') != std::string::npos && token.find_first_of(" :(<") == std::string::npos;
      if (!key) continue;
      EXPECT_TRUE(Contains(kAttributeKeys, token))
          << token << " (on " << code[0] << ") is not in the header";
    }
  }
}

TEST(TraceContract, TheSevenHopsAreSpanNamesInCausalOrder) {
  ASSERT_EQ(std::size(kTaskHops), 7u);
  EXPECT_STREQ(kTaskHops[0].span, kPublishEvent);
  EXPECT_STREQ(kTaskHops[6].span, kConsumeResult);
  std::set<std::string> seen;
  for (const Hop& hop : kTaskHops) {
    EXPECT_TRUE(Contains(kSpanNames, hop.span)) << hop.span;
    EXPECT_TRUE(seen.insert(hop.span).second) << hop.span << " twice";
  }
}

}  // namespace
}  // namespace agenthub::contract
