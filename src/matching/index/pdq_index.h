// PdqIndex: an immutable radius-search index over a set of PDQ hashes.
//
// Positions 0..size()-1 are the hashes in the order given to Build. Query
// returns every position whose hash is within `radius` bits of the query:
// 100% recall at every radius (tests compare it with BruteForceQuery).
// The index can be written to a file (versioned, checksummed) and opened
// again by memory-mapping it, so that a large index is ready at once.
//
// Thread safety: immutable after Build/Open; concurrent Query calls are safe.
// Ownership: an opened index owns its mapping and unmaps it on destruction.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "hashing/hash256.h"

namespace sg::matching {

struct PdqHit {
  uint32_t index = 0;  // position in the indexed set
  int distance = 0;    // Hamming distance to the query, 0..256
  friend bool operator==(const PdqHit&, const PdqHit&) = default;
};

class PdqIndex {
 public:
  PdqIndex();
  ~PdqIndex();
  PdqIndex(PdqIndex&&) noexcept;
  PdqIndex& operator=(PdqIndex&&) noexcept;

  // Builds in memory. `tag` is an opaque value kept with the index (the
  // matching module stores the list store's generation there, to detect a
  // stale index file).
  // Throws std::length_error for 2^32 hashes or more (positions are 32-bit).
  static PdqIndex Build(std::span<const hashing::Hash256> hashes, uint64_t tag = 0);
  // The same, taking the vector: its memory is freed as soon as the hashes
  // are copied into the index's own (huge-page) arrays, so a caller that is
  // done with them does not hold 320 MB per 10M hashes twice.
  static PdqIndex Build(std::vector<hashing::Hash256>&& hashes, uint64_t tag = 0);

  // Opens a file written by Write. Fails with a clear Status (kDataLoss) on a
  // bad magic, an unknown version, a truncated file or a checksum mismatch;
  // kNotFound / kIoError when the file is missing or unreadable. Reads every
  // byte once (the checksum), so queries afterwards never wait on the disk.
  static Result<PdqIndex> Open(const std::filesystem::path& path);

  // Writes atomically: a temporary file in the same directory, fsync, rename.
  Status Write(const std::filesystem::path& path) const;

  uint64_t tag() const;
  size_t size() const;
  const hashing::Hash256& hash(uint32_t index) const;

  // Appends to `out` every hit within `radius` (0..256), sorted by distance
  // then index. Fast for the radii used in matching (up to about 47);
  // correct for all.
  void Query(const hashing::Hash256& query, int radius, std::vector<PdqHit>* out) const;

  // Bytes this index occupies in memory (or mapped), for the benchmarks.
  size_t MemoryBytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The slow, obvious reference: compares the query with every hash.
std::vector<PdqHit> BruteForceQuery(std::span<const hashing::Hash256> hashes,
                                    const hashing::Hash256& query, int radius);

}  // namespace sg::matching
