#include "hashing/crypto_hash.h"

#include <string>

#include <gtest/gtest.h>

namespace sg::hashing {
namespace {

std::span<const uint8_t> Bytes(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(CryptoHashTest, KnownVectors) {
  // FIPS 180 / RFC 1321 test vectors for "abc".
  CryptoDigests d = DigestBytes(Bytes("abc"));
  EXPECT_EQ(d.md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(d.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CryptoDigests empty = DigestBytes({});
  EXPECT_EQ(empty.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CryptoHashTest, ChunkedEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 100000; ++i) data += static_cast<char>(i * 31 + 7);
  CryptoDigests whole = DigestBytes(Bytes(data));
  CryptoHasher h;
  for (size_t off = 0; off < data.size(); off += 4099) {
    h.Update(Bytes(data.substr(off, 4099)));
  }
  EXPECT_EQ(h.bytes(), data.size());
  CryptoDigests chunked = h.Finish();
  EXPECT_EQ(chunked.md5, whole.md5);
  EXPECT_EQ(chunked.sha1, whole.sha1);
  EXPECT_EQ(chunked.sha256, whole.sha256);
  h.Reset();
  h.Update(Bytes("abc"));
  EXPECT_EQ(h.Finish().md5, "900150983cd24fb0d6963f7d28e17f72");
}

}  // namespace
}  // namespace sg::hashing
