#include "media/decoder.h"

namespace sg::media {

Status DecodeGif(ByteSource&, const DecodeOptions&, RowSink&) { return Unsupported("gif decoding not built yet"); }

}  // namespace sg::media
