// BMP through a hand-written streaming parser: no Debian library decodes BMP
// on its own, and the format is simple enough to validate field by field.
//
// Handles BITMAPFILEHEADER + DIB headers of 12 (OS/2 core), 40, 52, 56, 64
// (OS/2 2.x), 108 and 124 bytes; uncompressed 1/2/4/8-bit palette, 16, 24
// and 32 bits, and BI_BITFIELDS / BI_ALPHABITFIELDS masks. RLE, JPEG and PNG
// payloads are refused as Unsupported. Output is always RGB; alpha is
// dropped, palette indices beyond the palette are black. Rows stream one at a
// time (bottom-up files deliver y = height-1 first).
#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "media/decoder.h"

namespace sg::media {
namespace {

constexpr size_t kFileHeaderSize = 14;

uint16_t U16(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }
uint32_t U32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24; }

// Reads exactly n bytes; end of data becomes "truncated BMP data (<where>)",
// other failures (I/O) pass through.
Status Read(ByteSource& src, uint8_t* out, size_t n, std::string_view where) {
  Status s = src.ReadExact(out, n);
  if (s.code() == StatusCode::kDataLoss) return DataLoss(fmt::format("truncated BMP data ({})", where));
  return s;
}

Status SkipBytes(ByteSource& src, size_t n, std::string_view where) {
  Status s = src.Skip(n);
  if (s.code() == StatusCode::kDataLoss) return DataLoss(fmt::format("truncated BMP data ({})", where));
  return s;
}

std::string CompressionName(uint32_t compression, bool os2) {
  switch (compression) {
    case 1: return "1 (RLE8)";
    case 2: return "2 (RLE4)";
    case 3: return os2 ? "3 (OS/2 Huffman 1D)" : "3 (BITFIELDS)";
    case 4: return os2 ? "4 (OS/2 RLE24)" : "4 (JPEG)";
    case 5: return "5 (PNG)";
    case 11: return "11 (CMYK)";
    case 12: return "12 (CMYK RLE8)";
    case 13: return "13 (CMYK RLE4)";
    default: return std::to_string(compression);
  }
}

// One colour channel of a 16- or 32-bit pixel: a contiguous bit mask, scaled
// to 8 bits with rounding (a 5-bit 31 becomes 255).
struct Channel {
  uint32_t mask = 0;
  int shift = 0;
  uint64_t max = 0;  // largest value after masking and shifting; 0 = absent

  uint8_t Scale(uint32_t pixel) const {
    if (max == 0) return 0;
    const uint64_t v = (pixel & mask) >> shift;
    return uint8_t((v * 255 + max / 2) / max);
  }
};

Result<Channel> MakeChannel(uint32_t mask) {
  Channel c;
  if (mask == 0) return c;
  c.mask = mask;
  c.shift = std::countr_zero(mask);
  const int bits = std::popcount(mask);
  c.max = (uint64_t(1) << bits) - 1;
  if ((uint64_t(mask) >> c.shift) != c.max) {
    return DataLoss(fmt::format("corrupt BMP data: colour mask {:#010x} is not contiguous", mask));
  }
  return c;
}

struct Header {
  int64_t width = 0, height = 0;
  bool top_down = false;
  int bpp = 0;
  uint32_t compression = 0;
  uint32_t colors_used = 0;
  size_t palette_entry = 4;  // bytes per palette entry: 3 for the OS/2 core header
  std::array<uint32_t, 3> masks{};  // R, G, B
  uint32_t pixel_offset = 0;
  size_t bytes_read = 0;  // file header + DIB header + separate masks
};

Status ReadHeaders(ByteSource& src, Header& h) {
  uint8_t file_header[kFileHeaderSize];
  SG_RETURN_IF_ERROR(Read(src, file_header, sizeof file_header, "in the file header"));
  if (file_header[0] != 'B' || file_header[1] != 'M') return DataLoss("not a BMP file (no \"BM\" signature)");
  h.pixel_offset = U32(file_header + 10);

  uint8_t dib[124] = {};
  SG_RETURN_IF_ERROR(Read(src, dib, 4, "in the DIB header"));
  const uint32_t dib_size = U32(dib);
  if (dib_size != 12 && dib_size != 40 && dib_size != 52 && dib_size != 56 && dib_size != 64 && dib_size != 108 &&
      dib_size != 124) {
    return Unsupported(fmt::format("unsupported BMP header size {}", dib_size));
  }
  SG_RETURN_IF_ERROR(Read(src, dib + 4, dib_size - 4, "in the DIB header"));
  h.bytes_read = kFileHeaderSize + dib_size;
  const bool os2 = dib_size == 64;
  if (dib_size == 12) {
    h.width = U16(dib + 4);
    h.height = U16(dib + 6);
    h.bpp = U16(dib + 10);
    h.palette_entry = 3;
  } else {
    h.width = int32_t(U32(dib + 4));
    const int32_t height = int32_t(U32(dib + 8));
    h.top_down = height < 0;
    h.height = h.top_down ? -int64_t(height) : height;  // int64: -INT32_MIN does not overflow
    if (h.height > INT32_MAX) return DataLoss("corrupt BMP data: height out of range");
    h.bpp = U16(dib + 14);
    h.compression = U32(dib + 16);
    h.colors_used = U32(dib + 32);
  }

  const bool bitfields = !os2 && (h.compression == 3 || h.compression == 6);
  if (h.compression != 0 && !bitfields) {
    return Unsupported(fmt::format("unsupported BMP compression {}", CompressionName(h.compression, os2)));
  }
  if (h.bpp != 1 && h.bpp != 2 && h.bpp != 4 && h.bpp != 8 && h.bpp != 16 && h.bpp != 24 && h.bpp != 32) {
    return Unsupported(fmt::format("unsupported BMP bit depth {}", h.bpp));
  }
  if (bitfields && h.bpp != 16 && h.bpp != 32) {
    return Unsupported(fmt::format("unsupported BMP bit fields with {} bits per pixel", h.bpp));
  }
  if (bitfields) {
    if (dib_size == 40) {
      // BITMAPINFOHEADER keeps its masks right after the header (4 with alpha).
      uint8_t extra[16];
      const size_t n = h.compression == 6 ? 16 : 12;
      SG_RETURN_IF_ERROR(Read(src, extra, n, "in the colour masks"));
      h.bytes_read += n;
      for (int i = 0; i < 3; ++i) h.masks[i] = U32(extra + 4 * i);
    } else {
      for (int i = 0; i < 3; ++i) h.masks[i] = U32(dib + 40 + 4 * i);
    }
  } else if (h.bpp == 16) {
    h.masks = {0x7C00, 0x03E0, 0x001F};  // 5-5-5
  } else if (h.bpp == 32) {
    h.masks = {0xFF0000, 0x00FF00, 0x0000FF};  // BGRX
  }
  return Status::Ok();
}

// Converts one stored row to RGB.
void ConvertRow(const Header& h, const uint8_t* in, const std::array<uint8_t, 256 * 3>& palette,
                const std::array<Channel, 3>& channels, uint8_t* out) {
  const int64_t w = h.width;
  if (h.bpp <= 8) {
    const unsigned mask = (1u << h.bpp) - 1;
    for (int64_t x = 0; x < w; ++x) {
      const uint64_t bit = uint64_t(x) * h.bpp;
      const unsigned index = (in[bit / 8] >> (8 - h.bpp - bit % 8)) & mask;
      std::memcpy(out + 3 * x, palette.data() + 3 * index, 3);
    }
  } else if (h.bpp == 24) {
    for (int64_t x = 0; x < w; ++x) {
      out[3 * x] = in[3 * x + 2];
      out[3 * x + 1] = in[3 * x + 1];
      out[3 * x + 2] = in[3 * x];
    }
  } else {
    const int bytes = h.bpp / 8;
    for (int64_t x = 0; x < w; ++x) {
      const uint32_t px = bytes == 2 ? U16(in + 2 * x) : U32(in + 4 * x);
      for (int c = 0; c < 3; ++c) out[3 * x + c] = channels[c].Scale(px);
    }
  }
}

}  // namespace

Status DecodeBmp(ByteSource& src, const DecodeOptions& options, RowSink& sink) {
  Header h;
  SG_RETURN_IF_ERROR(ReadHeaders(src, h));
  SG_RETURN_IF_ERROR(CheckDimensions(h.width, h.height, options, "BMP"));

  // The palette; entries it does not define stay black.
  std::array<uint8_t, 256 * 3> palette{};
  size_t consumed = h.bytes_read;
  if (h.bpp <= 8) {
    const uint32_t max_entries = 1u << h.bpp;
    const uint32_t entries = h.colors_used == 0 ? max_entries : std::min(h.colors_used, max_entries);
    std::vector<uint8_t> raw(entries * h.palette_entry);
    SG_RETURN_IF_ERROR(Read(src, raw.data(), raw.size(), "in the palette"));
    consumed += raw.size();
    for (uint32_t i = 0; i < entries; ++i) {
      const uint8_t* e = raw.data() + i * h.palette_entry;  // B, G, R(, reserved)
      palette[3 * i] = e[2];
      palette[3 * i + 1] = e[1];
      palette[3 * i + 2] = e[0];
    }
  }
  std::array<Channel, 3> channels;
  for (int c = 0; c < 3; ++c) {
    SG_ASSIGN_OR_RETURN(channels[c], MakeChannel(h.masks[c]));
  }

  if (h.pixel_offset < consumed) {
    return DataLoss(fmt::format("corrupt BMP data: pixel data offset {} is inside the headers (which end at {})",
                                h.pixel_offset, consumed));
  }
  SG_RETURN_IF_ERROR(SkipBytes(src, h.pixel_offset - consumed, "before the pixel data"));

  // Width and bpp are bounded (31 bits, 32), so these cannot overflow 64 bits.
  const uint64_t row_bits = uint64_t(h.width) * h.bpp;
  const size_t used = (row_bits + 7) / 8;
  const size_t stride = (row_bits + 31) / 32 * 4;
  const int width = int(h.width), height = int(h.height);
  SG_RETURN_IF_ERROR(sink.Start({width, height, 3}));
  std::vector<uint8_t> row(used), rgb(size_t(width) * 3);
  for (int i = 0; i < height; ++i) {
    Status s = src.ReadExact(row.data(), used);
    // The last row's padding is not needed; some writers leave it out.
    if (s.ok() && i + 1 < height) s = src.Skip(stride - used);
    if (s.code() == StatusCode::kDataLoss) {
      return DataLoss(fmt::format("truncated BMP data (at row {} of {})", i, height));
    }
    if (!s.ok()) return s;
    ConvertRow(h, row.data(), palette, channels, rgb.data());
    sink.Row(h.top_down ? i : height - 1 - i, rgb.data());
  }
  return Status::Ok();
}

}  // namespace sg::media
