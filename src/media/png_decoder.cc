// PNG through libpng's progressive-free sequential API, reading from the
// ByteSource. Palette and low-bit grey are expanded to 8 bits; transparency
// (tRNS and alpha channels) is dropped; 16-bit samples keep their high byte.
// Non-interlaced images stream row by row; interlaced ones need the whole
// image in memory before any row is final.
#include <csetjmp>
#include <cstring>
#include <vector>

#include <png.h>
#include <fmt/format.h>

#include "media/decoder.h"

namespace sg::media {
namespace {

struct IoState {
  ByteSource* src;
  bool io_failed;
  bool truncated;
  char message[256];
};

void ReadData(png_structp png, png_bytep out, png_size_t n) {
  auto* st = static_cast<IoState*>(png_get_io_ptr(png));
  bool failed = false;
  {
    // png_error longjmps: the Status must be destroyed before it is called.
    Status s = st->src->ReadExact(out, n);
    if (!s.ok()) {
      failed = true;
      st->truncated = s.code() == StatusCode::kDataLoss;
      st->io_failed = !st->truncated;
    }
  }
  if (failed) png_error(png, "read failed");
}

void OnError(png_structp png, png_const_charp msg) {
  auto* st = static_cast<IoState*>(png_get_error_ptr(png));
  std::snprintf(st->message, sizeof st->message, "%s", msg);
  png_longjmp(png, 1);
}

void OnWarning(png_structp, png_const_charp) {}

// This frame holds only trivially destructible state (see jpeg_decoder.cc).
Status DecodePngImpl(png_structp png, png_infop info, IoState& st, const DecodeOptions& options, RowSink& sink,
                     std::vector<uint8_t>& pixels, Status& status) {
  if (setjmp(png_jmpbuf(png))) {
    if (st.io_failed) return IoError("read failed");
    if (st.truncated) return DataLoss("truncated PNG data");
    return DataLoss(fmt::format("corrupt PNG data: {}", st.message));
  }
  png_set_read_fn(png, &st, ReadData);
  // Refuse bombs before allocating.
  png_set_user_limits(png, 1u << 24, 1u << 24);
  png_read_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
  status = CheckDimensions(width, height, options, "PNG");
  if (!status.ok()) return status;
  const int color_type = png_get_color_type(png, info);
  const int bit_depth = png_get_bit_depth(png, info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (bit_depth == 16) png_set_strip_16(png);
  if (color_type & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const int channels = png_get_channels(png, info);
  if (channels != 1 && channels != 3) return DataLoss(fmt::format("unexpected PNG channel count {}", channels));
  status = sink.Start({int(width), int(height), channels});
  if (!status.ok()) return status;
  const size_t row_bytes = png_get_rowbytes(png, info);
  if (passes == 1) {
    pixels.resize(row_bytes);
    for (png_uint_32 y = 0; y < height; ++y) {
      png_read_row(png, pixels.data(), nullptr);
      sink.Row(int(y), pixels.data());
    }
  } else {
    pixels.resize(row_bytes * height);
    for (int pass = 0; pass < passes; ++pass) {
      for (png_uint_32 y = 0; y < height; ++y) png_read_row(png, pixels.data() + y * row_bytes, nullptr);
    }
    for (png_uint_32 y = 0; y < height; ++y) sink.Row(int(y), pixels.data() + y * row_bytes);
  }
  // The image data is complete; trailing chunks (text, time) do not matter.
  return Status::Ok();
}

}  // namespace

Status DecodePng(ByteSource& src, const DecodeOptions& options, RowSink& sink) {
  IoState st{&src, false, false, {}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &st, OnError, OnWarning);
  if (!png) return Internal("libpng initialisation failed");
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return Internal("libpng initialisation failed");
  }
  std::vector<uint8_t> pixels;
  Status status;
  Status s = DecodePngImpl(png, info, st, options, sink, pixels, status);
  png_destroy_read_struct(&png, &info, nullptr);
  return s;
}

}  // namespace sg::media
