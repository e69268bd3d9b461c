#include "media/image_type.h"

#include <cstring>

namespace sg::media {
namespace {

bool StartsWith(std::span<const uint8_t> head, std::string_view sig, size_t at = 0) {
  return head.size() >= at + sig.size() && std::memcmp(head.data() + at, sig.data(), sig.size()) == 0;
}

// ISO base media file: "ftyp" at offset 4, major brand at offset 8. Compatible
// brands follow, but the major brand is what HEIF writers set.
std::string_view FtypBrand(std::span<const uint8_t> head) {
  if (!StartsWith(head, "ftyp", 4) || head.size() < 12) return {};
  return {reinterpret_cast<const char*>(head.data()) + 8, 4};
}

bool IsHeifBrand(std::string_view b) {
  return b == "heic" || b == "heix" || b == "heim" || b == "heis" || b == "hevc" || b == "hevx" || b == "mif1" ||
         b == "msf1";
}

}  // namespace

ImageType SniffImageType(std::span<const uint8_t> head) {
  if (StartsWith(head, "\xFF\xD8\xFF")) return ImageType::kJpeg;
  if (StartsWith(head, "\x89PNG\r\n\x1A\n")) return ImageType::kPng;
  if (StartsWith(head, "GIF87a") || StartsWith(head, "GIF89a")) return ImageType::kGif;
  if (StartsWith(head, "RIFF") && StartsWith(head, "WEBP", 8)) return ImageType::kWebp;
  // "BM" alone is too weak (text files start with it); require a known DIB
  // header size at offset 14.
  if (StartsWith(head, "BM") && head.size() >= 18) {
    uint32_t dib = head[14] | head[15] << 8 | head[16] << 16 | uint32_t(head[17]) << 24;
    if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124) return ImageType::kBmp;
  }
  std::string_view brand = FtypBrand(head);
  if (IsHeifBrand(brand)) return ImageType::kHeif;
  if (!UnsupportedFormatName(head).empty()) return ImageType::kUnsupported;
  return ImageType::kNotImage;
}

std::string_view UnsupportedFormatName(std::span<const uint8_t> head) {
  if (StartsWith(head, "II*\0") || StartsWith(head, std::string_view("MM\0*", 4))) return "TIFF";
  std::string_view brand = FtypBrand(head);
  if (brand == "avif" || brand == "avis") return "AVIF";
  if (StartsWith(head, "\xFF\x0A") || StartsWith(head, std::string_view("\0\0\0\x0CJXL ", 8))) return "JPEG XL";
  if (StartsWith(head, std::string_view("\0\0\0\x0CjP  ", 8))) return "JPEG 2000";
  return {};
}

std::string_view ImageTypeName(ImageType type) {
  switch (type) {
    case ImageType::kNotImage: return "none";
    case ImageType::kJpeg: return "jpeg";
    case ImageType::kPng: return "png";
    case ImageType::kGif: return "gif";
    case ImageType::kBmp: return "bmp";
    case ImageType::kWebp: return "webp";
    case ImageType::kHeif: return "heif";
    case ImageType::kUnsupported: return "unsupported";
  }
  return "none";
}

}  // namespace sg::media
