#include "hashing/hash256.h"

#include <gtest/gtest.h>

namespace sg::hashing {
namespace {

TEST(Hash256Test, HexLayoutMatchesReference) {
  // Bit 0 is the lowest bit of word 0, which is printed last.
  Hash256 h;
  h.SetBit(0);
  EXPECT_EQ(h.ToHex(), std::string(63, '0') + "1");
  Hash256 top;
  top.SetBit(255);
  EXPECT_EQ(top.ToHex(), "8" + std::string(63, '0'));
}

TEST(Hash256Test, FromHexRoundTripsAndRejectsJunk) {
  const std::string hex = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  auto h = Hash256::FromHex(hex);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->ToHex(), hex);
  EXPECT_TRUE(Hash256::FromHex("F8F8F0CEE0F4A84F06370A22038F63F0B36E2ED596621E1D33E6B39C4E9C9B22").has_value());
  EXPECT_FALSE(Hash256::FromHex(hex.substr(1)).has_value());
  EXPECT_FALSE(Hash256::FromHex(hex + "0").has_value());
  EXPECT_FALSE(Hash256::FromHex(std::string(63, '0') + "g").has_value());
}

TEST(Hash256Test, HammingDistanceCountsDifferingBits) {
  Hash256 a, b;
  EXPECT_EQ(HammingDistance(a, b), 0);
  for (int k = 0; k < 256; k += 3) b.SetBit(k);
  EXPECT_EQ(HammingDistance(a, b), 86);
  EXPECT_EQ(b.PopCount(), 86);
  b.FlipBit(0);
  EXPECT_EQ(HammingDistance(a, b), 85);
  EXPECT_FALSE(b.GetBit(0));
}

}  // namespace
}  // namespace sg::hashing
