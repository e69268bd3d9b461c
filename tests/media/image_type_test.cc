#include "media/image_type.h"

#include <string>

#include <gtest/gtest.h>

namespace sg::media {
namespace {

ImageType Sniff(const std::string& s) {
  return SniffImageType({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(ImageTypeTest, RecognisesSignaturesNotNames) {
  EXPECT_EQ(Sniff("\xFF\xD8\xFF\xE0rest"), ImageType::kJpeg);
  EXPECT_EQ(Sniff("\x89PNG\r\n\x1A\n...."), ImageType::kPng);
  EXPECT_EQ(Sniff("GIF89a...."), ImageType::kGif);
  EXPECT_EQ(Sniff("GIF87a...."), ImageType::kGif);
  EXPECT_EQ(Sniff(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), ImageType::kWebp);
  EXPECT_EQ(Sniff(std::string("BM\0\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0", 18)), ImageType::kBmp);
  EXPECT_EQ(Sniff(std::string("\0\0\0\x18" "ftypheic\0\0\0\0", 16)), ImageType::kHeif);
  EXPECT_EQ(Sniff(std::string("\0\0\0\x18" "ftypmif1\0\0\0\0", 16)), ImageType::kHeif);
}

TEST(ImageTypeTest, KnownButUnsupportedFormats) {
  EXPECT_EQ(Sniff(std::string("II*\0\x08\0\0\0", 8)), ImageType::kUnsupported);
  EXPECT_EQ(Sniff(std::string("\0\0\0\x1c" "ftypavif\0\0\0\0", 16)), ImageType::kUnsupported);
  std::string tiff("MM\0*\0\0\0\x08", 8);
  EXPECT_EQ(UnsupportedFormatName({reinterpret_cast<const uint8_t*>(tiff.data()), tiff.size()}), "TIFF");
}

TEST(ImageTypeTest, NonImagesAndShortInputs) {
  EXPECT_EQ(Sniff(""), ImageType::kNotImage);
  EXPECT_EQ(Sniff("\xFF\xD8"), ImageType::kNotImage);
  EXPECT_EQ(Sniff("BMW is a car, not a bitmap"), ImageType::kNotImage);
  EXPECT_EQ(Sniff("%PDF-1.7"), ImageType::kNotImage);
  EXPECT_EQ(Sniff(std::string("RIFF\x10\0\0\0WAVEfmt ", 16)), ImageType::kNotImage);
}

}  // namespace
}  // namespace sg::media
