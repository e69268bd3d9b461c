// Any bytes through type sniffing, every decoder and PDQ (with the dihedral
// variants): must never crash, hang or read out of bounds, and a decoded
// image must give a hash and a quality in range.
#include <cstdint>
#include <cstdlib>

#include "media/file_hasher.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sg::media::FileHashOptions options;
  options.dihedral = (size & 1) != 0;
  options.fast = (size & 2) != 0;
  // Keep single inputs fast: a small header can claim a huge image.
  options.decode.max_pixels = 1 << 22;
  sg::media::FileHashes h = sg::media::HashBytes({data, size}, options);
  if (h.error.ok() && h.is_image()) {
    if (!h.pdq || h.pdq->quality < 0 || h.pdq->quality > 100 || h.width <= 0 || h.height <= 0) std::abort();
  }
  if (h.error.ok() && !h.crypto) std::abort();
  return 0;
}
