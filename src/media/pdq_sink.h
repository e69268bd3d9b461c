// PdqSink: a RowSink that feeds decoded rows straight into a PdqStream, so
// the image is never held whole. Rows that arrive ahead of their turn (BMP
// is stored bottom-up) wait in a buffer until the rows above them came.
// One sink per image, used by one thread.
#pragma once

#include <memory>
#include <vector>

#include "hashing/pdq_scaled.h"
#include "hashing/pdq_stream.h"
#include "media/decoder.h"

namespace sg::media {

class PdqSink : public RowSink {
 public:
  Status Start(const ImageInfo& info) override;
  void Row(int y, const uint8_t* pixels) override;

  const ImageInfo& info() const { return info_; }
  bool started() const { return stream_ != nullptr || scaled_ != nullptr; }
  // Every row arrived (and went into the stream).
  bool complete() const { return started() && next_ == info_.height; }
  // The hash: exact, or estimated for a picture decoded at reduced scale.
  hashing::PdqResult Finish();
  hashing::PdqDihedralResult FinishDihedral();

 private:
  void Push(const uint8_t* pixels);

  ImageInfo info_;
  std::unique_ptr<hashing::PdqStream> stream_;
  std::unique_ptr<hashing::PdqScaledStream> scaled_;  // instead, when info_.scale > 1
  int next_ = 0;                  // the next row the stream takes
  std::vector<uint8_t> pending_;  // out-of-order rows, allocated on first need
  std::vector<bool> has_pending_;
};

}  // namespace sg::media
