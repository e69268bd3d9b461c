#include "core/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sg {
namespace {

TEST(TextTest, TrimAscii) {
  EXPECT_EQ(TrimAscii("  a b \t\r\n"), "a b");
  EXPECT_EQ(TrimAscii(" \t "), "");
  EXPECT_EQ(TrimAscii(""), "");
  EXPECT_EQ(TrimAscii("x"), "x");
}

TEST(TextTest, CaseFoldingIsAsciiOnly) {
  EXPECT_EQ(AsciiLower("MD5,Sha256"), "md5,sha256");
  EXPECT_EQ(AsciiUpper("a1b2"), "A1B2");
  EXPECT_EQ(AsciiLower("\xC3\x89"), "\xC3\x89");  // UTF-8 bytes untouched
}

TEST(NextLine, SplitsOnNewlinesDropsCarriageReturnsAndKeepsALastLine) {
  const std::string_view text = "a\r\n\nb c\nlast";
  std::vector<std::string> lines;
  size_t pos = 0;
  std::string_view line;
  while (NextLine(text, &pos, &line)) lines.emplace_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "", "b c", "last"}));
  pos = 0;
  EXPECT_FALSE(NextLine("", &pos, &line));
  pos = 0;
  ASSERT_TRUE(NextLine("x\n", &pos, &line));
  EXPECT_EQ(line, "x");
  EXPECT_FALSE(NextLine("x\n", &pos, &line));  // no empty line after a final newline
}

}  // namespace
}  // namespace sg
