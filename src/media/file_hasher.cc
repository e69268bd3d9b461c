#include "media/file_hasher.h"

#include "media/byte_source.h"
#include "media/pdq_sink.h"

namespace sg::media {
namespace {

void HashFromSource(ByteSource& src, const FileHashOptions& options, FileHashes& out) {
  hashing::CryptoHasher hasher;
  src.set_hasher(&hasher);
  auto head = src.Peek(kSniffBytes);
  if (!head.ok()) {
    out.error = head.status();
    return;
  }
  out.type = SniffImageType(*head);
  Status decode_status;
  if (out.type == ImageType::kUnsupported) {
    decode_status = Unsupported(std::string("unsupported image format: ") + std::string(UnsupportedFormatName(*head)));
  } else if (out.type != ImageType::kNotImage) {
    PdqSink sink;
    DecodeOptions decode = options.decode;
    decode.fast = options.fast;
    decode_status = DecodeImage(out.type, src, decode, sink);
    if (decode_status.ok() && !sink.complete()) decode_status = DataLoss("image data ends before its last row");
    if (decode_status.ok()) {
      const ImageInfo& info = sink.info();
      out.width = info.scale > 1 ? info.full_width : info.width;
      out.height = info.scale > 1 ? info.full_height : info.height;
      out.decode_scale = info.scale;
      if (options.dihedral) {
        auto d = sink.FinishDihedral();
        out.pdq = hashing::PdqResult{d.hashes[0], d.quality};
        out.dihedral = d.hashes;
      } else {
        out.pdq = sink.Finish();
      }
    }
  }
  // The crypto hashes cover the whole file even when the decoder stopped
  // early or failed: known-material lists match exact hashes of any file.
  Status drained = src.Drain();
  if (drained.ok()) {
    out.crypto = hasher.Finish();
    out.size = hasher.bytes();
  }
  out.error = !drained.ok() ? drained : decode_status;
}

}  // namespace

FileHashes HashFile(const std::string& path, const FileHashOptions& options) {
  FileHashes out;
  out.path = path;
  auto src = ByteSource::OpenFile(path);
  if (!src.ok()) {
    out.error = src.status();
    return out;
  }
  HashFromSource(*src, options, out);
  return out;
}

FileHashes HashBytes(std::span<const uint8_t> bytes, const FileHashOptions& options) {
  FileHashes out;
  out.path = "<memory>";
  ByteSource src = ByteSource::FromMemory(bytes);
  HashFromSource(src, options, out);
  return out;
}

}  // namespace sg::media
