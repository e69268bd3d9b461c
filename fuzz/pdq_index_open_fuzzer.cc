// PdqIndex files through the parser behind PdqIndex::Open, then queries on
// whatever it accepts: must never crash or read out of bounds, must reject
// with kDataLoss, and an accepted index must answer with valid, sorted hits.
//
// Input, by its first byte (mode):
//   mode % 3 == 0  raw: the rest is a whole index file.
//   otherwise      recipe: byte 1 = n (0..31), then n x 32 bytes of hashes
//                  and 8 of tag (zero when short), then 6-byte mutations
//                  {u32 offset, u8 xor, u8 op}. A valid file for those hashes
//                  is written and mutated (op & 1: truncate at offset; op & 2:
//                  the offset falls in the 128-byte header). With mode % 3 ==
//                  2 both checksums are recomputed after mutating, so the
//                  structural checks and the queries behind them are reached.
// A valid file with n >= 1 is over 4 MB (the offsets), hence the recipes: the
// seeds stay a few hundred bytes.
#include <xxhash.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "matching/index/index_file.h"
#include "matching/index/multi_index.h"

namespace {

using sg::hashing::Hash256;
namespace internal = sg::matching::internal;

void CheckQueries(const internal::ParsedIndex& parsed) {
  const internal::IndexView& v = parsed.view;
  Hash256 queries[3] = {};
  if (v.n > 0) queries[1] = v.hashes[0];
  queries[2].words.fill(0x5555);
  for (const Hash256& q : queries) {
    for (int radius : {0, 31, 70}) {
      for (auto plan : {internal::QueryPlan::kMultiIndex, internal::QueryPlan::kScan}) {
        // Past radius 31 the index path runs no new code (more probes of the
        // same loops, ~24k buckets at 70): scan only, to keep inputs quick.
        if (radius > 31 && plan == internal::QueryPlan::kMultiIndex) continue;
        std::vector<sg::matching::PdqHit> hits;
        internal::QueryView(v, q, radius, plan, &hits);
        for (size_t i = 0; i < hits.size(); ++i) {
          const auto& h = hits[i];
          if (h.index >= v.n || h.distance > radius ||
              h.distance != sg::hashing::HammingDistance(v.hashes[h.index], q)) {
            std::abort();
          }
          if (i > 0 && !(hits[i - 1].distance < h.distance ||
                         (hits[i - 1].distance == h.distance && hits[i - 1].index < h.index))) {
            std::abort();
          }
        }
      }
    }
  }
}

void Parse(const std::vector<uint32_t>& storage, size_t size) {
  std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(storage.data()), size);
  auto parsed = internal::ParseIndex(bytes, "fuzz.pdqidx");
  if (!parsed.ok()) {
    if (parsed.status().code() != sg::StatusCode::kDataLoss) std::abort();
    if (parsed.status().message().rfind("fuzz.pdqidx: ", 0) != 0) std::abort();
    return;
  }
  CheckQueries(*parsed);
}

void FixChecksums(std::vector<uint32_t>* storage, size_t size) {
  if (size < internal::kHeaderBytes) return;
  auto* bytes = reinterpret_cast<unsigned char*>(storage->data());
  internal::FileHeader header;
  std::memcpy(&header, bytes, sizeof header);
  header.body_checksum = XXH3_64bits(bytes + internal::kHeaderBytes, size - internal::kHeaderBytes);
  header.header_checksum = 0;
  header.header_checksum = XXH3_64bits(&header, sizeof header);
  std::memcpy(bytes, &header, sizeof header);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] % 3;
  ++data;
  --size;
  std::vector<uint32_t> storage;  // 4-byte aligned, as a mapping would be
  if (mode == 0) {
    storage.resize((size + 3) / 4);
    if (size > 0) std::memcpy(storage.data(), data, size);
    Parse(storage, size);
    return 0;
  }
  if (size == 0) return 0;
  const size_t n = data[0] % 32;
  ++data;
  --size;
  std::vector<Hash256> hashes(n);
  uint64_t tag = 0;
  {
    const size_t take = std::min(size, n * 32 + 8);
    std::vector<uint8_t> head(n * 32 + 8, 0);
    if (take > 0) std::memcpy(head.data(), data, take);
    if (n > 0) std::memcpy(hashes.data(), head.data(), n * 32);
    std::memcpy(&tag, head.data() + n * 32, 8);
    data += take;
    size -= take;
  }
  // A valid file for these hashes, written by the real writer.
  std::vector<uint32_t> offsets(n > 0 ? internal::kTables * internal::kOffsetsPerTable : 0);
  std::vector<uint32_t> entries(internal::kTables * n);
  internal::BuildTables(hashes, internal::PositionBits(n), offsets.data(), entries.data());
  internal::IndexView view{hashes.data(), n, offsets.data(), entries.data(), internal::PositionBits(n)};
  std::string file;
  if (!internal::WriteIndex(view, tag, [&](std::span<const std::byte> b) {
         file.append(reinterpret_cast<const char*>(b.data()), b.size());
         return sg::Status::Ok();
       }).ok()) {
    std::abort();
  }
  size_t file_size = file.size();
  storage.resize((file_size + 3) / 4);
  std::memcpy(storage.data(), file.data(), file_size);
  auto* bytes = reinterpret_cast<uint8_t*>(storage.data());
  for (; size >= 6 && file_size > 0; data += 6, size -= 6) {
    uint32_t offset;
    std::memcpy(&offset, data, 4);
    const uint8_t x = data[4], op = data[5];
    size_t at = (op & 2) ? offset % std::min(file_size, internal::kHeaderBytes) : offset % file_size;
    if (op & 1) {
      file_size = at;
    } else {
      bytes[at] ^= x;
    }
  }
  if (mode == 2) FixChecksums(&storage, file_size);
  Parse(storage, file_size);
  return 0;
}
