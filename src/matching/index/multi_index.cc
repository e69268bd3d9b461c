#include "matching/index/multi_index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <immintrin.h>
#include <memory>
#include <stdexcept>

namespace sg::matching::internal {
namespace {

// All 16-bit masks ordered by popcount, so the masks within t flips of a
// chunk are the first CountWithin(t) entries.
struct FlipMasks {
  std::array<uint16_t, kBuckets> masks{};
  std::array<uint32_t, kChunkBits + 2> within{};  // within[t + 1] = number of masks of weight <= t
  FlipMasks() {
    size_t k = 0;
    within[0] = 0;
    for (int w = 0; w <= kChunkBits; ++w) {
      for (uint32_t m = 0; m < kBuckets; ++m) {
        if (std::popcount(m) == w) masks[k++] = static_cast<uint16_t>(m);
      }
      within[w + 1] = static_cast<uint32_t>(k);
    }
  }
  uint32_t CountWithin(int t) const { return within[std::clamp(t, -1, kChunkBits) + 1]; }
};

const FlipMasks& Masks() {
  static const FlipMasks masks;  // thread-safe one-time initialisation
  return masks;
}

// Thresholds per chunk (see multi_index.h): the sum of (t + 1) must be
// radius + 1. Spread as evenly as possible: with u = radius + 1 = 16 q + e,
// e chunks get q flips and the others q - 1 (-1: the chunk is not probed).
// Even spreading minimises the probes, which grow steeply with the flips.
std::array<int, kTables> Thresholds(int radius) {
  int u = radius + 1;
  int q = u / kTables;
  int e = u % kTables;
  std::array<int, kTables> t{};
  for (int i = 0; i < kTables; ++i) t[i] = i < e ? q : q - 1;
  return t;
}

inline int Distance(const hashing::Hash256& a, const uint64_t q[4]) {
  uint64_t w[4];
  std::memcpy(w, a.words.data(), sizeof w);
  return std::popcount(w[0] ^ q[0]) + std::popcount(w[1] ^ q[1]) + std::popcount(w[2] ^ q[2]) +
         std::popcount(w[3] ^ q[3]);
}

inline uint32_t PositionMask(int pos_bits) {
  return pos_bits >= 32 ? ~0u : (1u << pos_bits) - 1;
}

// Grows on demand and never shrinks: one per thread (see QueryView).
struct Scratch {
  std::unique_ptr<uint32_t[]> data;
  size_t capacity = 0;
  uint32_t* Reserve(size_t used, size_t more) {
    if (used + more > capacity) {
      size_t cap = std::max(used + more, capacity * 2);
      auto bigger = std::make_unique_for_overwrite<uint32_t[]>(cap);
      if (used > 0) std::memcpy(bigger.get(), data.get(), used * sizeof(uint32_t));
      data = std::move(bigger);
      capacity = cap;
    }
    return data.get() + used;
  }
};

// Appends to `out` the positions of the entries whose fingerprint is within
// `allowed` bits of `query_fp`; returns how many. Branch-free: every entry is
// written, and the cursor advances only past those that pass.
// The popcnt clone is what runs on any x86-64 of the last 15 years; the
// default build targets baseline x86-64, which lacks the instruction.
__attribute__((target_clones("popcnt", "default"))) size_t Filter(const uint32_t* entries,
                                                                    size_t count, int pos_bits,
                                                                    uint32_t query_fp, int allowed,
                                                                    uint32_t* out) {
  const uint32_t mask = PositionMask(pos_bits);
  size_t k = 0;
  for (size_t i = 0; i < count; ++i) {
    const uint32_t e = entries[i];
    const uint32_t fp = static_cast<uint32_t>(uint64_t{e} >> pos_bits);
    out[k] = e & mask;
    k += std::popcount(fp ^ query_fp) <= allowed;
  }
  return k;
}

// The same with AVX-512 (F + VPOPCNTDQ): 16 entries per step, the kept
// positions packed with a compress. Writes whole vectors: `out` needs 15
// elements of slack past the result. The tail is read with a masked load, so
// nothing past `count` is touched.
__attribute__((target("avx512f,avx512vpopcntdq,popcnt"))) size_t FilterAvx512(
    const uint32_t* entries, size_t count, int pos_bits, uint32_t query_fp, int allowed,
    uint32_t* out) {
  const __m512i mask = _mm512_set1_epi32(static_cast<int>(PositionMask(pos_bits)));
  const __m512i qfp = _mm512_set1_epi32(static_cast<int>(query_fp));
  const __m512i limit = _mm512_set1_epi32(allowed);
  const __m128i shift = _mm_cvtsi32_si128(pos_bits);  // a count >= 32 gives 0, as wanted
  size_t k = 0;
  for (size_t i = 0; i < count; i += 16) {
    const __mmask16 live = count - i >= 16 ? __mmask16(0xffff) : __mmask16((1u << (count - i)) - 1);
    const __m512i e = _mm512_maskz_loadu_epi32(live, entries + i);
    const __m512i distance = _mm512_popcnt_epi32(_mm512_xor_si512(_mm512_maskz_srl_epi32(live, e, shift), qfp));
    const __mmask16 keep = _mm512_mask_cmple_epi32_mask(live, distance, limit);
    _mm512_storeu_si512(out + k, _mm512_maskz_compress_epi32(keep, _mm512_and_si512(e, mask)));
    k += static_cast<size_t>(std::popcount(static_cast<unsigned>(keep)));
  }
  return k;
}

using FilterFn = size_t (*)(const uint32_t*, size_t, int, uint32_t, int, uint32_t*);

FilterFn PickFilter(Kernel kernel) {
  static const bool avx512 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
  }();
  return kernel == Kernel::kBest && avx512 ? FilterAvx512 : Filter;
}

// How far ahead to prefetch the hash of a candidate. Verification is a
// random read into the hash array (320 MB at 10M hashes), so the loop is
// bound by memory latency unless many reads are in flight at once.
constexpr size_t kPrefetchAhead = 20;

__attribute__((target_clones("popcnt", "default"))) void Verify(
    const hashing::Hash256* hashes, size_t n, const uint32_t* cand, size_t count,
    const uint64_t q[4], int radius, std::vector<PdqHit>* out) {
  for (size_t i = 0; i < count; ++i) {
    if (i + kPrefetchAhead < count) __builtin_prefetch(hashes + cand[i + kPrefetchAhead]);
    uint32_t p = cand[i];
    if (p >= n) continue;  // only in a crafted file; never read out of bounds
    int d = Distance(hashes[p], q);
    if (d <= radius) out->push_back({p, d});
  }
}

__attribute__((target_clones("popcnt", "default"))) void Scan(const hashing::Hash256* hashes,
                                                                 size_t n, const uint64_t q[4],
                                                                 int radius,
                                                                 std::vector<PdqHit>* out) {
  for (size_t i = 0; i < n; ++i) {
    int d = Distance(hashes[i], q);
    if (d <= radius) out->push_back({static_cast<uint32_t>(i), d});
  }
}

void SortAndDedupe(std::vector<PdqHit>* out, size_t from) {
  auto first = out->begin() + static_cast<std::ptrdiff_t>(from);
  std::sort(first, out->end(), [](const PdqHit& a, const PdqHit& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.index < b.index;
  });
  out->erase(std::unique(first, out->end()), out->end());
}

}  // namespace

int PositionBits(size_t n) { return n <= 1 ? 0 : std::bit_width(n - 1); }

void BuildTables(std::span<const hashing::Hash256> hashes, int pos_bits, uint32_t* offsets,
                 uint32_t* entries) {
  const size_t n = hashes.size();
  if (n == 0) return;  // an empty index has no tables (IndexView)
  if (n >= (size_t{1} << 32)) throw std::length_error("PdqIndex: at most 2^32 - 1 hashes");
  if (pos_bits < PositionBits(n) || pos_bits > 32) throw std::invalid_argument("PdqIndex: bad pos_bits");
  const uint32_t fp_mask = (1u << FingerprintBits(pos_bits)) - 1;
  for (int t = 0; t < kTables; ++t) {
    const int next = (t + 1) % kTables;
    uint32_t* off = offsets + t * kOffsetsPerTable;
    uint32_t* out = entries + t * n;
    std::fill(off, off + kOffsetsPerTable, 0u);
    for (const auto& h : hashes) ++off[h.words[t] + 1];
    for (size_t b = 0; b < kBuckets; ++b) off[b + 1] += off[b];
    // Counting sort, stable: positions ascend within a bucket. `off[b]` is
    // used as the cursor and ends at the bucket's end, i.e. the next
    // bucket's start, so one shift afterwards restores the starts.
    for (size_t i = 0; i < n; ++i) {
      const hashing::Hash256& h = hashes[i];
      const uint32_t fp = h.words[next] & fp_mask;
      out[off[h.words[t]]++] = static_cast<uint32_t>(i) | static_cast<uint32_t>(uint64_t{fp} << pos_bits);
    }
    std::memmove(off + 1, off, kBuckets * sizeof(uint32_t));
    off[0] = 0;
  }
}

QueryPlan ChoosePlan(size_t n, int radius) {
  if (n == 0) return QueryPlan::kScan;
  radius = std::clamp(radius, 0, 256);
  const FlipMasks& m = Masks();
  double probes = 0;
  for (int t : Thresholds(radius)) probes += m.CountWithin(t);
  double candidates = probes * static_cast<double>(n) / kBuckets;
  // Rough costs in units of scanning one hash sequentially (~32 bytes of
  // streaming): a bucket probe is two dependent random reads, a candidate one
  // random read (overlapped with others) plus its position.
  double index_cost = 6 * probes + 3.5 * candidates;
  return index_cost < static_cast<double>(n) ? QueryPlan::kMultiIndex : QueryPlan::kScan;
}

void QueryView(const IndexView& view, const hashing::Hash256& query, int radius, QueryPlan plan,
               std::vector<PdqHit>* out, Kernel kernel) {
  if (radius < 0 || view.n == 0) return;
  radius = std::min(radius, 256);
  if (plan == QueryPlan::kAuto) plan = ChoosePlan(view.n, radius);
  uint64_t q[4];
  std::memcpy(q, query.words.data(), sizeof q);
  const size_t from = out->size();
  if (plan == QueryPlan::kScan) {
    Scan(view.hashes, view.n, q, radius, out);
    SortAndDedupe(out, from);
    return;
  }
  // Per thread, so concurrent queries never share it; reused so that a query
  // does not allocate (or fault in) a fresh buffer of candidates.
  thread_local Scratch scratch;
  size_t count = 0;
  const FlipMasks& m = Masks();
  const std::array<int, kTables> thresholds = Thresholds(radius);
  const int fp_bits = FingerprintBits(view.pos_bits);
  const uint32_t fp_mask = (1u << fp_bits) - 1;
  const FilterFn filter = PickFilter(kernel);
  for (int t = 0; t < kTables; ++t) {
    if (thresholds[t] < 0) continue;
    const int next = (t + 1) % kTables;
    const uint32_t* off = view.offsets + t * kOffsetsPerTable;
    const uint32_t* entries = view.entries + t * view.n;
    const uint16_t key = query.words[t];
    const uint32_t query_fp = query.words[next] & fp_mask;
    // Probes in order of flip count w: a hit found here through its ring
    // start has d_next <= t_t + t_next + 1 - w (multi_index.h); anything
    // more than that many fingerprint bits away cannot be such a hit.
    for (int w = 0; w <= thresholds[t]; ++w) {
      const int allowed = std::min(thresholds[t] + thresholds[next] + 1 - w, fp_bits);
      for (uint32_t k = m.CountWithin(w - 1); k < m.CountWithin(w); ++k) {
        const uint32_t bucket = key ^ m.masks[k];
        const uint32_t begin = off[bucket], end = off[bucket + 1];
        uint32_t* dst = scratch.Reserve(count, end - begin + 16);  // + 16: FilterAvx512
        count += filter(entries + begin, end - begin, view.pos_bits, query_fp, allowed, dst);
      }
    }
  }
  Verify(view.hashes, view.n, scratch.data.get(), count, q, radius, out);
  SortAndDedupe(out, from);
}

const char* ValidateOffsets(const IndexView& view) {
  if (view.n == 0) return "";
  for (int t = 0; t < kTables; ++t) {
    const uint32_t* off = view.offsets + t * kOffsetsPerTable;
    if (off[0] != 0) return "a table's offsets do not start at 0";
    for (size_t b = 0; b < kBuckets; ++b) {
      if (off[b + 1] < off[b]) return "a table's offsets decrease";
    }
    if (off[kBuckets] != view.n) return "a table's offsets do not end at the hash count";
  }
  return "";
}

}  // namespace sg::matching::internal
