// Hash256: a 256-bit perceptual hash (PDQ), stored as sixteen 16-bit words.
//
// Bit k (0..255) is bit (k % 16) of word (k / 16). The text form is the
// reference library's: 64 lowercase hex digits, word 15 first, so bit 0 is the
// lowest bit of the last hex digit. Keep this layout: hash lists exchanged
// with other systems use it.
// Thread safety: a value type.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sg::hashing {

struct Hash256 {
  std::array<uint16_t, 16> words{};

  void SetBit(int k) { words[k >> 4] |= static_cast<uint16_t>(1u << (k & 15)); }
  bool GetBit(int k) const { return (words[k >> 4] >> (k & 15)) & 1; }
  void FlipBit(int k) { words[k >> 4] ^= static_cast<uint16_t>(1u << (k & 15)); }
  int PopCount() const;

  std::string ToHex() const;
  // Parses exactly 64 hex digits (either case); nullopt otherwise.
  static std::optional<Hash256> FromHex(std::string_view hex);

  friend bool operator==(const Hash256&, const Hash256&) = default;
};

// Number of differing bits, 0..256.
int HammingDistance(const Hash256& a, const Hash256& b);

}  // namespace sg::hashing
