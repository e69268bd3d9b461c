#include "media/decoder.h"

#include <fmt/format.h>

namespace sg::media {

Status CheckDimensions(int64_t width, int64_t height, const DecodeOptions& options, const char* format) {
  if (width <= 0 || height <= 0) return DataLoss(fmt::format("{} image has no pixels ({}x{})", format, width, height));
  if (width * height > options.max_pixels) {
    return ResourceExhausted(
        fmt::format("{} image of {}x{} exceeds the limit of {} pixels", format, width, height, options.max_pixels));
  }
  return Status::Ok();
}

Status DecodeImage(ImageType type, ByteSource& src, const DecodeOptions& options, RowSink& sink) {
  switch (type) {
    case ImageType::kJpeg: return DecodeJpeg(src, options, sink);
    case ImageType::kPng: return DecodePng(src, options, sink);
    case ImageType::kGif: return DecodeGif(src, options, sink);
    case ImageType::kBmp: return DecodeBmp(src, options, sink);
    case ImageType::kWebp: return DecodeWebp(src, options, sink);
    case ImageType::kHeif: return DecodeHeif(src, options, sink);
    case ImageType::kUnsupported:
    case ImageType::kNotImage: break;
  }
  return Unsupported("not a supported image format");
}

}  // namespace sg::media
