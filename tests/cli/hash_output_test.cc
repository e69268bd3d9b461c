#include "cli/hash_output.h"

#include <gtest/gtest.h>

namespace sg::cli {
namespace {

media::FileHashes Sample(bool image) {
  media::FileHashes h;
  h.path = "dir/a,b.jpg";
  h.crypto = hashing::CryptoDigests{"m", "s1", "s256"};
  if (image) {
    h.type = media::ImageType::kJpeg;
    h.pdq = hashing::PdqResult{*hashing::Hash256::FromHex(std::string(63, '0') + "1"), 87};
  }
  return h;
}

TEST(HashOutputTest, CsvQuotesAndLeavesNonImageFieldsEmpty) {
  EXPECT_EQ(CsvHeader(false), "path,pdq,quality,md5,sha1,sha256\n");
  EXPECT_EQ(CsvLine(Sample(true), false), "\"dir/a,b.jpg\"," + std::string(63, '0') + "1,87,m,s1,s256\n");
  EXPECT_EQ(CsvLine(Sample(false), false), "\"dir/a,b.jpg\",,,m,s1,s256\n");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(HashOutputTest, JsonHasTheContractKeys) {
  auto o = HashJson(Sample(false), false);
  for (auto key : {"path", "pdq", "quality", "md5", "sha1", "sha256"}) EXPECT_TRUE(o.contains(key)) << key;
  EXPECT_TRUE(o["pdq"].is_null());
  EXPECT_TRUE(o["quality"].is_null());
  EXPECT_FALSE(o.contains("error"));
  EXPECT_FALSE(o.contains("pdq_dihedral"));
  auto img = HashJson(Sample(true), false);
  EXPECT_EQ(img["quality"].as_int64(), 87);
  media::FileHashes bad = Sample(false);
  bad.error = DataLoss("truncated JPEG data");
  bad.path = "bad\xFF.jpg";
  auto e = HashJson(bad, true);
  EXPECT_EQ(e["error"].as_string(), "truncated JPEG data");
  EXPECT_EQ(e["path"].as_string(), "bad\xEF\xBF\xBD.jpg");
  EXPECT_TRUE(e["pdq_dihedral"].is_null());
}

}  // namespace
}  // namespace sg::cli
