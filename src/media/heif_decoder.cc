// HEIF/HEIC through libheif (HEVC via libde265). libheif parses from memory,
// so the file is read whole (up to DecodeOptions::max_file_bytes). Only the
// primary image is decoded, to 8-bit interleaved RGB: alpha is dropped,
// higher bit depths keep their high bits (convert_hdr_to_8bit), and the
// geometric transformations (irot, imir, clap) are ignored, as EXIF
// orientation is for JPEG, so the hash is of the stored pixels.
// Every libheif object is owned by a unique_ptr, so all paths free them.
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
      if (e.subcode == heif_suberror_End_of_data) return DataLoss(fmt::format("truncated HEIF data ({}): {}", where, msg));
      return DataLoss(fmt::format("corrupt HEIF data ({}): {}", where, msg));
    case heif_error_Unsupported_filetype:
    case heif_error_Unsupported_feature:
      return Unsupported(fmt::format("unsupported HEIF variant ({}): {}", where, msg));
    default:
      // Decoder plugin errors (a damaged HEVC stream) and the rest.
      return DataLoss(fmt::format("corrupt HEIF data ({}): {}", where, msg));
  }
}

}  // namespace

Status DecodeHeif(ByteSource& src, const DecodeOptions& options, RowSink& sink) {
  // Declared first so it outlives the context that reads it without a copy.
  std::vector<uint8_t> data;
  SG_RETURN_IF_ERROR(src.ReadAll(data, options.max_file_bytes));

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
  // decoded, the handle's is after crop and rotation; check both.
  const int ispe_w = heif_image_handle_get_ispe_width(handle.get());
  const int ispe_h = heif_image_handle_get_ispe_height(handle.get());
  if (ispe_w > 0 && ispe_h > 0) SG_RETURN_IF_ERROR(CheckDimensions(ispe_w, ispe_h, options, "HEIF"));
  SG_RETURN_IF_ERROR(CheckDimensions(heif_image_handle_get_width(handle.get()),
                                     heif_image_handle_get_height(handle.get()), options, "HEIF"));

  std::unique_ptr<heif_decoding_options, OptionsFree> decode_options(heif_decoding_options_alloc());
  if (!decode_options) return ResourceExhausted("out of memory allocating HEIF decoding options");
  decode_options->ignore_transformations = 1;
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
