#include "media/decoder.h"

namespace sg::media {

Status DecodeBmp(ByteSource&, const DecodeOptions&, RowSink&) { return Unsupported("bmp decoding not built yet"); }

}  // namespace sg::media
