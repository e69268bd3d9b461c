// The PdqIndex file format (version 2), little-endian:
//
//   offset 0     header, 128 bytes (FileHeader below)
//   4096         hashes: n x 32 bytes, Hash256 words in order
//   aligned 4096 offsets: 16 tables x 65537 uint32 (absent when n == 0)
//   aligned 4096 entries: 16 tables x n uint32, position | fingerprint <<
//                PositionBits(n) (multi_index.h)
//   zero padding between sections; the file ends after the entries.
//
// Version 1 (plain positions, no fingerprint) existed only for a day inside
// the repository's history; it is rejected like any other unknown version.
//
// header_checksum is XXH3-64 of the header with that field zeroed;
// body_checksum is XXH3-64 of every byte after the header (padding included),
// so a flipped bit anywhere is caught at Open. The section offsets are not
// stored as free values: they follow from n, and a reader recomputes them, so
// no combination of header fields can point outside the file.
//
// Internal to sg::pdq_index (and its fuzzer): callers use PdqIndex::Write/Open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "core/result.h"
#include "core/status.h"
#include "matching/index/multi_index.h"

namespace sg::matching::internal {

inline constexpr char kFileMagic[8] = {'S', 'G', 'P', 'D', 'Q', 'I', 'X', '\0'};
inline constexpr uint32_t kFileVersion = 2;
inline constexpr size_t kHeaderBytes = 128;
inline constexpr size_t kSectionAlign = 4096;

struct FileHeader {
  char magic[8];
  uint32_t version;
  uint32_t header_bytes;  // kHeaderBytes
  uint64_t count;         // n
  uint64_t tag;
  uint32_t tables;      // kTables
  uint32_t chunk_bits;  // kChunkBits
  uint64_t file_bytes;
  uint64_t body_checksum;
  uint64_t header_checksum;
  uint8_t reserved[64];  // zero
};
static_assert(sizeof(FileHeader) == kHeaderBytes);

struct FileLayout {
  uint64_t hashes = 0, offsets = 0, entries = 0, end = 0;  // byte offsets
};
// The layout for n hashes; false if it would not fit in 64 bits.
bool LayoutFor(uint64_t n, FileLayout* layout);

// Receives the file's bytes in order.
using ByteSink = std::function<Status(std::span<const std::byte>)>;

// Serialises `view` (and `tag`) to `sink`.
Status WriteIndex(const IndexView& view, uint64_t tag, const ByteSink& sink);

struct ParsedIndex {
  IndexView view;
  uint64_t tag = 0;
};

// Checks `bytes` (a whole file; `name` is used in messages) and returns views
// into it. Fails with kDataLoss naming `name` and the reason: bad magic,
// unknown version, wrong size (truncated), checksum mismatch, bad offsets.
// `bytes` must be aligned to 4 bytes (a mapping or a vector of uint32 is).
Result<ParsedIndex> ParseIndex(std::span<const std::byte> bytes, const std::string& name);

}  // namespace sg::matching::internal
