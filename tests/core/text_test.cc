#include "core/text.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sg
