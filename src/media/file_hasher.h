// HashFile: everything Safeguard records about one file's content, from one
// sequential read: MD5, SHA-1, SHA-256 of the bytes, and for images the PDQ
// hash and quality (optionally all eight dihedral variants).
//
// The file is never kept: bytes stream through the crypto hashes and the
// decoder, rows of pixels become luminance, and only hashes come out.
// Thread safety: HashFile is reentrant; run one per thread for parallelism.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/status.h"
#include "hashing/crypto_hash.h"
#include "hashing/pdq.h"
#include "media/decoder.h"
#include "media/image_type.h"

namespace sg::media {

struct FileHashOptions {
  bool fast = false;      // reduced-scale JPEG decoding (see DecodeOptions)
  bool dihedral = false;  // also compute the 8 dihedral variants
  DecodeOptions decode;
};

struct FileHashes {
  std::string path;
  uint64_t size = 0;
  ImageType type = ImageType::kNotImage;
  // Set when all bytes were read; a file that failed to decode still has them.
  std::optional<hashing::CryptoDigests> crypto;
  // Set for images that decoded.
  std::optional<hashing::PdqResult> pdq;
  std::optional<std::array<hashing::Hash256, 8>> dihedral;
  int width = 0, height = 0;
  // > 1 when --fast decoded the image at 1/decode_scale and PDQ is an
  // estimate (PdqScaledStream), not the exact hash.
  int decode_scale = 1;
  // Not OK when the file could not be read, or is an image that could not be
  // decoded (corrupt, truncated, unsupported). The message names the reason;
  // the caller adds the path.
  Status error;

  bool is_image() const { return type != ImageType::kNotImage; }
};

FileHashes HashFile(const std::string& path, const FileHashOptions& options);
// The same over bytes in memory (tests, fuzzing, reports received by API).
FileHashes HashBytes(std::span<const uint8_t> bytes, const FileHashOptions& options);

}  // namespace sg::media
