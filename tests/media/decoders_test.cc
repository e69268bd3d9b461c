// Tests of the GIF, BMP, WebP and HEIF decoders: known pixels from images
// built here (BMP bytes by hand, GIF through giflib's encoder, WebP through
// libwebp's; HEIF from a committed 64x48 gradient fixture), and errors as
// Status values for truncated, garbled, mutated and oversized input.
//
// SG_TEST_DATA_DIR names the tests/data directory (defined by the build).
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <gif_lib.h>
#include <gtest/gtest.h>
#include <webp/encode.h>
#include <webp/types.h>

#include "media/byte_source.h"
#include "media/decoder.h"

#ifndef SG_TEST_DATA_DIR
#error "SG_TEST_DATA_DIR must name the tests/data directory"
#endif

namespace sg::media {
namespace {

using Bytes = std::vector<uint8_t>;
using DecodeFn = Status (*)(ByteSource&, const DecodeOptions&, RowSink&);
using Rgb = std::array<int, 3>;

// Records every row and checks the RowSink contract as it goes.
class RecordingSink : public RowSink {
 public:
  Status Start(const ImageInfo& info) override {
    ++starts_;
    info_ = info;
    rows_.assign(size_t(std::max(info.height, 0)), {});
    counts_.assign(rows_.size(), 0);
    return Status::Ok();
  }
  void Row(int y, const uint8_t* pixels) override {
    ASSERT_EQ(starts_, 1) << "Row before Start";
    ASSERT_GE(y, 0);
    ASSERT_LT(y, info_.height);
    ++counts_[y];
    rows_[y].assign(pixels, pixels + size_t(info_.width) * info_.channels);
  }

  int starts() const { return starts_; }
  const ImageInfo& info() const { return info_; }
  bool EveryRowOnce() const {
    for (int c : counts_) {
      if (c != 1) return false;
    }
    return starts_ == 1;
  }
  // {-1, -1, -1} for a pixel never delivered.
  Rgb At(int x, int y) const {
    const Bytes& row = rows_.at(y);
    if (row.size() < size_t(3 * x + 3)) return {-1, -1, -1};
    return {row[3 * x], row[3 * x + 1], row[3 * x + 2]};
  }

 private:
  int starts_ = 0;
  ImageInfo info_;
  std::vector<Bytes> rows_;
  std::vector<int> counts_;
};

Status Decode(DecodeFn fn, std::span<const uint8_t> bytes, RecordingSink& sink, const DecodeOptions& options = {}) {
  ByteSource src = ByteSource::FromMemory(bytes);
  return fn(src, options, sink);
}

// Decodes and asserts success, a full RGB image and every row exactly once.
RecordingSink DecodeOk(DecodeFn fn, const Bytes& bytes, int width, int height) {
  RecordingSink sink;
  Status s = Decode(fn, bytes, sink);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sink.info().width, width);
  EXPECT_EQ(sink.info().height, height);
  EXPECT_EQ(sink.info().channels, 3);
  EXPECT_TRUE(sink.EveryRowOnce());
  return sink;
}

void ExpectPixels(const RecordingSink& sink, const std::function<Rgb(int, int)>& expected) {
  for (int y = 0; y < sink.info().height; ++y) {
    for (int x = 0; x < sink.info().width; ++x) {
      ASSERT_EQ(sink.At(x, y), expected(x, y)) << "at (" << x << ", " << y << ")";
    }
  }
}

// Every prefix shorter than size - tolerated_tail must fail with `code`.
void ExpectTruncationsFail(DecodeFn fn, const Bytes& file, size_t tolerated_tail, StatusCode code) {
  for (size_t cut = 0; cut + tolerated_tail < file.size(); ++cut) {
    RecordingSink sink;
    Status s = Decode(fn, std::span(file.data(), cut), sink);
    EXPECT_FALSE(s.ok()) << "prefix of " << cut << " of " << file.size() << " bytes decoded";
    EXPECT_EQ(s.code(), code) << "prefix of " << cut << ": " << s.ToString();
  }
}

// Random byte changes and cuts: any Status is fine, a crash is not (ASan
// builds check memory), and a success must still honour the sink contract.
void ExpectMutationsSafe(DecodeFn fn, const Bytes& file, uint32_t seed, int rounds) {
  std::mt19937 rng(seed);
  for (int round = 0; round < rounds; ++round) {
    Bytes m = file;
    const int edits = 1 + int(rng() % 4);
    for (int i = 0; i < edits; ++i) m[rng() % m.size()] = uint8_t(rng());
    if (rng() % 4 == 0) m.resize(rng() % m.size());
    RecordingSink sink;
    DecodeOptions options;
    options.max_pixels = 1 << 20;  // mutated headers may ask for huge images
    Status s = Decode(fn, m, sink, options);
    if (s.ok()) {
      EXPECT_TRUE(sink.EveryRowOnce()) << "round " << round;
    }
  }
}

// A signature followed by random bytes must be refused.
void ExpectGarbageFails(DecodeFn fn, const Bytes& prefix) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    Bytes file = prefix;
    for (int i = 0; i < 512; ++i) file.push_back(uint8_t(rng()));
    RecordingSink sink;
    Status s = Decode(fn, file, sink);
    EXPECT_FALSE(s.ok()) << "seed " << seed;
    EXPECT_FALSE(s.message().empty());
  }
}

void Put16(Bytes& b, uint32_t v) {
  b.push_back(uint8_t(v));
  b.push_back(uint8_t(v >> 8));
}
void Put32(Bytes& b, uint32_t v) {
  Put16(b, v & 0xFFFF);
  Put16(b, v >> 16);
}
void Put24(Bytes& b, uint32_t v) {
  Put16(b, v & 0xFFFF);
  b.push_back(uint8_t(v >> 16));
}
void PutTag(Bytes& b, const char* tag) { b.insert(b.end(), tag, tag + 4); }

// ---------------------------------------------------------------- BMP

struct BmpSpec {
  uint32_t dib_size = 40;  // 12, 40, 108 or 124
  int width = 0, height = 0;  // height < 0: top-down
  int bpp = 24;
  uint32_t compression = 0;
  std::vector<Rgb> palette{};  // written as B, G, R(, 0)
  uint32_t colors_used = 0;
  std::array<uint32_t, 4> masks{};  // R, G, B, A: in the header (>= 52) or after it (40)
  int gap = 0;  // junk bytes between the palette and the pixels (the offset skips them)
  int64_t offset_delta = 0;  // added to the correct pixel-data offset
  // The stored value of pixel (x, y): a palette index, a packed 16/32-bit
  // pixel, or 0xRRGGBB for 24 bits.
  std::function<uint32_t(int, int)> pixel{};
};

Bytes MakeBmp(const BmpSpec& s) {
  Bytes dib;
  Put32(dib, s.dib_size);
  if (s.dib_size == 12) {
    Put16(dib, s.width);
    Put16(dib, s.height);
    Put16(dib, 1);
    Put16(dib, s.bpp);
  } else {
    Put32(dib, s.width);
    Put32(dib, uint32_t(s.height));
    Put16(dib, 1);
    Put16(dib, s.bpp);
    Put32(dib, s.compression);
    Put32(dib, 0);  // image size
    Put32(dib, 2835);
    Put32(dib, 2835);
    Put32(dib, s.colors_used);
    Put32(dib, 0);  // important colours
    const bool masks_after = s.dib_size == 40 && (s.compression == 3 || s.compression == 6);
    if (s.dib_size >= 52 || masks_after) {
      const int n = s.dib_size >= 56 || s.compression == 6 ? 4 : 3;
      for (int i = 0; i < n; ++i) Put32(dib, s.masks[i]);
    }
    dib.resize(std::max<size_t>(dib.size(), s.dib_size), 0);  // V4/V5 colour space fields
  }
  for (const Rgb& c : s.palette) {
    dib.push_back(uint8_t(c[2]));
    dib.push_back(uint8_t(c[1]));
    dib.push_back(uint8_t(c[0]));
    if (s.dib_size != 12) dib.push_back(0);
  }
  dib.insert(dib.end(), size_t(s.gap), 0xEE);

  const int h = std::abs(s.height);
  const size_t stride = (size_t(s.width) * s.bpp + 31) / 32 * 4;
  Bytes pixels;
  for (int i = 0; i < h; ++i) {
    const int y = s.height < 0 ? i : h - 1 - i;
    Bytes row(stride, 0);
    for (int x = 0; x < s.width; ++x) {
      const uint32_t v = s.pixel(x, y);
      switch (s.bpp) {
        case 1:
        case 2:
        case 4:
        case 8: {
          const size_t bit = size_t(x) * s.bpp;
          row[bit / 8] |= uint8_t(v << (8 - s.bpp - bit % 8));
          break;
        }
        case 16: row[2 * x] = uint8_t(v), row[2 * x + 1] = uint8_t(v >> 8); break;
        case 24: row[3 * x] = uint8_t(v), row[3 * x + 1] = uint8_t(v >> 8), row[3 * x + 2] = uint8_t(v >> 16); break;
        case 32:
          for (int k = 0; k < 4; ++k) row[4 * x + k] = uint8_t(v >> (8 * k));
          break;
      }
    }
    pixels.insert(pixels.end(), row.begin(), row.end());
  }

  Bytes file = {'B', 'M'};
  Put32(file, uint32_t(14 + dib.size() + pixels.size()));
  Put32(file, 0);
  Put32(file, uint32_t(int64_t(14 + dib.size()) + s.offset_delta));
  file.insert(file.end(), dib.begin(), dib.end());
  file.insert(file.end(), pixels.begin(), pixels.end());
  return file;
}

uint8_t Scale(uint32_t v, uint32_t max) { return uint8_t((uint64_t(v) * 255 + max / 2) / max); }

TEST(BmpDecoder, OneBitCheckerboardBottomUp) {
  const std::vector<Rgb> pal = {Rgb{10, 20, 30}, Rgb{200, 150, 100}};
  BmpSpec s{.width = 10, .height = 3, .bpp = 1, .palette = pal, .pixel = [](int x, int y) { return (x + y) & 1u; }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 10, 3);
  ExpectPixels(sink, [&](int x, int y) { return pal[(x + y) & 1]; });
}

TEST(BmpDecoder, TwoBitPalette) {
  const std::vector<Rgb> pal = {Rgb{0, 0, 0}, Rgb{85, 0, 0}, Rgb{0, 170, 0}, Rgb{0, 0, 255}};
  BmpSpec s{.width = 5, .height = 2, .bpp = 2, .palette = pal,
            .pixel = [](int x, int y) { return uint32_t(x + y) % 4; }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 5, 2);
  ExpectPixels(sink, [&](int x, int y) { return pal[(x + y) % 4]; });
}

TEST(BmpDecoder, FourBitGradient) {
  std::vector<Rgb> pal;
  for (int i = 0; i < 16; ++i) pal.push_back({i * 16, 255 - i * 16, i * 3});
  BmpSpec s{.width = 5, .height = 4, .bpp = 4, .palette = pal,
            .pixel = [](int x, int y) { return uint32_t(x + 5 * y) % 16; }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 5, 4);
  ExpectPixels(sink, [&](int x, int y) { return pal[(x + 5 * y) % 16]; });
}

TEST(BmpDecoder, EightBitTopDown) {
  std::vector<Rgb> pal;
  for (int i = 0; i < 256; ++i) pal.push_back({i, 255 - i, i / 2});
  BmpSpec s{.width = 7, .height = -3, .bpp = 8, .palette = pal,
            .pixel = [](int x, int y) { return uint32_t(x * 30 + y); }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 7, 3);
  ExpectPixels(sink, [&](int x, int y) { return pal[x * 30 + y]; });
}

TEST(BmpDecoder, IndexBeyondShortPaletteIsBlack) {
  const std::vector<Rgb> pal = {Rgb{1, 2, 3}, Rgb{4, 5, 6}, Rgb{7, 8, 9}, Rgb{10, 11, 12}};
  BmpSpec s{.width = 8, .height = 2, .bpp = 8, .palette = pal, .colors_used = 4,
            .pixel = [](int x, int) { return uint32_t(x); }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 8, 2);
  ExpectPixels(sink, [&](int x, int) { return x < 4 ? pal[x] : Rgb{0, 0, 0}; });
}

TEST(BmpDecoder, Os2CoreHeaderWithThreeBytePalette) {
  std::vector<Rgb> pal;
  for (int i = 0; i < 256; ++i) pal.push_back({255 - i, i, 77});
  BmpSpec s{.dib_size = 12, .width = 4, .height = 2, .bpp = 8, .palette = pal,
            .pixel = [](int x, int y) { return uint32_t(x * 50 + y * 7); }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 4, 2);
  ExpectPixels(sink, [&](int x, int y) { return pal[x * 50 + y * 7]; });
}

TEST(BmpDecoder, SixteenBitDefault555) {
  auto r5 = [](int x, int) { return (x * 6) % 32; };
  auto g5 = [](int, int y) { return y * 15; };
  auto b5 = [](int x, int) { return 31 - x * 5; };
  BmpSpec s{.width = 6, .height = 3, .bpp = 16,
            .pixel = [&](int x, int y) { return uint32_t(r5(x, y) << 10 | g5(x, y) << 5 | b5(x, y)); }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 6, 3);
  ExpectPixels(sink, [&](int x, int y) {
    return Rgb{Scale(r5(x, y), 31), Scale(g5(x, y), 31), Scale(b5(x, y), 31)};
  });
}

TEST(BmpDecoder, SixteenBitBitfields565) {
  BmpSpec s{.width = 5, .height = -2, .bpp = 16, .compression = 3, .masks = {0xF800, 0x07E0, 0x001F, 0},
            .pixel = [](int x, int y) { return uint32_t((x * 7) << 11 | (y * 63) << 5 | (31 - x)); }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 5, 2);
  ExpectPixels(sink, [&](int x, int y) { return Rgb{Scale(x * 7, 31), Scale(y * 63, 63), Scale(31 - x, 31)}; });
}

uint32_t Rgb24(int x, int y) { return uint32_t((x * 40) << 16 | (y * 60) << 8 | (255 - x * 20)); }
Rgb Expect24(int x, int y) { return {x * 40, y * 60, 255 - x * 20}; }

TEST(BmpDecoder, TwentyFourBitBottomUpWithPadding) {
  BmpSpec s{.width = 3, .height = 4, .bpp = 24, .pixel = Rgb24};  // 9 bytes a row, stride 12
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 3, 4);
  ExpectPixels(sink, Expect24);
}

TEST(BmpDecoder, TwentyFourBitTopDown) {
  BmpSpec s{.width = 5, .height = -4, .bpp = 24, .pixel = Rgb24};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 5, 4);
  ExpectPixels(sink, Expect24);
}

TEST(BmpDecoder, PixelOffsetPastTheHeadersIsSkipped) {
  BmpSpec s{.width = 3, .height = 2, .bpp = 24, .gap = 7, .pixel = Rgb24};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 3, 2);
  ExpectPixels(sink, Expect24);
}

TEST(BmpDecoder, ThirtyTwoBitBgrxIgnoresTheFourthByte) {
  BmpSpec s{.width = 4, .height = 3, .bpp = 32,
            .pixel = [](int x, int y) { return Rgb24(x, y) | uint32_t(x * 60 + 3) << 24; }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 4, 3);
  ExpectPixels(sink, Expect24);
}

TEST(BmpDecoder, ThirtyTwoBitV5BitfieldsRgbaDropsAlpha) {
  // Bytes R, G, B, A in memory order; alpha varies and must not blend.
  BmpSpec s{.dib_size = 124, .width = 4, .height = 2, .bpp = 32, .compression = 3,
            .masks = {0x000000FF, 0x0000FF00, 0x00FF0000, 0xFF000000},
            .pixel = [](int x, int y) {
              return uint32_t(x * 40 | (y * 60) << 8 | (255 - x * 20) << 16 | (x * 80) << 24);
            }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 4, 2);
  ExpectPixels(sink, Expect24);
}

TEST(BmpDecoder, ThirtyTwoBitAlphaBitfields1010102) {
  BmpSpec s{.width = 3, .height = 2, .bpp = 32, .compression = 6,
            .masks = {0x3FF00000, 0x000FFC00, 0x000003FF, 0xC0000000},
            .pixel = [](int x, int y) {
              return uint32_t(3u << 30 | (x * 500) << 20 | (y * 1023) << 10 | (1023 - x * 300));
            }};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 3, 2);
  ExpectPixels(sink, [](int x, int y) {
    return Rgb{Scale(x * 500, 1023), Scale(y * 1023, 1023), Scale(1023 - x * 300, 1023)};
  });
}

TEST(BmpDecoder, V4HeaderWithoutBitfieldsUsesDefaultMasks) {
  BmpSpec s{.dib_size = 108, .width = 2, .height = 2, .bpp = 32,
            .masks = {0xFF, 0xFF00, 0xFF0000, 0},  // present but unused without BI_BITFIELDS
            .pixel = Rgb24};
  auto sink = DecodeOk(DecodeBmp, MakeBmp(s), 2, 2);
  ExpectPixels(sink, Expect24);
}

TEST(BmpDecoder, CompressedVariantsAreUnsupportedAndNamed) {
  const std::vector<std::pair<uint32_t, std::string>> cases = {{1, "RLE8"}, {2, "RLE4"}, {4, "JPEG"}, {5, "PNG"}};
  for (const auto& [compression, name] : cases) {
    BmpSpec s{.width = 2, .height = 2, .bpp = compression == 2 ? 4 : 8, .compression = compression,
              .palette = std::vector<Rgb>(16), .colors_used = 16, .pixel = [](int, int) { return 0u; }};
    RecordingSink sink;
    Status st = Decode(DecodeBmp, MakeBmp(s), sink);
    EXPECT_EQ(st.code(), StatusCode::kUnsupported) << name;
    EXPECT_NE(st.message().find(name), std::string::npos) << st.ToString();
    EXPECT_EQ(sink.starts(), 0);
  }
}

TEST(BmpDecoder, BadHeaderFieldsAreErrors) {
  auto base = [] { return BmpSpec{.width = 2, .height = 2, .bpp = 24, .pixel = Rgb24}; };
  auto decode = [](const BmpSpec& s) {
    RecordingSink sink;
    return Decode(DecodeBmp, MakeBmp(s), sink);
  };
  BmpSpec s = base();
  s.offset_delta = -10;  // pixel data "inside" the DIB header
  EXPECT_EQ(decode(s).code(), StatusCode::kDataLoss);
  s = base();
  s.bpp = 7;
  EXPECT_EQ(decode(s).code(), StatusCode::kUnsupported);
  s = base();
  s.bpp = 16;
  s.compression = 3;
  s.masks = {0xF00F, 0x0FF0, 0, 0};  // not contiguous
  EXPECT_EQ(decode(s).code(), StatusCode::kDataLoss);
  s = base();
  s.compression = 3;  // bit fields need 16 or 32 bits
  EXPECT_EQ(decode(s).code(), StatusCode::kUnsupported);

  Bytes file = MakeBmp(base());
  file[14] = 16;  // an OS/2 2.x short header size we do not read
  RecordingSink sink;
  EXPECT_EQ(Decode(DecodeBmp, file, sink).code(), StatusCode::kUnsupported);
  file = MakeBmp(base());
  file[0] = 'X';
  EXPECT_EQ(Decode(DecodeBmp, file, sink).code(), StatusCode::kDataLoss);
  for (uint32_t width : {0u, uint32_t(-5)}) {  // no pixels
    file = MakeBmp(base());
    std::memcpy(file.data() + 18, &width, 4);
    EXPECT_EQ(Decode(DecodeBmp, file, sink).code(), StatusCode::kDataLoss);
  }
  EXPECT_EQ(sink.starts(), 0);
}

TEST(BmpDecoder, TruncationsFail) {
  // 4 pixels * 3 bytes = 12: no row padding, so every byte is needed.
  BmpSpec s{.width = 4, .height = 3, .bpp = 24, .pixel = Rgb24};
  ExpectTruncationsFail(DecodeBmp, MakeBmp(s), 0, StatusCode::kDataLoss);
  std::vector<Rgb> pal(256);
  BmpSpec p{.width = 8, .height = 2, .bpp = 8, .palette = pal, .pixel = [](int x, int) { return uint32_t(x); }};
  ExpectTruncationsFail(DecodeBmp, MakeBmp(p), 0, StatusCode::kDataLoss);
  const Bytes file = MakeBmp(s);
  RecordingSink sink;
  Status st = Decode(DecodeBmp, std::span(file).first(60), sink);
  EXPECT_NE(st.message().find("truncated BMP data"), std::string::npos) << st.ToString();
}

TEST(BmpDecoder, MissingPaddingAfterTheLastRowIsTolerated) {
  BmpSpec s{.width = 3, .height = 2, .bpp = 24, .pixel = Rgb24};
  Bytes file = MakeBmp(s);
  file.resize(file.size() - 3);
  auto sink = DecodeOk(DecodeBmp, file, 3, 2);
  ExpectPixels(sink, Expect24);
}

TEST(BmpDecoder, GarbageAfterTheSignatureFails) {
  Bytes prefix = {'B', 'M'};
  for (int i = 0; i < 12; ++i) prefix.push_back(uint8_t(i * 37));
  Put32(prefix, 40);
  ExpectGarbageFails(DecodeBmp, prefix);
}

TEST(BmpDecoder, OversizeIsRefusedBeforeStart) {
  BmpSpec s{.width = 4, .height = 4, .bpp = 24, .pixel = Rgb24};
  RecordingSink sink;
  DecodeOptions small;
  small.max_pixels = 15;
  EXPECT_EQ(Decode(DecodeBmp, MakeBmp(s), sink, small).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(sink.starts(), 0);

  // A header claiming 100000 x -100000 with no pixel data behind it.
  Bytes file = MakeBmp(s);
  const uint32_t w = 100000, h = uint32_t(-100000);
  std::memcpy(file.data() + 18, &w, 4);
  std::memcpy(file.data() + 22, &h, 4);
  Status st = Decode(DecodeBmp, file, sink);
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted) << st.ToString();
  EXPECT_EQ(sink.starts(), 0);
  const uint32_t most_negative = 0x80000000u;  // INT32_MIN rows, top-down
  std::memcpy(file.data() + 22, &most_negative, 4);
  EXPECT_FALSE(Decode(DecodeBmp, file, sink).ok());
  EXPECT_EQ(sink.starts(), 0);
}

TEST(BmpDecoder, MutationsAreSafe) {
  std::vector<Rgb> pal(16, Rgb{9, 9, 9});
  ExpectMutationsSafe(DecodeBmp, MakeBmp({.width = 5, .height = 3, .bpp = 4, .palette = pal,
                                          .pixel = [](int x, int) { return uint32_t(x); }}), 11, 1500);
  ExpectMutationsSafe(DecodeBmp, MakeBmp({.dib_size = 124, .width = 3, .height = -2, .bpp = 32, .compression = 3,
                                          .masks = {0xFF, 0xFF00, 0xFF0000, 0}, .pixel = Rgb24}), 12, 1500);
}

// ---------------------------------------------------------------- GIF

struct GifFrame {
  int left = 0, top = 0, width = 0, height = 0;
  bool interlace = false;
  int transparent = -1;
  std::vector<GifColorType> local_map{};  // empty: use the global map
  std::function<uint8_t(int, int)> index{};  // frame-relative (x, y)
};

struct GifSpec {
  int screen_w = 0, screen_h = 0;
  int background = 0;
  std::vector<GifColorType> global_map{};  // power-of-two size, or empty
  std::vector<GifFrame> frames{};
};

int WriteToBytes(GifFileType* gif, const GifByteType* data, int len) {
  auto* out = static_cast<Bytes*>(gif->UserData);
  out->insert(out->end(), data, data + len);
  return len;
}

ColorMapObject* MakeMap(const std::vector<GifColorType>& colors) {
  return colors.empty() ? nullptr : GifMakeMapObject(int(colors.size()), colors.data());
}

Bytes MakeGif(const GifSpec& spec) {
  Bytes out;
  int error = 0;
  GifFileType* gif = EGifOpen(&out, WriteToBytes, &error);
  EXPECT_NE(gif, nullptr);
  if (!gif) return out;
  EGifSetGifVersion(gif, true);
  ColorMapObject* global = MakeMap(spec.global_map);
  EXPECT_EQ(EGifPutScreenDesc(gif, spec.screen_w, spec.screen_h, 8, spec.background, global), GIF_OK);
  GifFreeMapObject(global);
  for (const GifFrame& f : spec.frames) {
    if (f.transparent >= 0) {
      GraphicsControlBlock gcb{};
      gcb.DisposalMode = DISPOSAL_UNSPECIFIED;
      gcb.TransparentColor = f.transparent;
      GifByteType ext[4];
      const size_t n = EGifGCBToExtension(&gcb, ext);
      EXPECT_EQ(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, int(n), ext), GIF_OK);
    }
    ColorMapObject* local = MakeMap(f.local_map);
    EXPECT_EQ(EGifPutImageDesc(gif, f.left, f.top, f.width, f.height, f.interlace, local), GIF_OK);
    GifFreeMapObject(local);
    std::vector<int> order;
    if (f.interlace) {
      for (auto [start, step] : {std::pair{0, 8}, std::pair{4, 8}, std::pair{2, 4}, std::pair{1, 2}}) {
        for (int y = start; y < f.height; y += step) order.push_back(y);
      }
    } else {
      for (int y = 0; y < f.height; ++y) order.push_back(y);
    }
    std::vector<GifPixelType> line(size_t(f.width));
    for (int y : order) {
      for (int x = 0; x < f.width; ++x) line[x] = f.index(x, y);
      EXPECT_EQ(EGifPutLine(gif, line.data(), f.width), GIF_OK);
    }
  }
  EXPECT_EQ(EGifCloseFile(gif, &error), GIF_OK);
  return out;
}

std::vector<GifColorType> GreyRamp(int n) {
  std::vector<GifColorType> map;
  for (int i = 0; i < n; ++i) {
    map.push_back({uint8_t(i * 255 / (n - 1)), uint8_t(255 - i * 255 / (n - 1)), uint8_t(i * 7)});
  }
  return map;
}

Rgb ToRgb(const GifColorType& c) { return {c.Red, c.Green, c.Blue}; }

TEST(GifDecoder, GradientFrame) {
  const auto map = GreyRamp(16);
  auto index = [](int x, int y) { return uint8_t((x + 2 * y) % 16); };
  GifSpec spec{.screen_w = 8, .screen_h = 6, .global_map = map, .frames = {{.width = 8, .height = 6, .index = index}}};
  auto sink = DecodeOk(DecodeGif, MakeGif(spec), 8, 6);
  ExpectPixels(sink, [&](int x, int y) { return ToRgb(map[index(x, y)]); });
}

TEST(GifDecoder, InterlacedFrame) {
  const auto map = GreyRamp(256);
  auto index = [](int x, int y) { return uint8_t(y * 20 + x); };
  for (int height : {1, 2, 5, 11, 17}) {
    GifSpec spec{.screen_w = 5, .screen_h = height, .global_map = map,
                 .frames = {{.width = 5, .height = height, .interlace = true, .index = index}}};
    auto sink = DecodeOk(DecodeGif, MakeGif(spec), 5, height);
    ExpectPixels(sink, [&](int x, int y) { return ToRgb(map[index(x, y)]); });
  }
}

TEST(GifDecoder, OffsetFrameWithTransparencyOverBackground) {
  const auto map = GreyRamp(8);
  // A 4x3 checkerboard of indices 5 and 1 (transparent) at (3, 2) on 10x8.
  auto index = [](int x, int y) { return uint8_t((x + y) % 2 ? 1 : 5); };
  for (bool interlace : {false, true}) {
    GifSpec spec{.screen_w = 10, .screen_h = 8, .background = 2, .global_map = map,
                 .frames = {{.left = 3, .top = 2, .width = 4, .height = 3, .interlace = interlace, .transparent = 1,
                             .index = index}}};
    auto sink = DecodeOk(DecodeGif, MakeGif(spec), 10, 8);
    ExpectPixels(sink, [&](int x, int y) {
      const bool inside = x >= 3 && x < 7 && y >= 2 && y < 5;
      if (!inside || index(x - 3, y - 2) == 1) return ToRgb(map[2]);
      return ToRgb(map[5]);
    });
  }
}

TEST(GifDecoder, FrameIsClippedToTheScreen) {
  const auto map = GreyRamp(16);
  auto index = [](int x, int y) { return uint8_t(x + 4 * y); };
  GifSpec spec{.screen_w = 4, .screen_h = 4, .background = 15, .global_map = map,
               .frames = {{.left = 2, .top = 3, .width = 4, .height = 3, .index = index}}};
  auto sink = DecodeOk(DecodeGif, MakeGif(spec), 4, 4);
  ExpectPixels(sink, [&](int x, int y) {
    return x >= 2 && y >= 3 ? ToRgb(map[index(x - 2, y - 3)]) : ToRgb(map[15]);
  });
  // Entirely off screen: only background.
  spec.frames[0].left = 9;
  sink = DecodeOk(DecodeGif, MakeGif(spec), 4, 4);
  ExpectPixels(sink, [&](int, int) { return ToRgb(map[15]); });
}

TEST(GifDecoder, ScreenSmallerThanTheFrameBecomesTheFrame) {
  const auto map = GreyRamp(16);
  auto index = [](int x, int y) { return uint8_t((x * y) % 16); };
  for (auto [sw, sh] : {std::pair{0, 0}, std::pair{3, 9}, std::pair{6, 2}}) {
    GifSpec spec{.screen_w = sw, .screen_h = sh, .global_map = map,
                 .frames = {{.left = 1, .top = 1, .width = 5, .height = 4, .index = index}}};
    auto sink = DecodeOk(DecodeGif, MakeGif(spec), 5, 4);
    ExpectPixels(sink, [&](int x, int y) { return ToRgb(map[index(x, y)]); });
  }
}

TEST(GifDecoder, LocalMapAndIndicesBeyondTheMap) {
  // A 2-colour local map still allows indices 0..3 (LZW code size 2);
  // 2 and 3 are beyond the map and come out black.
  const std::vector<GifColorType> local = {{200, 10, 20}, {30, 220, 40}};
  auto index = [](int x, int) { return uint8_t(x % 4); };
  GifSpec spec{.screen_w = 8, .screen_h = 2, .global_map = GreyRamp(4),
               .frames = {{.width = 8, .height = 2, .local_map = local, .index = index}}};
  auto sink = DecodeOk(DecodeGif, MakeGif(spec), 8, 2);
  ExpectPixels(sink, [&](int x, int) { return x % 4 < 2 ? ToRgb(local[x % 4]) : Rgb{0, 0, 0}; });
  // Same without a global map: the background is black too.
  spec.global_map.clear();
  spec.background = 1;
  spec.screen_w = 10;
  sink = DecodeOk(DecodeGif, MakeGif(spec), 10, 2);
  ExpectPixels(sink, [&](int x, int) { return x < 8 && x % 4 < 2 ? ToRgb(local[x % 4]) : Rgb{0, 0, 0}; });
}

TEST(GifDecoder, OnlyTheFirstFrameOfAnAnimation) {
  const auto map = GreyRamp(4);
  GifSpec spec{.screen_w = 3, .screen_h = 3, .global_map = map,
               .frames = {{.width = 3, .height = 3, .index = [](int x, int) { return uint8_t(x); }},
                          {.width = 3, .height = 3, .transparent = 0, .index = [](int, int) { return uint8_t(3); }}}};
  auto sink = DecodeOk(DecodeGif, MakeGif(spec), 3, 3);
  ExpectPixels(sink, [&](int x, int) { return ToRgb(map[x]); });  // index 0 is opaque in frame 1
}

TEST(GifDecoder, NoImageIsAnError) {
  Bytes file = MakeGif({.screen_w = 4, .screen_h = 4, .global_map = GreyRamp(2)});
  RecordingSink sink;
  Status st = Decode(DecodeGif, file, sink);
  EXPECT_EQ(st.code(), StatusCode::kDataLoss);
  EXPECT_NE(st.message().find("no image"), std::string::npos) << st.ToString();
}

TEST(GifDecoder, TruncationsFail) {
  const auto map = GreyRamp(16);
  auto index = [](int x, int y) { return uint8_t((x * 3 + y) % 16); };
  for (bool interlace : {false, true}) {
    GifSpec spec{.screen_w = 9, .screen_h = 7, .global_map = map,
                 .frames = {{.left = 1, .top = 1, .width = 7, .height = 5, .interlace = interlace, .transparent = 3,
                             .index = index}}};
    // Only the trailer byte (';') is not needed once the frame is complete.
    ExpectTruncationsFail(DecodeGif, MakeGif(spec), 1, StatusCode::kDataLoss);
  }
}

TEST(GifDecoder, GarbageAfterTheSignatureFails) {
  ExpectGarbageFails(DecodeGif, {'G', 'I', 'F', '8', '9', 'a'});
  RecordingSink sink;
  Bytes not_gif = {'G', 'I', 'X', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
  EXPECT_EQ(Decode(DecodeGif, not_gif, sink).code(), StatusCode::kDataLoss);
}

TEST(GifDecoder, OversizeIsRefusedBeforeStart) {
  GifSpec spec{.screen_w = 8, .screen_h = 8, .global_map = GreyRamp(2),
               .frames = {{.width = 8, .height = 8, .index = [](int, int) { return uint8_t(0); }}}};
  RecordingSink sink;
  DecodeOptions small;
  small.max_pixels = 63;
  EXPECT_EQ(Decode(DecodeGif, MakeGif(spec), sink, small).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(sink.starts(), 0);
  // A 65535 x 65535 frame descriptor with no data: refused, not allocated.
  spec.screen_w = spec.screen_h = 65535;
  spec.frames[0].width = spec.frames[0].height = 1;
  Bytes file = MakeGif(spec);
  const size_t desc = 6 + 7 + 6;  // header, screen descriptor, 2-colour map
  ASSERT_EQ(file[desc], ',');
  file[desc + 5] = file[desc + 6] = file[desc + 7] = file[desc + 8] = 0xFF;
  Status st = Decode(DecodeGif, file, sink);
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted) << st.ToString();
  EXPECT_EQ(sink.starts(), 0);
}

TEST(GifDecoder, MutationsAreSafe) {
  const auto map = GreyRamp(16);
  auto index = [](int x, int y) { return uint8_t((x ^ y) % 16); };
  for (bool interlace : {false, true}) {
    GifSpec spec{.screen_w = 12, .screen_h = 10, .background = 3, .global_map = map,
                 .frames = {{.left = 2, .top = 1, .width = 9, .height = 8, .interlace = interlace, .transparent = 4,
                             .index = index}}};
    ExpectMutationsSafe(DecodeGif, MakeGif(spec), 21 + interlace, 1500);
  }
}

// ---------------------------------------------------------------- WebP

Bytes TakeWebp(uint8_t* data, size_t size) {
  Bytes out(data, data + size);
  WebPFree(data);
  return out;
}

Rgb WebpGradient(int x, int y) { return {x * 15, y * 20, (x * y) % 256}; }

Bytes GradientRgb(int w, int h) {
  Bytes rgb;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c : WebpGradient(x, y)) rgb.push_back(uint8_t(c));
    }
  }
  return rgb;
}

Bytes LosslessWebp(int w, int h) {
  Bytes rgb = GradientRgb(w, h);
  uint8_t* out = nullptr;
  const size_t n = WebPEncodeLosslessRGB(rgb.data(), w, h, w * 3, &out);
  EXPECT_GT(n, 0u);
  return TakeWebp(out, n);
}

TEST(WebpDecoder, LosslessExactPixels) {
  auto sink = DecodeOk(DecodeWebp, LosslessWebp(16, 12), 16, 12);
  ExpectPixels(sink, WebpGradient);
}

TEST(WebpDecoder, AlphaIsDroppedNotBlended) {
  const int w = 9, h = 7;
  Bytes rgba;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c : WebpGradient(x, y)) rgba.push_back(uint8_t(c));
      rgba.push_back(uint8_t(1 + (x * 37 + y * 11) % 255));  // never 0: the encoder keeps the colour
    }
  }
  uint8_t* out = nullptr;
  const size_t n = WebPEncodeLosslessRGBA(rgba.data(), w, h, w * 4, &out);
  ASSERT_GT(n, 0u);
  auto sink = DecodeOk(DecodeWebp, TakeWebp(out, n), w, h);
  ExpectPixels(sink, WebpGradient);
}

TEST(WebpDecoder, LossyIsClose) {
  const int w = 32, h = 24;
  Bytes rgb;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) rgb.insert(rgb.end(), {uint8_t(x * 8), uint8_t(y * 10), 128});
  }
  uint8_t* out = nullptr;
  const size_t n = WebPEncodeRGB(rgb.data(), w, h, w * 3, 95, &out);
  ASSERT_GT(n, 0u);
  auto sink = DecodeOk(DecodeWebp, TakeWebp(out, n), w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const Rgb got = sink.At(x, y), want = {x * 8, y * 10, 128};
      for (int c = 0; c < 3; ++c) ASSERT_NEAR(got[c], want[c], 12) << x << "," << y << " channel " << c;
    }
  }
}

TEST(WebpDecoder, AnimatedIsUnsupported) {
  // Wrap a lossless still into VP8X (animation flag) + ANIM + one ANMF frame.
  const Bytes still = LosslessWebp(4, 3);
  ASSERT_EQ(std::string(still.begin() + 12, still.begin() + 16), "VP8L");
  const Bytes vp8l(still.begin() + 12, still.end());  // chunk header, payload, padding
  Bytes body;
  PutTag(body, "WEBP");
  PutTag(body, "VP8X");
  Put32(body, 10);
  body.insert(body.end(), {0x02, 0, 0, 0});
  Put24(body, 4 - 1);
  Put24(body, 3 - 1);
  PutTag(body, "ANIM");
  Put32(body, 6);
  Put32(body, 0xFFFFFFFF);
  Put16(body, 0);
  PutTag(body, "ANMF");
  Put32(body, uint32_t(16 + vp8l.size()));
  Put24(body, 0);
  Put24(body, 0);
  Put24(body, 4 - 1);
  Put24(body, 3 - 1);
  Put24(body, 100);
  body.push_back(0);
  body.insert(body.end(), vp8l.begin(), vp8l.end());
  Bytes file;
  PutTag(file, "RIFF");
  Put32(file, uint32_t(body.size()));
  file.insert(file.end(), body.begin(), body.end());

  RecordingSink sink;
  Status st = Decode(DecodeWebp, file, sink);
  EXPECT_EQ(st.code(), StatusCode::kUnsupported);
  EXPECT_EQ(st.message(), "animated WebP");
  EXPECT_EQ(sink.starts(), 0);
}

TEST(WebpDecoder, TruncationsFail) {
  ExpectTruncationsFail(DecodeWebp, LosslessWebp(16, 12), 0, StatusCode::kDataLoss);
  Bytes rgb = GradientRgb(16, 16);
  uint8_t* out = nullptr;
  const size_t n = WebPEncodeRGB(rgb.data(), 16, 16, 16 * 3, 80, &out);
  ASSERT_GT(n, 0u);
  ExpectTruncationsFail(DecodeWebp, TakeWebp(out, n), 0, StatusCode::kDataLoss);
}

TEST(WebpDecoder, GarbageAfterTheSignatureFails) {
  Bytes prefix;
  PutTag(prefix, "RIFF");
  Put32(prefix, 4 + 512);
  PutTag(prefix, "WEBP");
  ExpectGarbageFails(DecodeWebp, prefix);
  for (const char* tag : {"VP8 ", "VP8L", "VP8X"}) {
    Bytes p = prefix;
    PutTag(p, tag);
    Put32(p, 504);
    ExpectGarbageFails(DecodeWebp, p);
  }
}

TEST(WebpDecoder, OversizeIsRefusedBeforeStart) {
  const Bytes file = LosslessWebp(16, 12);
  RecordingSink sink;
  DecodeOptions small;
  small.max_pixels = 16 * 12 - 1;
  EXPECT_EQ(Decode(DecodeWebp, file, sink, small).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(sink.starts(), 0);
  DecodeOptions tiny_file;
  tiny_file.max_file_bytes = file.size() - 1;
  EXPECT_EQ(Decode(DecodeWebp, file, sink, tiny_file).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(sink.starts(), 0);
}

TEST(WebpDecoder, MutationsAreSafe) {
  ExpectMutationsSafe(DecodeWebp, LosslessWebp(12, 9), 31, 1500);
  Bytes rgb = GradientRgb(12, 9);
  uint8_t* out = nullptr;
  const size_t n = WebPEncodeRGB(rgb.data(), 12, 9, 12 * 3, 70, &out);
  ASSERT_GT(n, 0u);
  ExpectMutationsSafe(DecodeWebp, TakeWebp(out, n), 32, 1500);
}

// ---------------------------------------------------------------- HEIF

// Fixtures (see tests/data/media/README.md), both the 64x48 gradient
// R = 4x, G = 5y, B = 128, lossy: gradient.heic from heif-enc;
// gradient_rotated.heic coded as 64x64 with a clean aperture (clap) of 64x48
// and an irot of 90 degrees, so a viewer shows it as 48x64.
Bytes HeifFixture(const char* name = "gradient.heic") {
  std::ifstream in(std::string(SG_TEST_DATA_DIR) + "/media/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture media/" << name << " under " << SG_TEST_DATA_DIR;
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void ExpectHeifGradient(const Bytes& file) {
  ASSERT_FALSE(file.empty());
  auto sink = DecodeOk(DecodeHeif, file, 64, 48);
  double total_error = 0;
  for (int y = 0; y < sink.info().height; ++y) {
    for (int x = 0; x < sink.info().width; ++x) {
      const Rgb got = sink.At(x, y), want = {4 * x, 5 * y, 128};
      for (int c = 0; c < 3; ++c) {
        ASSERT_NEAR(got[c], want[c], 16) << x << "," << y << " channel " << c;
        total_error += std::abs(got[c] - want[c]);
      }
    }
  }
  EXPECT_LT(total_error / (64 * 48 * 3), 3.0);
}

TEST(HeifDecoder, GradientFixtureIsClose) { ExpectHeifGradient(HeifFixture()); }

TEST(HeifDecoder, OrientationIsNotAppliedButTheCropIs) {
  // 64x48 in stored orientation: not 48x64 (irot applied), not 64x64 (clap skipped).
  ExpectHeifGradient(HeifFixture("gradient_rotated.heic"));
}

TEST(HeifDecoder, MirroringIsNotApplied) {
  // The fixture's irot box (8-byte header + 1-byte angle) rewritten as an
  // imir box of the same size, for each mirror axis.
  Bytes file = HeifFixture("gradient_rotated.heic");
  const std::string_view view(reinterpret_cast<const char*>(file.data()), file.size());
  const size_t type = view.find("irot");
  ASSERT_NE(type, std::string_view::npos);
  ASSERT_EQ(view.find("irot", type + 1), std::string_view::npos);
  ASSERT_EQ(file[type - 1], 9);  // box size
  std::memcpy(file.data() + type, "imir", 4);
  for (uint8_t axis : {0, 1}) {
    file[type + 4] = axis;
    ExpectHeifGradient(file);
  }
}

TEST(HeifDecoder, TruncationsFail) {
  const Bytes file = HeifFixture();
  ASSERT_FALSE(file.empty());
  for (size_t cut : {size_t(0), size_t(8), size_t(30), file.size() / 4, file.size() / 2, file.size() * 3 / 4,
                     file.size() - 10, file.size() - 1}) {
    RecordingSink sink;
    Status st = Decode(DecodeHeif, std::span(file).first(cut), sink);
    EXPECT_FALSE(st.ok()) << "prefix of " << cut << " bytes decoded";
    EXPECT_FALSE(st.message().empty());
  }
}

TEST(HeifDecoder, GarbageAfterTheSignatureFails) {
  Bytes prefix;
  Put32(prefix, 0x18000000);  // big-endian 24: the ftyp box size
  PutTag(prefix, "ftyp");
  PutTag(prefix, "heic");
  Put32(prefix, 0);
  PutTag(prefix, "mif1");
  PutTag(prefix, "heic");
  ExpectGarbageFails(DecodeHeif, prefix);
}

TEST(HeifDecoder, OversizeIsRefusedBeforeStart) {
  const Bytes file = HeifFixture();
  ASSERT_FALSE(file.empty());
  RecordingSink sink;
  DecodeOptions small;
  small.max_pixels = 64 * 48 - 1;
  Status st = Decode(DecodeHeif, file, sink, small);
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted) << st.ToString();
  EXPECT_EQ(sink.starts(), 0);
  DecodeOptions tiny_file;
  tiny_file.max_file_bytes = file.size() - 1;
  EXPECT_EQ(Decode(DecodeHeif, file, sink, tiny_file).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(sink.starts(), 0);
}

TEST(HeifDecoder, MutationsAreSafe) {
  const Bytes file = HeifFixture();
  ASSERT_FALSE(file.empty());
  ExpectMutationsSafe(DecodeHeif, file, 41, 300);
  const Bytes rotated = HeifFixture("gradient_rotated.heic");
  ASSERT_FALSE(rotated.empty());
  ExpectMutationsSafe(DecodeHeif, rotated, 42, 300);
}

}  // namespace
}  // namespace sg::media
