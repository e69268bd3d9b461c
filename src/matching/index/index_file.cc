#include "matching/index/index_file.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <bit>
#include <cstring>

namespace sg::matching::internal {
namespace {

static_assert(std::endian::native == std::endian::little, "the index file is little-endian");
static_assert(sizeof(hashing::Hash256) == 32);

constexpr std::byte kZeros[kSectionAlign] = {};

bool AlignUp(uint64_t v, uint64_t* out) {
  if (v > UINT64_MAX - (kSectionAlign - 1)) return false;
  *out = (v + kSectionAlign - 1) / kSectionAlign * kSectionAlign;
  return true;
}

bool CheckedMulAdd(uint64_t base, uint64_t count, uint64_t size, uint64_t* out) {
  if (count != 0 && size > (UINT64_MAX - base) / count) return false;
  *out = base + count * size;
  return true;
}

template <typename T>
std::span<const std::byte> Bytes(const T* p, size_t count) {
  return {reinterpret_cast<const std::byte*>(p), count * sizeof(T)};
}

// Calls `f` with the body's pieces in file order (everything after the
// header), padding included; stops at the first failure.
template <typename F>
Status ForEachBodyPiece(const IndexView& view, const FileLayout& layout, F&& f) {
  uint64_t at = kHeaderBytes;
  auto pad_to = [&](uint64_t target) -> Status {
    while (at < target) {
      uint64_t k = std::min<uint64_t>(target - at, sizeof kZeros);
      SG_RETURN_IF_ERROR(f(std::span<const std::byte>(kZeros, k)));
      at += k;
    }
    return Status::Ok();
  };
  SG_RETURN_IF_ERROR(pad_to(layout.hashes));
  SG_RETURN_IF_ERROR(f(Bytes(view.hashes, view.n)));
  at += view.n * sizeof(hashing::Hash256);
  if (view.n > 0) {
    SG_RETURN_IF_ERROR(pad_to(layout.offsets));
    SG_RETURN_IF_ERROR(f(Bytes(view.offsets, kTables * kOffsetsPerTable)));
    at += kTables * kOffsetsPerTable * sizeof(uint32_t);
    SG_RETURN_IF_ERROR(pad_to(layout.entries));
    SG_RETURN_IF_ERROR(f(Bytes(view.entries, kTables * view.n)));
    at += kTables * view.n * sizeof(uint32_t);
  }
  return pad_to(layout.end);
}

uint64_t HeaderChecksum(FileHeader header) {
  header.header_checksum = 0;
  return XXH3_64bits(&header, sizeof header);
}

}  // namespace

bool LayoutFor(uint64_t n, FileLayout* layout) {
  layout->hashes = kSectionAlign;
  uint64_t hashes_end;
  if (!CheckedMulAdd(layout->hashes, n, sizeof(hashing::Hash256), &hashes_end)) return false;
  if (n == 0) {
    layout->offsets = layout->entries = layout->end = hashes_end;
    return true;
  }
  uint64_t offsets_end, entries_end;
  return AlignUp(hashes_end, &layout->offsets) &&
         CheckedMulAdd(layout->offsets, kTables * kOffsetsPerTable, sizeof(uint32_t), &offsets_end) &&
         AlignUp(offsets_end, &layout->entries) &&
         CheckedMulAdd(layout->entries, n, kTables * sizeof(uint32_t), &entries_end) &&
         (layout->end = entries_end, true);
}

Status WriteIndex(const IndexView& view, uint64_t tag, const ByteSink& sink) {
  FileLayout layout;
  if (!LayoutFor(view.n, &layout)) return Internal("PdqIndex: too many hashes for the file format");
  XXH3_state_t* state = XXH3_createState();
  if (state == nullptr) return ResourceExhausted("PdqIndex: out of memory for the checksum");
  XXH3_64bits_reset(state);
  Status hashed = ForEachBodyPiece(view, layout, [&](std::span<const std::byte> piece) {
    XXH3_64bits_update(state, piece.data(), piece.size());
    return Status::Ok();
  });
  uint64_t body_checksum = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  SG_RETURN_IF_ERROR(hashed);

  FileHeader header;
  std::memset(&header, 0, sizeof header);
  std::memcpy(header.magic, kFileMagic, sizeof header.magic);
  header.version = kFileVersion;
  header.header_bytes = kHeaderBytes;
  header.count = view.n;
  header.tag = tag;
  header.tables = kTables;
  header.chunk_bits = kChunkBits;
  header.file_bytes = layout.end;
  header.body_checksum = body_checksum;
  header.header_checksum = HeaderChecksum(header);
  SG_RETURN_IF_ERROR(sink(Bytes(&header, 1)));
  return ForEachBodyPiece(view, layout, sink);
}

Result<ParsedIndex> ParseIndex(std::span<const std::byte> bytes, const std::string& name) {
  auto fail = [&](std::string reason) { return DataLoss(fmt::format("{}: {}", name, reason)); };
  if (bytes.size() < kHeaderBytes) {
    return fail(fmt::format("truncated PDQ index: {} bytes, shorter than the {}-byte header",
                            bytes.size(), kHeaderBytes));
  }
  FileHeader header;
  std::memcpy(&header, bytes.data(), sizeof header);
  if (std::memcmp(header.magic, kFileMagic, sizeof kFileMagic) != 0) {
    return fail("not a PDQ index file (bad magic)");
  }
  if (header.version != kFileVersion) {
    return fail(fmt::format("unsupported PDQ index version {} (this build reads {})", header.version,
                            kFileVersion));
  }
  if (HeaderChecksum(header) != header.header_checksum) return fail("PDQ index header checksum mismatch");
  if (header.header_bytes != kHeaderBytes || header.tables != kTables ||
      header.chunk_bits != kChunkBits) {
    return fail(fmt::format("unsupported PDQ index layout ({}-byte header, {} tables of {} bits)",
                            header.header_bytes, header.tables, header.chunk_bits));
  }
  FileLayout layout;
  if (header.count >= (uint64_t{1} << 32) || !LayoutFor(header.count, &layout)) {
    return fail(fmt::format("implausible hash count {}", header.count));
  }
  if (header.file_bytes != layout.end) {
    return fail(fmt::format("header says {} bytes but {} hashes need {}", header.file_bytes,
                            header.count, layout.end));
  }
  if (bytes.size() < layout.end) {
    return fail(fmt::format("truncated PDQ index: {} bytes, expected {}", bytes.size(), layout.end));
  }
  if (bytes.size() > layout.end) {
    return fail(fmt::format("PDQ index has {} bytes, expected {} (trailing data)", bytes.size(),
                            layout.end));
  }
  if (XXH3_64bits(bytes.data() + kHeaderBytes, layout.end - kHeaderBytes) != header.body_checksum) {
    return fail("PDQ index checksum mismatch (corrupt data)");
  }
  ParsedIndex parsed;
  parsed.tag = header.tag;
  parsed.view.n = header.count;
  parsed.view.pos_bits = PositionBits(header.count);
  parsed.view.hashes = reinterpret_cast<const hashing::Hash256*>(bytes.data() + layout.hashes);
  if (parsed.view.n > 0) {
    parsed.view.offsets = reinterpret_cast<const uint32_t*>(bytes.data() + layout.offsets);
    parsed.view.entries = reinterpret_cast<const uint32_t*>(bytes.data() + layout.entries);
  }
  if (const char* bad = ValidateOffsets(parsed.view); *bad != '\0') {
    return fail(fmt::format("corrupt PDQ index: {}", bad));
  }
  return parsed;
}

}  // namespace sg::matching::internal
