#include "media/file_hasher.h"

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sg::media {
namespace {

std::vector<uint8_t> ReadShared(const std::string& rel) {
  std::ifstream in(std::string(SG_SHARED_DIR) + "/pdq/" + rel, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::span<const uint8_t> Bytes(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(FileHasherTest, NonImageGetsCryptoHashesOnly) {
  FileHashes h = HashBytes(Bytes("abc"), {});
  EXPECT_TRUE(h.error.ok());
  EXPECT_FALSE(h.is_image());
  EXPECT_FALSE(h.pdq.has_value());
  ASSERT_TRUE(h.crypto.has_value());
  EXPECT_EQ(h.crypto->md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(h.size, 3u);
  FileHashes empty = HashBytes({}, {});
  EXPECT_TRUE(empty.error.ok());
  EXPECT_EQ(empty.crypto->md5, "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(FileHasherTest, TruncatedJpegIsAnErrorButKeepsCryptoHashes) {
  std::vector<uint8_t> jpeg = ReadShared("images/misc/wee.jpg");
  if (jpeg.empty()) GTEST_SKIP() << "no conformance data";
  for (size_t cut : {size_t(3), size_t(20), size_t(200), jpeg.size() / 2, jpeg.size() - 10}) {
    SCOPED_TRACE(cut);
    std::span<const uint8_t> part(jpeg.data(), cut);
    FileHashes h = HashBytes(part, {});
    EXPECT_FALSE(h.error.ok());
    EXPECT_EQ(h.error.code(), StatusCode::kDataLoss);
    EXPECT_NE(h.error.message().find("JPEG"), std::string::npos) << h.error.message();
    EXPECT_FALSE(h.pdq.has_value());
    ASSERT_TRUE(h.crypto.has_value());
    EXPECT_EQ(h.size, cut);
  }
}

TEST(FileHasherTest, CorruptPngIsAnError) {
  std::vector<uint8_t> png = ReadShared("images/misc/modes/L.png");
  if (png.empty()) GTEST_SKIP() << "no conformance data";
  std::vector<uint8_t> bad = png;
  for (size_t i = 100; i < bad.size(); i += 97) bad[i] ^= 0x5a;  // breaks chunk CRCs
  FileHashes h = HashBytes(bad, {});
  EXPECT_EQ(h.error.code(), StatusCode::kDataLoss) << h.error.message();
  EXPECT_NE(h.error.message().find("PNG"), std::string::npos);
  FileHashes cut = HashBytes(std::span<const uint8_t>(png.data(), png.size() / 3), {});
  EXPECT_NE(cut.error.message().find("truncated PNG"), std::string::npos) << cut.error.message();
}

TEST(FileHasherTest, UnsupportedFormatsAreNamed) {
  FileHashes h = HashBytes(Bytes(std::string("II*\0\x08\0\0\0rest of a tiff", 22)), {});
  EXPECT_EQ(h.error.code(), StatusCode::kUnsupported);
  EXPECT_NE(h.error.message().find("TIFF"), std::string::npos);
  EXPECT_TRUE(h.crypto.has_value());
}

TEST(FileHasherTest, PixelLimitRefusesHugeImages) {
  std::vector<uint8_t> jpeg = ReadShared("images/misc/wee.jpg");
  if (jpeg.empty()) GTEST_SKIP() << "no conformance data";
  FileHashOptions opts;
  opts.decode.max_pixels = 100;
  FileHashes h = HashBytes(jpeg, opts);
  EXPECT_EQ(h.error.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(h.error.message().find("exceeds the limit"), std::string::npos);
}

TEST(FileHasherTest, DihedralFirstVariantIsThePlainHash) {
  std::vector<uint8_t> jpeg = ReadShared("images/misc/wee.jpg");
  if (jpeg.empty()) GTEST_SKIP() << "no conformance data";
  FileHashOptions opts;
  opts.dihedral = true;
  FileHashes d = HashBytes(jpeg, opts);
  FileHashes plain = HashBytes(jpeg, {});
  ASSERT_TRUE(d.dihedral.has_value());
  EXPECT_EQ((*d.dihedral)[0], plain.pdq->hash);
  EXPECT_EQ(d.pdq->quality, plain.pdq->quality);
  EXPECT_GT(d.width, 0);
}

}  // namespace
}  // namespace sg::media
