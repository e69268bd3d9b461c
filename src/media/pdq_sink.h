// PdqSink: a RowSink that feeds decoded rows straight into a PdqStream, so
// the image is never held whole. Rows that arrive ahead of their turn (BMP
// is stored bottom-up) wait in a buffer until the rows above them came.
// One sink per image, used by one thread.
#pragma once

#include <memory>
#include <vector>

#include "hashing/pdq_stream.h"
#include "media/decoder.h"

namespace sg::media {

class PdqSink : public RowSink {
 public:
  Status Start(const ImageInfo& info) override;
  void Row(int y, const uint8_t* pixels) override;

  const ImageInfo& info() const { return info_; }
  bool started() const { return stream_ != nullptr; }
  // Every row arrived (and went into the stream).
  bool complete() const { return started() && next_ == info_.height; }
  hashing::PdqStream& stream() { return *stream_; }

 private:
  void Push(const uint8_t* pixels);

  ImageInfo info_;
  std::unique_ptr<hashing::PdqStream> stream_;
  int next_ = 0;                  // the next row the stream takes
  std::vector<uint8_t> pending_;  // out-of-order rows, allocated on first need
  std::vector<bool> has_pending_;
};

}  // namespace sg::media
