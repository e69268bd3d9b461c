// The decoder interface: every format decodes from a ByteSource into a
// RowSink, one row of 8-bit grey or RGB pixels at a time, so that no format
// needs the whole decoded image in memory unless the format itself requires
// it (interlaced PNG and GIF, WebP, HEIF).
//
// Conventions shared by all decoders (PDQ's, see hashing/pdq.h): alpha is
// dropped (the colour under it is kept, not blended), orientation metadata is
// not applied, 16-bit samples keep their high byte, greyscale stays one
// channel.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "media/byte_source.h"
#include "media/image_type.h"

namespace sg::media {

struct ImageInfo {
  int width = 0;
  int height = 0;
  int channels = 0;  // 1 (grey) or 3 (RGB)
  // Decoded at a reduced scale (JPEG with DecodeOptions::fast): each pixel
  // stands for a scale x scale block of the full_width x full_height picture.
  int scale = 1;
  int full_width = 0, full_height = 0;
};

class RowSink {
 public:
  virtual ~RowSink() = default;
  // Called once, before any row; returning an error stops decoding (e.g. an
  // image over the pixel limit).
  virtual Status Start(const ImageInfo& info) = 0;
  // Row y (0 = top), width * channels bytes. Each row is delivered once, in
  // any order (BMP is stored bottom-up).
  virtual void Row(int y, const uint8_t* pixels) = 0;
};

struct DecodeOptions {
  // JPEG only: decode at a reduced DCT scale (1/2, 1/4 or 1/8: the smallest
  // whose blocks are at most half as wide as PDQ's box filter, which is
  // 1/128 of the shorter side) and estimate PDQ from that (PdqScaledStream).
  // On the conformance JPEGs of quality >= 80: at most 4 bits from the
  // exact hash (see README).
  bool fast = false;
  // Images with more pixels are refused (a decompression-bomb guard).
  int64_t max_pixels = int64_t(1) << 28;
  // Formats decoded from memory (WebP, HEIF) refuse larger files.
  size_t max_file_bytes = size_t(1) << 30;
};

// Decodes an image of the given (sniffed) type. Errors say what is wrong
// with the data ("truncated JPEG data", "unsupported BMP compression 1").
Status DecodeImage(ImageType type, ByteSource& src, const DecodeOptions& options, RowSink& sink);

// The individual decoders.
Status DecodeJpeg(ByteSource& src, const DecodeOptions& options, RowSink& sink);
Status DecodePng(ByteSource& src, const DecodeOptions& options, RowSink& sink);
Status DecodeGif(ByteSource& src, const DecodeOptions& options, RowSink& sink);
Status DecodeBmp(ByteSource& src, const DecodeOptions& options, RowSink& sink);
Status DecodeWebp(ByteSource& src, const DecodeOptions& options, RowSink& sink);
Status DecodeHeif(ByteSource& src, const DecodeOptions& options, RowSink& sink);

// Shared check of dimensions against the options' limits.
Status CheckDimensions(int64_t width, int64_t height, const DecodeOptions& options, const char* format);

}  // namespace sg::media
