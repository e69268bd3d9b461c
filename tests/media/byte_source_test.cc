#include "media/byte_source.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace sg::media {
namespace {

std::string TempFile(const std::string& content) {
  std::string path = ::testing::TempDir() + "byte_source_" + std::to_string(std::rand()) + ".bin";
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(ByteSourceTest, PeekDoesNotConsumeAndEverythingIsHashedOnce) {
  std::string content(600000, 'x');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i % 251);
  std::string path = TempFile(content);
  auto src = ByteSource::OpenFile(path);
  ASSERT_TRUE(src.ok());
  hashing::CryptoHasher hasher;
  src->set_hasher(&hasher);
  auto head = src->Peek(4);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size(), 4u);
  uint8_t first[10];
  ASSERT_TRUE(src->ReadExact(first, 10).ok());
  EXPECT_EQ(first[3], 3);
  ASSERT_TRUE(src->Skip(300000).ok());
  ASSERT_TRUE(src->Drain().ok());
  EXPECT_EQ(src->consumed(), content.size());
  EXPECT_EQ(hasher.Finish().sha256,
            hashing::DigestBytes({reinterpret_cast<const uint8_t*>(content.data()), content.size()}).sha256);
  std::remove(path.c_str());
}

TEST(ByteSourceTest, ReadPastEndIsTruncation) {
  std::string data = "short";
  ByteSource src = ByteSource::FromMemory({reinterpret_cast<const uint8_t*>(data.data()), data.size()});
  uint8_t buf[10];
  Status s = src.ReadExact(buf, 10);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("truncated"), std::string::npos);
}

TEST(ByteSourceTest, OpenFileErrorsNameTheReason) {
  auto missing = ByteSource::OpenFile("/nonexistent/file.jpg");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto dir = ByteSource::OpenFile(::testing::TempDir());
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.status().message().find("directory"), std::string::npos);
}

TEST(ByteSourceTest, ReadAllHonoursLimit) {
  std::string data(1000, 'a');
  ByteSource src = ByteSource::FromMemory({reinterpret_cast<const uint8_t*>(data.data()), data.size()});
  std::vector<uint8_t> out;
  EXPECT_EQ(src.ReadAll(out, 999).code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace sg::media
