#include "core/hex.h"

#include <gtest/gtest.h>

namespace sg {
namespace {

TEST(HexTest, RoundTrip) {
  std::vector<uint8_t> bytes = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(HexEncode(bytes), "000fa5ff");
  auto back = HexDecode("000FA5ff", 4);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, bytes);
}

TEST(HexTest, RejectsWrongLengthAndDigits) {
  EXPECT_FALSE(HexDecode("abc", 2).has_value());
  EXPECT_FALSE(HexDecode("zz", 1).has_value());
  EXPECT_FALSE(HexDecode("0g", 1).has_value());
  EXPECT_TRUE(HexDecode("", 0).has_value());
}

}  // namespace
}  // namespace sg
