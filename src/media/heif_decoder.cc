#include "media/decoder.h"

namespace sg::media {

Status DecodeHeif(ByteSource&, const DecodeOptions&, RowSink&) { return Unsupported("heif decoding not built yet"); }

}  // namespace sg::media
