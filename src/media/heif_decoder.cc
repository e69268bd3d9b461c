// HEIF/HEIC through libheif (HEVC via libde265). libheif parses from memory,
// so the file is read whole (up to DecodeOptions::max_file_bytes). Only the
// primary image is decoded, to 8-bit interleaved RGB: alpha is dropped and
// higher bit depths keep their high bits (convert_hdr_to_8bit).
//
// Orientation (irot, imir) is not applied, just as EXIF orientation is not
// for JPEG: the hash is of the stored pixels. libheif's ignore_transformations
// would also skip the clean-aperture crop (clap) and leave the encoder's
// padding rows in the picture, so instead the irot/imir property boxes are
// renamed to 'free' in our copy of the file and libheif applies the rest.
// Every libheif object is owned by a unique_ptr, so all paths free them.
#include <cstring>
#include <memory>
#include <vector>

#include <libheif/heif.h>
#include <fmt/format.h>

#include "media/decoder.h"

namespace sg::media {
namespace {

struct ContextFree {
  void operator()(heif_context* p) const { heif_context_free(p); }
};
struct HandleRelease {
  void operator()(heif_image_handle* p) const { heif_image_handle_release(p); }
};
struct ImageRelease {
  void operator()(heif_image* p) const { heif_image_release(p); }
};
struct OptionsFree {
  void operator()(heif_decoding_options* p) const { heif_decoding_options_free(p); }
};

Status HeifStatus(const heif_error& e, std::string_view where) {
  std::string_view msg = e.message ? e.message : "";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.remove_suffix(1);  // some end in "\n"
  if (e.subcode == heif_suberror_Security_limit_exceeded || e.code == heif_error_Memory_allocation_error) {
    return ResourceExhausted(fmt::format("HEIF image refused ({}): {}", where, msg));
  }
  switch (e.code) {
    case heif_error_Invalid_input:
      if (e.subcode == heif_suberror_End_of_data) {
        return DataLoss(fmt::format("truncated HEIF data ({}): {}", where, msg));
      }
      return DataLoss(fmt::format("corrupt HEIF data ({}): {}", where, msg));
    case heif_error_Unsupported_filetype:
    case heif_error_Unsupported_feature:
      return Unsupported(fmt::format("unsupported HEIF variant ({}): {}", where, msg));
    default:
      // Decoder plugin errors (a damaged HEVC stream) and the rest.
      return DataLoss(fmt::format("corrupt HEIF data ({}): {}", where, msg));
  }
}

uint64_t Be32(const uint8_t* p) { return uint64_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

bool IsType(const std::vector<uint8_t>& d, size_t box, const char* type) {
  return std::memcmp(d.data() + box + 4, type, 4) == 0;
}

// Calls fn(box_start, header_size, box_size) for each ISOBMFF box in
// [begin, end) until fn returns false or a size is malformed (then libheif
// reports the damage itself). Every box seen lies within [begin, end).
template <typename Fn>
void ForEachBox(const std::vector<uint8_t>& d, size_t begin, size_t end, Fn fn) {
  size_t pos = begin;
  while (pos <= end && end - pos >= 8) {
    uint64_t size = Be32(d.data() + pos);
    size_t header = 8;
    if (size == 1) {  // 64-bit size follows the type
      if (end - pos < 16) return;
      size = Be32(d.data() + pos + 8) << 32 | Be32(d.data() + pos + 12);
      header = 16;
    } else if (size == 0) {  // to the end of the enclosing box
      size = end - pos;
    }
    if (size < header || size > end - pos) return;
    if (!fn(pos, header, size_t(size))) return;
    pos += size;
  }
}

// Renames every irot and imir property in meta/iprp/ipco to 'free', so that
// libheif decodes the stored orientation but still applies clap.
void DropOrientation(std::vector<uint8_t>& d) {
  auto in_child = [&](size_t box, size_t header, size_t size, size_t skip, const char* type, auto&& fn) {
    if (!IsType(d, box, type) || header + skip > size) return;
    ForEachBox(d, box + header + skip, box + size, fn);
  };
  ForEachBox(d, 0, d.size(), [&](size_t meta, size_t mh, size_t ms) {
    in_child(meta, mh, ms, 4, "meta", [&](size_t iprp, size_t ih, size_t is) {  // 4: FullBox version, flags
      in_child(iprp, ih, is, 0, "iprp", [&](size_t ipco, size_t ch, size_t cs) {
        in_child(ipco, ch, cs, 0, "ipco", [&](size_t prop, size_t, size_t) {
          if (IsType(d, prop, "irot") || IsType(d, prop, "imir")) std::memcpy(d.data() + prop + 4, "free", 4);
          return true;
        });
        return true;
      });
      return true;
    });
    return !IsType(d, meta, "meta");  // a HEIF file has one top-level meta box
  });
}

}  // namespace

Status DecodeHeif(ByteSource& src, const DecodeOptions& options, RowSink& sink) {
  // Declared first so it outlives the context that reads it without a copy.
  std::vector<uint8_t> data;
  SG_RETURN_IF_ERROR(src.ReadAll(data, options.max_file_bytes));
  DropOrientation(data);

  std::unique_ptr<heif_context, ContextFree> ctx(heif_context_alloc());
  if (!ctx) return ResourceExhausted("out of memory allocating a HEIF context");
  heif_error err = heif_context_read_from_memory_without_copy(ctx.get(), data.data(), data.size(), nullptr);
  if (err.code != heif_error_Ok) return HeifStatus(err, "in the container");

  heif_image_handle* raw_handle = nullptr;
  err = heif_context_get_primary_image_handle(ctx.get(), &raw_handle);
  std::unique_ptr<heif_image_handle, HandleRelease> handle(raw_handle);
  if (err.code != heif_error_Ok) return HeifStatus(err, "finding the primary image");
  if (!handle) return DataLoss("corrupt HEIF data: no primary image");

  // Refuse bombs before decoding: the untransformed (ispe) size is what gets
  // decoded before cropping, the handle's is after; check both.
  const int ispe_w = heif_image_handle_get_ispe_width(handle.get());
  const int ispe_h = heif_image_handle_get_ispe_height(handle.get());
  if (ispe_w > 0 && ispe_h > 0) SG_RETURN_IF_ERROR(CheckDimensions(ispe_w, ispe_h, options, "HEIF"));
  SG_RETURN_IF_ERROR(CheckDimensions(heif_image_handle_get_width(handle.get()),
                                     heif_image_handle_get_height(handle.get()), options, "HEIF"));

  std::unique_ptr<heif_decoding_options, OptionsFree> decode_options(heif_decoding_options_alloc());
  if (!decode_options) return ResourceExhausted("out of memory allocating HEIF decoding options");
  decode_options->ignore_transformations = 0;  // clap only: irot and imir are gone (above)
  decode_options->convert_hdr_to_8bit = 1;
  heif_image* raw_image = nullptr;
  err = heif_decode_image(handle.get(), &raw_image, heif_colorspace_RGB, heif_chroma_interleaved_RGB,
                          decode_options.get());
  std::unique_ptr<heif_image, ImageRelease> image(raw_image);
  if (err.code != heif_error_Ok) return HeifStatus(err, "decoding the image");
  if (!image) return DataLoss("corrupt HEIF data: the decoder returned no image");

  const int width = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int height = heif_image_get_height(image.get(), heif_channel_interleaved);
  SG_RETURN_IF_ERROR(CheckDimensions(width, height, options, "HEIF"));
  if (heif_image_get_bits_per_pixel_range(image.get(), heif_channel_interleaved) != 8) {
    return Unsupported("HEIF image did not decode to 8-bit RGB");
  }
  int stride = 0;
  const uint8_t* plane = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  if (!plane || stride < int64_t(width) * 3) return DataLoss("corrupt HEIF data: the decoder returned no pixels");

  SG_RETURN_IF_ERROR(sink.Start({width, height, 3}));
  for (int y = 0; y < height; ++y) sink.Row(y, plane + size_t(y) * size_t(stride));
  return Status::Ok();
}

}  // namespace sg::media
