// LumaSink: a RowSink that turns decoded rows straight into the float
// luminance plane PDQ consumes, so the 8-bit image is never held whole.
#pragma once

#include <vector>

#include "media/decoder.h"

namespace sg::media {

class LumaSink : public RowSink {
 public:
  Status Start(const ImageInfo& info) override;
  void Row(int y, const uint8_t* pixels) override;

  const ImageInfo& info() const { return info_; }
  bool started() const { return started_; }
  std::vector<float>& plane() { return plane_; }

 private:
  ImageInfo info_;
  bool started_ = false;
  std::vector<float> plane_;
};

}  // namespace sg::media
