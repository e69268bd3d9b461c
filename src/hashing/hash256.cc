#include "hashing/hash256.h"

namespace sg::hashing {
namespace {
int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

int Hash256::PopCount() const {
  int n = 0;
  for (uint16_t w : words) n += std::popcount(w);
  return n;
}

std::string Hash256::ToHex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(64, '0');
  for (int i = 0; i < 16; ++i) {
    uint16_t w = words[15 - i];
    for (int d = 0; d < 4; ++d) out[4 * i + d] = kDigits[(w >> (12 - 4 * d)) & 15];
  }
  return out;
}

std::optional<Hash256> Hash256::FromHex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Hash256 h;
  for (int i = 0; i < 16; ++i) {
    uint16_t w = 0;
    for (int d = 0; d < 4; ++d) {
      int v = HexDigit(hex[4 * i + d]);
      if (v < 0) return std::nullopt;
      w = static_cast<uint16_t>(w << 4 | v);
    }
    h.words[15 - i] = w;
  }
  return h;
}

int HammingDistance(const Hash256& a, const Hash256& b) {
  int n = 0;
  for (int i = 0; i < 16; ++i) n += std::popcount(static_cast<uint16_t>(a.words[i] ^ b.words[i]));
  return n;
}

}  // namespace sg::hashing
