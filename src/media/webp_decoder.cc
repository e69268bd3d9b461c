// WebP (lossy, lossless, with or without alpha) through libwebp's advanced
// decoding API. libwebp decodes from memory, so the file is read whole (up to
// DecodeOptions::max_file_bytes) and decoded straight into an RGB buffer:
// alpha is dropped, the colour under it kept (MODE_RGB does not blend).
// Animated WebP is refused: WebPDecode cannot decode it, and which frame to
// hash would be a policy of its own.
#include <vector>

#include <webp/decode.h>
#include <fmt/format.h>

#include "media/decoder.h"

namespace sg::media {
namespace {

Status WebpError(VP8StatusCode code, std::string_view where) {
  switch (code) {
    case VP8_STATUS_NOT_ENOUGH_DATA:
    case VP8_STATUS_SUSPENDED: return DataLoss(fmt::format("truncated WebP data ({})", where));
    case VP8_STATUS_BITSTREAM_ERROR: return DataLoss(fmt::format("corrupt WebP data ({}): bitstream error", where));
    case VP8_STATUS_INVALID_PARAM: return DataLoss(fmt::format("corrupt WebP data ({}): invalid parameter", where));
    case VP8_STATUS_UNSUPPORTED_FEATURE: return Unsupported(fmt::format("unsupported WebP feature ({})", where));
    case VP8_STATUS_OUT_OF_MEMORY: return ResourceExhausted("out of memory decoding WebP");
    default: return DataLoss(fmt::format("corrupt WebP data ({}): libwebp status {}", where, int(code)));
  }
}

}  // namespace

Status DecodeWebp(ByteSource& src, const DecodeOptions& options, RowSink& sink) {
  std::vector<uint8_t> data;
  SG_RETURN_IF_ERROR(src.ReadAll(data, options.max_file_bytes));

  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return Internal("libwebp ABI version mismatch");
  VP8StatusCode code = WebPGetFeatures(data.data(), data.size(), &config.input);
  if (code != VP8_STATUS_OK) return WebpError(code, "in the header");
  if (config.input.has_animation) return Unsupported("animated WebP");
  const int width = config.input.width, height = config.input.height;
  SG_RETURN_IF_ERROR(CheckDimensions(width, height, options, "WebP"));
  SG_RETURN_IF_ERROR(sink.Start({width, height, 3}));

  const size_t stride = size_t(width) * 3;
  std::vector<uint8_t> pixels(stride * height);
  config.output.colorspace = MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = pixels.data();
  config.output.u.RGBA.stride = int(stride);
  config.output.u.RGBA.size = pixels.size();
  code = WebPDecode(data.data(), data.size(), &config);
  const int out_w = config.output.width, out_h = config.output.height;
  WebPFreeDecBuffer(&config.output);  // frees nothing with external memory, but is the documented pairing
  if (code != VP8_STATUS_OK) return WebpError(code, "in the image data");
  // The decoder must have filled the buffer we gave it, at the size it announced.
  if (out_w != width || out_h != height) {
    return DataLoss(fmt::format("corrupt WebP data: decoded {}x{}, header said {}x{}", out_w, out_h, width, height));
  }
  for (int y = 0; y < height; ++y) sink.Row(y, pixels.data() + size_t(y) * stride);
  return Status::Ok();
}

}  // namespace sg::media
