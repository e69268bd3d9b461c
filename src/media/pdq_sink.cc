#include "media/pdq_sink.h"

#include <cstring>

namespace sg::media {

Status PdqSink::Start(const ImageInfo& info) {
  if (stream_) return Internal("decoder started the image twice");
  if (info.channels != 1 && info.channels != 3) return Internal("decoder produced an unexpected channel count");
  info_ = info;
  stream_ = std::make_unique<hashing::PdqStream>(info.height, info.width);
  return Status::Ok();
}

void PdqSink::Push(const uint8_t* pixels) {
  if (info_.channels == 3) {
    stream_->AddRgbRow(pixels);
  } else {
    stream_->AddGreyRow(pixels);
  }
  ++next_;
}

void PdqSink::Row(int y, const uint8_t* pixels) {
  if (!stream_ || y < next_ || y >= info_.height) return;  // defensive: decoders deliver each row once
  const size_t row_bytes = size_t(info_.width) * info_.channels;
  if (y != next_) {
    if (pending_.empty()) {
      pending_.resize(row_bytes * info_.height);
      has_pending_.assign(info_.height, false);
    }
    std::memcpy(pending_.data() + row_bytes * y, pixels, row_bytes);
    has_pending_[y] = true;
    return;
  }
  Push(pixels);
  while (next_ < info_.height && !has_pending_.empty() && has_pending_[next_]) {
    Push(pending_.data() + row_bytes * next_);
  }
}

}  // namespace sg::media
