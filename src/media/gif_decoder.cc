// GIF through giflib's record-level API (DGifOpen with a read callback on the
// ByteSource), never DGifSlurp: an animation can hold thousands of frames and
// only the first one is hashed.
//
// The first frame is rendered as a viewer shows it: onto a canvas of the
// logical screen size filled with the background colour (black without a
// global colour map), at its (Left, Top) offset and clipped to the canvas;
// transparent pixels leave the background. Like browsers, a screen smaller
// than the frame (or 0x0) is replaced by the frame's size, with the frame at
// (0, 0). Palette indices beyond the colour map are black. Output is RGB.
// Non-interlaced frames stream row by row; interlaced ones hold the frame's
// palette indices (one byte per pixel) until the last pass.
#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <vector>

#include <gif_lib.h>
#include <fmt/format.h>

#include "media/decoder.h"

namespace sg::media {
namespace {

struct ReadState {
  ByteSource* src = nullptr;
  bool truncated = false;
  Status io_status{};  // a read failure other than end of data
};

// giflib's input callback: returns the number of bytes read; fewer than asked
// makes giflib fail with D_GIF_ERR_READ_FAILED, and the state says why.
int ReadGif(GifFileType* gif, GifByteType* out, int len) {
  auto* st = static_cast<ReadState*>(gif->UserData);
  int done = 0;
  while (done < len) {
    auto chunk = st->src->Next(size_t(len - done));
    if (!chunk.ok()) {
      st->io_status = chunk.status();
      break;
    }
    if (chunk->empty()) {
      st->truncated = true;
      break;
    }
    std::memcpy(out + done, chunk->data(), chunk->size());
    done += int(chunk->size());
  }
  return done;
}

Status GifError(const ReadState& st, int code, std::string_view where) {
  if (!st.io_status.ok()) return st.io_status;
  if (st.truncated) return DataLoss(fmt::format("truncated GIF data ({})", where));
  // giflib also reports some invalid fields (an LZW code size over 11) as a
  // read failure; with the data still there, it is corruption.
  if (code == D_GIF_ERR_READ_FAILED) return DataLoss(fmt::format("corrupt GIF data ({}): invalid field", where));
  const char* reason = GifErrorString(code);
  return DataLoss(fmt::format("corrupt GIF data ({}): {}", where, reason ? reason : "unknown error"));
}

struct GifCloser {
  void operator()(GifFileType* gif) const {
    int error = 0;
    DGifCloseFile(gif, &error);
  }
};
using GifPtr = std::unique_ptr<GifFileType, GifCloser>;

// A colour map as 256 RGB entries; indices the map does not define are black.
using Palette = std::array<uint8_t, 256 * 3>;

Palette MakePalette(const ColorMapObject* map) {
  Palette p{};
  if (!map || !map->Colors) return p;
  const int n = std::clamp(map->ColorCount, 0, 256);
  for (int i = 0; i < n; ++i) {
    p[3 * i] = map->Colors[i].Red;
    p[3 * i + 1] = map->Colors[i].Green;
    p[3 * i + 2] = map->Colors[i].Blue;
  }
  return p;
}

// Where the frame lands on the canvas and how to colour it.
struct Layout {
  int canvas_w, canvas_h;
  int left, top, frame_w, frame_h;
  Palette palette;
  int transparent;  // -1: none
  std::vector<uint8_t> background_row;  // canvas_w RGB pixels of background
};

// Composes canvas row y from the background and, if non-null, the frame row
// (frame_w palette indices) that lands on it.
void ComposeRow(const Layout& l, const uint8_t* frame_row, uint8_t* out) {
  std::memcpy(out, l.background_row.data(), l.background_row.size());
  if (!frame_row) return;
  const int x_end = std::min<int64_t>(l.canvas_w, int64_t(l.left) + l.frame_w);
  for (int x = l.left; x < x_end; ++x) {
    const uint8_t index = frame_row[x - l.left];
    if (index == l.transparent) continue;
    std::memcpy(out + 3 * x, l.palette.data() + 3 * index, 3);
  }
}

// Reads records up to the first image descriptor, keeping the transparent
// index of the Graphics Control Extension that precedes it.
Status ReadToFirstImage(GifFileType* gif, const ReadState& st, int& transparent) {
  transparent = -1;
  for (;;) {
    GifRecordType type = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif, &type) == GIF_ERROR) return GifError(st, gif->Error, "before the first image");
    if (type == TERMINATE_RECORD_TYPE) return DataLoss("GIF has no image");
    if (type == IMAGE_DESC_RECORD_TYPE) return Status::Ok();
    int code = 0;
    GifByteType* block = nullptr;
    if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) return GifError(st, gif->Error, "in an extension");
    // block[0] is the sub-block's length; a GCE's is 4: flags, delay (2), index.
    if (code == GRAPHICS_EXT_FUNC_CODE && block && block[0] >= 4) {
      transparent = (block[1] & 0x01) ? block[4] : -1;
    }
    while (block) {
      if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return GifError(st, gif->Error, "in an extension");
    }
  }
}

}  // namespace

Status DecodeGif(ByteSource& src, const DecodeOptions& options, RowSink& sink) {
  ReadState st{&src};
  int open_error = 0;
  GifPtr gif(DGifOpen(&st, ReadGif, &open_error));
  if (!gif) {
    if (open_error == D_GIF_ERR_NOT_GIF_FILE && !st.truncated) return DataLoss("not a GIF file (bad signature)");
    return GifError(st, open_error, "in the header");
  }
  Layout l{};
  SG_RETURN_IF_ERROR(ReadToFirstImage(gif.get(), st, l.transparent));
  if (DGifGetImageDesc(gif.get()) == GIF_ERROR) return GifError(st, gif->Error, "in the image descriptor");

  const GifImageDesc& desc = gif->Image;
  l.frame_w = desc.Width;
  l.frame_h = desc.Height;
  if (l.frame_w <= 0 || l.frame_h <= 0) {
    return DataLoss(fmt::format("corrupt GIF data: first frame has no pixels ({}x{})", l.frame_w, l.frame_h));
  }
  l.canvas_w = gif->SWidth;
  l.canvas_h = gif->SHeight;
  l.left = desc.Left;
  l.top = desc.Top;
  if (l.canvas_w < l.frame_w || l.canvas_h < l.frame_h) {
    l.canvas_w = l.frame_w;
    l.canvas_h = l.frame_h;
    l.left = l.top = 0;
  }
  SG_RETURN_IF_ERROR(CheckDimensions(l.canvas_w, l.canvas_h, options, "GIF"));

  l.palette = MakePalette(desc.ColorMap ? desc.ColorMap : gif->SColorMap);
  const Palette global = MakePalette(gif->SColorMap);
  const uint8_t* bg = global.data() + 3 * std::clamp(gif->SBackGroundColor, 0, 255);
  l.background_row.resize(size_t(l.canvas_w) * 3);
  for (int x = 0; x < l.canvas_w; ++x) std::memcpy(l.background_row.data() + 3 * x, bg, 3);

  SG_RETURN_IF_ERROR(sink.Start({l.canvas_w, l.canvas_h, 3}));
  std::vector<uint8_t> out(size_t(l.canvas_w) * 3);
  // Canvas rows [0, a) and [b, canvas_h) are background; [a, b) hold frame rows.
  const int a = std::min(l.top, l.canvas_h);
  const int b = int(std::min<int64_t>(int64_t(l.top) + l.frame_h, l.canvas_h));
  auto emit_background = [&](int from, int to) {
    ComposeRow(l, nullptr, out.data());
    for (int y = from; y < to; ++y) sink.Row(y, out.data());
  };

  if (!desc.Interlace) {
    std::vector<uint8_t> line(size_t(l.frame_w));
    emit_background(0, a);
    // Frame rows below the canvas are never seen, so they are not decoded.
    for (int y = a; y < b; ++y) {
      if (DGifGetLine(gif.get(), line.data(), l.frame_w) == GIF_ERROR) {
        return GifError(st, gif->Error, fmt::format("at row {} of {}", y - l.top, l.frame_h));
      }
      ComposeRow(l, line.data(), out.data());
      sink.Row(y, out.data());
    }
    emit_background(b, l.canvas_h);
    return Status::Ok();
  }

  // Interlaced: four passes over rows 0, 4, 2, 1 with steps 8, 8, 4, 2.
  std::vector<uint8_t> frame(size_t(l.frame_w) * l.frame_h);
  static constexpr int kStart[4] = {0, 4, 2, 1}, kStep[4] = {8, 8, 4, 2};
  for (int pass = 0; pass < 4; ++pass) {
    for (int r = kStart[pass]; r < l.frame_h; r += kStep[pass]) {
      if (DGifGetLine(gif.get(), frame.data() + size_t(r) * l.frame_w, l.frame_w) == GIF_ERROR) {
        return GifError(st, gif->Error, fmt::format("in interlace pass {} at row {}", pass + 1, r));
      }
    }
  }
  emit_background(0, a);
  for (int y = a; y < b; ++y) {
    ComposeRow(l, frame.data() + size_t(y - l.top) * l.frame_w, out.data());
    sink.Row(y, out.data());
  }
  emit_background(b, l.canvas_h);
  return Status::Ok();
}

}  // namespace sg::media
