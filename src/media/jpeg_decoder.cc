// JPEG through libjpeg-turbo. Default decompression settings (islow DCT,
// fancy upsampling) give exactly the pixels the PDQ reference hashed; --fast
// trades that for DCT-domain downscaling.
//
// libjpeg reports fatal errors through a callback that must not return; we
// longjmp back to DecodeJpegImpl, whose frame holds only trivially
// destructible state so that the jump is safe in C++.
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <jpeglib.h>
#include <fmt/format.h>

#include "media/decoder.h"

namespace sg::media {
namespace {

struct ErrorManager {
  jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void OnError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  longjmp(err->jump, 1);
}

void OnMessage(j_common_ptr, int) {}  // warnings are not fatal, as in the reference

struct SourceManager {
  jpeg_source_mgr pub;
  ByteSource* src;
  bool failed;  // an I/O error or premature end of data
  bool truncated;
};

void InitSource(j_decompress_ptr) {}

boolean FillInputBuffer(j_decompress_ptr cinfo) {
  auto* sm = reinterpret_cast<SourceManager*>(cinfo->src);
  auto chunk = sm->src->Next();
  if (!chunk.ok() || chunk->empty()) {
    // Premature end: libjpeg's convention is a warning and a fake EOI, which
    // would hash a grey-filled picture. We report the file as truncated.
    sm->failed = true;
    sm->truncated = chunk.ok();
    static const JOCTET kEoi[2] = {0xFF, JPEG_EOI};
    sm->pub.next_input_byte = kEoi;
    sm->pub.bytes_in_buffer = 2;
    return TRUE;
  }
  sm->pub.next_input_byte = chunk->data();
  sm->pub.bytes_in_buffer = chunk->size();
  return TRUE;
}

void SkipInputData(j_decompress_ptr cinfo, long num_bytes) {
  auto* sm = reinterpret_cast<SourceManager*>(cinfo->src);
  while (num_bytes > 0) {
    if (sm->pub.bytes_in_buffer == 0) FillInputBuffer(cinfo);
    long n = std::min<long>(num_bytes, static_cast<long>(sm->pub.bytes_in_buffer));
    sm->pub.next_input_byte += n;
    sm->pub.bytes_in_buffer -= n;
    num_bytes -= n;
    if (sm->failed) return;
  }
}

void TermSource(j_decompress_ptr) {}

// --fast: the largest block (1/denom scale) at most half as wide as PDQ's
// box filter along the shorter side, (shorter + 127) / 128 pixels: 1/8 from
// 1921 pixels, 1/4 from 897, 1/2 from 385. Blocks as wide as the filter
// moved the estimate up to 34 bits on small, detailed pictures.
int ScaleDenominator(int width, int height, const DecodeOptions& options) {
  if (!options.fast) return 1;
  const int filter = (std::min(width, height) + 127) / 128;
  for (int denom : {8, 4, 2}) {
    if (2 * denom <= filter) return denom;
  }
  return 1;
}

// Everything with a destructor lives in the caller; this frame is safe to
// longjmp out of.
Status DecodeJpegImpl(jpeg_decompress_struct& cinfo, ErrorManager& err, SourceManager& sm,
                      const DecodeOptions& options, RowSink& sink, std::vector<uint8_t>& row,
                      std::vector<uint8_t>& rgb_row, Status& sink_status) {
  if (setjmp(err.jump)) {
    if (sm.failed && !sm.truncated) return IoError("read failed");
    if (sm.truncated) return DataLoss(fmt::format("truncated JPEG data: {}", err.message));
    return DataLoss(fmt::format("corrupt JPEG data: {}", err.message));
  }
  jpeg_create_decompress(&cinfo);
  cinfo.src = &sm.pub;
  jpeg_read_header(&cinfo, TRUE);
  if (sm.failed) return DataLoss("truncated JPEG data (in the header)");
  sink_status = CheckDimensions(cinfo.image_width, cinfo.image_height, options, "JPEG");
  if (!sink_status.ok()) return sink_status;

  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  const bool grey = cinfo.jpeg_color_space == JCS_GRAYSCALE;
  cinfo.out_color_space = cmyk ? JCS_CMYK : grey ? JCS_GRAYSCALE : JCS_RGB;
  const int denom = ScaleDenominator(cinfo.image_width, cinfo.image_height, options);
  if (denom > 1) {
    cinfo.scale_num = 1;
    cinfo.scale_denom = denom;
  }
  jpeg_start_decompress(&cinfo);
  const int width = cinfo.output_width, height = cinfo.output_height;
  const int channels = grey ? 1 : 3;
  ImageInfo info{width, height, channels};
  if (denom > 1) {
    info.scale = denom;
    info.full_width = static_cast<int>(cinfo.image_width);
    info.full_height = static_cast<int>(cinfo.image_height);
  }
  sink_status = sink.Start(info);
  if (!sink_status.ok()) return sink_status;
  // libjpeg-turbo's SIMD colour conversion writes 16/32-byte-aligned output
  // rows with non-temporal stores, which bypass the cache: the luminance pass
  // that reads the row right after then waits on memory (it was 18% of
  // `safeguard hash`). A row that starts 8 bytes past an aligned address
  // takes the ordinary stores; the pixels are the same.
  row.resize(size_t(width) * cinfo.output_components + 64);
  uint8_t* const out = row.data() + (32 - reinterpret_cast<uintptr_t>(row.data()) % 32) % 32 + 8;
  rgb_row.resize(size_t(width) * 3);
  // Adobe writes CMYK inverted (0 = full ink); JFIF-style CMYK is not.
  const bool inverted = cinfo.saw_Adobe_marker;
  while (cinfo.output_scanline < cinfo.output_height) {
    const int y = cinfo.output_scanline;
    JSAMPROW rows[1] = {out};
    jpeg_read_scanlines(&cinfo, rows, 1);
    if (sm.failed) return DataLoss(fmt::format("truncated JPEG data (at row {} of {})", y, height));
    if (cmyk) {
      for (int x = 0; x < width; ++x) {
        int c = out[4 * x], m = out[4 * x + 1], ye = out[4 * x + 2], k = out[4 * x + 3];
        if (!inverted) c = 255 - c, m = 255 - m, ye = 255 - ye, k = 255 - k;
        rgb_row[3 * x] = static_cast<uint8_t>((c * k + 127) / 255);
        rgb_row[3 * x + 1] = static_cast<uint8_t>((m * k + 127) / 255);
        rgb_row[3 * x + 2] = static_cast<uint8_t>((ye * k + 127) / 255);
      }
      sink.Row(y, rgb_row.data());
    } else {
      sink.Row(y, out);
    }
  }
  jpeg_finish_decompress(&cinfo);
  return Status::Ok();
}

}  // namespace

Status DecodeJpeg(ByteSource& src, const DecodeOptions& options, RowSink& sink) {
  jpeg_decompress_struct cinfo{};
  ErrorManager err{};
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnError;
  err.pub.emit_message = OnMessage;
  SourceManager sm{};
  sm.pub.init_source = InitSource;
  sm.pub.fill_input_buffer = FillInputBuffer;
  sm.pub.skip_input_data = SkipInputData;
  sm.pub.resync_to_restart = jpeg_resync_to_restart;
  sm.pub.term_source = TermSource;
  sm.src = &src;
  std::vector<uint8_t> row, rgb_row;
  Status sink_status;
  Status s = DecodeJpegImpl(cinfo, err, sm, options, sink, row, rgb_row, sink_status);
  jpeg_destroy_decompress(&cinfo);
  return s;
}

}  // namespace sg::media
