// Image type detection from a file's first bytes (never from its name).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace sg::media {

enum class ImageType {
  kNotImage,     // no image signature we know: hashed as plain bytes
  kJpeg,
  kPng,
  kGif,
  kBmp,
  kWebp,
  kHeif,
  kUnsupported,  // a known image format we do not decode (TIFF, AVIF, JPEG XL, ...)
};

// Bytes of the file's start that SniffImageType looks at, at most.
inline constexpr size_t kSniffBytes = 32;

ImageType SniffImageType(std::span<const uint8_t> head);
std::string_view ImageTypeName(ImageType type);
// For kUnsupported: which format it looked like ("TIFF"), else "".
std::string_view UnsupportedFormatName(std::span<const uint8_t> head);

}  // namespace sg::media
