#include "media/luma_sink.h"

#include "hashing/pdq.h"

namespace sg::media {

Status LumaSink::Start(const ImageInfo& info) {
  if (started_) return Internal("decoder started the image twice");
  if (info.channels != 1 && info.channels != 3) return Internal("decoder produced an unexpected channel count");
  info_ = info;
  started_ = true;
  // Rows arrive in any order and every row is written exactly once, so the
  // plane needs no initialisation (std::vector does zero it; cheap next to decoding).
  plane_.resize(size_t(info.width) * info.height);
  return Status::Ok();
}

void LumaSink::Row(int y, const uint8_t* pixels) {
  if (y < 0 || y >= info_.height) return;  // defensive: decoders are tested not to
  float* out = plane_.data() + size_t(y) * info_.width;
  if (info_.channels == 3) {
    hashing::LumaFromRgb(pixels, info_.width, out);
  } else {
    hashing::LumaFromGrey(pixels, info_.width, out);
  }
}

}  // namespace sg::media
