#include "media/pdq_sink.h"

#include <cstring>

namespace sg::media {

Status PdqSink::Start(const ImageInfo& info) {
  if (started()) return Internal("decoder started the image twice");
  if (info.channels != 1 && info.channels != 3) return Internal("decoder produced an unexpected channel count");
  info_ = info;
  if (info.scale > 1) {
    scaled_ = std::make_unique<hashing::PdqScaledStream>(info.height, info.width, info.full_height, info.full_width,
                                                         info.scale);
  } else {
    stream_ = std::make_unique<hashing::PdqStream>(info.height, info.width);
  }
  return Status::Ok();
}

void PdqSink::Push(const uint8_t* pixels) {
  if (scaled_) {
    info_.channels == 3 ? scaled_->AddRgbRow(pixels) : scaled_->AddGreyRow(pixels);
  } else {
    info_.channels == 3 ? stream_->AddRgbRow(pixels) : stream_->AddGreyRow(pixels);
  }
  ++next_;
}

hashing::PdqResult PdqSink::Finish() { return scaled_ ? scaled_->Finish() : stream_->Finish(); }

hashing::PdqDihedralResult PdqSink::FinishDihedral() {
  return scaled_ ? scaled_->FinishDihedral() : stream_->FinishDihedral();
}

void PdqSink::Row(int y, const uint8_t* pixels) {
  if (!started() || y < next_ || y >= info_.height) return;  // defensive: decoders deliver each row once
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
