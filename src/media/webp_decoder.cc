#include "media/decoder.h"

namespace sg::media {

Status DecodeWebp(ByteSource&, const DecodeOptions&, RowSink&) { return Unsupported("webp decoding not built yet"); }

}  // namespace sg::media
