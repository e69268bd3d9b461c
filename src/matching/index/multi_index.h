// Multi-index hashing over PDQ hashes: the search structure behind PdqIndex.
//
// The 256 bits are cut into 16 chunks of 16 bits (chunk t is Hash256::words[t]).
// Each chunk has a table: a CSR array of 65537 offsets per table and, per
// table, one 32-bit entry per hash grouped by the chunk's value (positions
// ascending within a bucket). Memory: 32 B hash + 16 x 4 B entries = 96 B per
// hash, plus 4 MB of offsets.
//
// An entry is the position in its low `pos_bits` bits (just enough for n) and,
// in the bits left over (up to 16), a fingerprint: the low bits of the NEXT
// chunk (t + 1 mod 16). At 10M hashes that is 24 + 8 bits.
//
// Search (generalised pigeonhole): give chunk t a threshold t_t >= -1. If the
// sum of (t_t + 1) exceeds the radius, any hash within the radius has some
// chunk t within t_t bits of the query's chunk t (else the distance would be at
// least that sum). So probing every bucket within t_t flips of each chunk and
// verifying with the full distance finds every hit. For radius 31: all 16
// chunks at 1 flip (17 buckets each); for radius 0: a single bucket.
//
// Filter before verifying (the pigeonring principle): write u_t = t_t + 1, so
// sum(u_t) = radius + 1 > d = sum(d_t). The cyclic sequence d_t - u_t has a
// negative sum, so some rotation has every prefix sum negative (start just
// after the last maximum of the prefix sums). For that start i:
// d_i <= t_i, and d_i + d_(i+1) <= t_i + t_(i+1) + 1. A hit is therefore found
// from the bucket of chunk i that it sits in, where d_i is the probe's flip
// count, and d_(i+1) - which the fingerprint bounds from below - is small.
// Candidates whose fingerprint is too far are dropped without reading their
// hash: at radius 31 and 8 fingerprint bits ~85% of them, and every dropped
// candidate saves a random read into the hash array.
// When the probes would touch a large part of the set (radius >= ~60),
// a linear scan is cheaper and equally exact.
//
// Internal to sg::pdq_index: tests and the file format use it; the public API
// is pdq_index.h.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "hashing/hash256.h"
#include "matching/index/pdq_index.h"

namespace sg::matching::internal {

inline constexpr int kTables = 16;
inline constexpr int kChunkBits = 16;
inline constexpr size_t kBuckets = size_t{1} << kChunkBits;
inline constexpr size_t kOffsetsPerTable = kBuckets + 1;

// A read-only view over the arrays, owned by vectors (Build) or a mapping
// (Open). Table t's offsets are offsets[t * kOffsetsPerTable + ...], its
// positions positions[t * n + ...].
struct IndexView {
  const hashing::Hash256* hashes = nullptr;
  size_t n = 0;
  const uint32_t* offsets = nullptr;  // kTables * kOffsetsPerTable (null when n == 0)
  const uint32_t* entries = nullptr;  // kTables * n
  int pos_bits = 0;                   // PositionBits(n), or more (tests)
};

// Bits of an entry that hold the position: the fewest that can hold n - 1.
int PositionBits(size_t n);
// Fingerprint bits left in an entry with `pos_bits` position bits.
inline int FingerprintBits(int pos_bits) { return std::min(16, 32 - pos_bits); }

// Fills `offsets` (kTables * kOffsetsPerTable) and `entries` (kTables * n)
// for `hashes`, with `pos_bits` >= PositionBits(n) position bits per entry.
// n must be < 2^32; when n == 0 nothing is written (both may be null).
void BuildTables(std::span<const hashing::Hash256> hashes, int pos_bits, uint32_t* offsets,
                 uint32_t* entries);

enum class QueryPlan { kAuto, kMultiIndex, kScan };
// kBest: AVX-512 for the fingerprint filter where the CPU has it; kScalar:
// the portable loop (tests run both).
enum class Kernel { kBest, kScalar };

// Appends the hits within `radius` (clamped to 0..256), sorted by distance then
// index. Safe on any view that passed ValidateView: a position >= n (possible
// only in a crafted file with a forged checksum) is skipped, never read.
void QueryView(const IndexView& view, const hashing::Hash256& query, int radius, QueryPlan plan,
               std::vector<PdqHit>* out, Kernel kernel = Kernel::kBest);

// The plan kAuto picks for this radius and size.
QueryPlan ChoosePlan(size_t n, int radius);

// Checks the offsets of every table: start at 0, never decrease, end at n.
// Returns an empty string when valid, else the reason.
const char* ValidateOffsets(const IndexView& view);

}  // namespace sg::matching::internal
