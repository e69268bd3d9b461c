// AVX2 + FMA kernels of the Jarosz filter (dispatch in jarosz.cc). Along
// rows, each SIMD lane is one row: 8 rows are transposed in 8x8 tiles as
// they are read, the running sums advance one column per step, and the
// outputs are transposed back. Two groups of 8 rows run interleaved so that
// the add latency of one group's running sums hides behind the other's.
// Along columns, each lane is one column. Every lane performs box1D's float
// operations in its order; the division is the exact one of ExactQuotient
// (pdq_internal.h), so results are bit-identical to the reference.
#include <algorithm>
#include <cstring>
#include <vector>

#include "hashing/pdq_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define SG_AVX2 __attribute__((target("avx2,fma")))

namespace sg::hashing::internal {
namespace {

template <bool kRecip>
SG_AVX2 inline __m256 Quotient(__m256 x, __m256 c, __m256 y) {
  if constexpr (kRecip) {
    const __m256 q0 = _mm256_mul_ps(x, y);
    const __m256 r = _mm256_fnmadd_ps(c, q0, x);  // x - c*q0, exact
    return _mm256_fmadd_ps(r, y, q0);
  } else {
    return _mm256_div_ps(x, c);
  }
}

// r[k] = row k of an 8x8 tile  ->  r[j] = column j.
SG_AVX2 inline void Transpose8(__m256 r[8]) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Transposes columns [c0, c0 + 8) of 8 rows into ring slots (c & mask);
// columns past `cols` read as 0 (they are never used).
SG_AVX2 inline void LoadTile(const float* const* rows, int c0, int cols, float* ring, int mask) {
  __m256 r[8];
  if (c0 + 8 <= cols) {
    for (int k = 0; k < 8; ++k) r[k] = _mm256_loadu_ps(rows[k] + c0);
  } else {
    alignas(32) float tile[8][8] = {};
    for (int k = 0; k < 8; ++k) std::memcpy(tile[k], rows[k] + c0, sizeof(float) * (cols - c0));
    for (int k = 0; k < 8; ++k) r[k] = _mm256_load_ps(tile[k]);
  }
  Transpose8(r);
  for (int j = 0; j < 8; ++j) _mm256_storeu_ps(ring + size_t((c0 + j) & mask) * 8, r[j]);
}

int RingSize(int window) {
  int size = 32;
  while (size < window + 32) size *= 2;
  return size;
}

// G groups of 8 rows. kSampled: keep only outputs at sampled columns.
template <int G, bool kRecip, bool kSampled>
SG_AVX2 void BoxRowsImpl(const float* const* in, float* const* out, int n, const LineFilter& f, const int* slot_of,
                         int slots, float* sampled) {
  const int cols = f.length, half = f.half, grow = f.grow;
  const int ring_size = RingSize(f.window), mask = ring_size - 1;
  thread_local std::vector<float> ring_buf;
  if (ring_buf.size() < size_t(G) * ring_size * 8) ring_buf.resize(size_t(G) * ring_size * 8);
  float* const ring = ring_buf.data();
  const float* rin[8 * G];
  for (int k = 0; k < 8 * G; ++k) rin[k] = in[std::min(k, n - 1)];  // extra lanes: any row, unused
  auto ring_of = [&](int g) { return ring + size_t(g) * ring_size * 8; };

  int loaded = 0;  // columns transposed into the rings so far
  __m256 sum[G];
  for (int g = 0; g < G; ++g) sum[g] = _mm256_setzero_ps();
  while (loaded < half - 1) {
    for (int g = 0; g < G; ++g) LoadTile(rin + 8 * g, loaded, cols, ring_of(g), mask);
    loaded += 8;
  }
  for (int t = 0; t < half - 1; ++t) {
    for (int g = 0; g < G; ++g) sum[g] = _mm256_add_ps(sum[g], _mm256_loadu_ps(ring_of(g) + size_t(t & mask) * 8));
  }
  alignas(32) float lanes[8];
  for (int oc = 0; oc < cols; oc += 8) {
    const int m = std::min(8, cols - oc);
    const int need = std::min(oc + m + half - 1, cols);
    while (loaded < need) {
      for (int g = 0; g < G; ++g) LoadTile(rin + 8 * g, loaded, cols, ring_of(g), mask);
      loaded += 8;
    }
    __m256 res[G][8];
    for (int i = 0; i < m; ++i) {
      const int o = oc + i, ri = o + half - 1, li = o - grow;
      if (ri < cols) {
        for (int g = 0; g < G; ++g) sum[g] = _mm256_add_ps(sum[g], _mm256_loadu_ps(ring_of(g) + size_t(ri & mask) * 8));
      }
      if (li >= 0) {
        for (int g = 0; g < G; ++g) sum[g] = _mm256_sub_ps(sum[g], _mm256_loadu_ps(ring_of(g) + size_t(li & mask) * 8));
      }
      if constexpr (kSampled) {
        const int slot = slot_of[o];
        if (slot < 0) continue;
        const __m256 c = _mm256_set1_ps(f.count[o]), y = _mm256_set1_ps(f.recip[o]);
        for (int g = 0; g < G; ++g) {
          _mm256_store_ps(lanes, Quotient<kRecip>(sum[g], c, y));
          for (int k = 0; k < 8 && 8 * g + k < n; ++k) sampled[size_t(8 * g + k) * slots + slot] = lanes[k];
        }
      } else {
        const __m256 c = _mm256_broadcast_ss(&f.count[o]), y = _mm256_broadcast_ss(&f.recip[o]);
        for (int g = 0; g < G; ++g) res[g][i] = Quotient<kRecip>(sum[g], c, y);
      }
    }
    if constexpr (!kSampled) {
      for (int g = 0; g < G; ++g) {
        for (int i = m; i < 8; ++i) res[g][i] = _mm256_setzero_ps();
        Transpose8(res[g]);
        for (int k = 0; k < 8 && 8 * g + k < n; ++k) {
          if (m == 8) {
            _mm256_storeu_ps(out[8 * g + k] + oc, res[g][k]);
          } else {
            _mm256_store_ps(lanes, res[g][k]);
            std::memcpy(out[8 * g + k] + oc, lanes, sizeof(float) * m);
          }
        }
      }
    }
  }
}

template <bool kSampled>
void BoxRowsDispatch(const float* const* in, float* const* out, int n, const LineFilter& f, const int* slot_of,
                     int slots, float* sampled) {
  static_assert(kBlockRows == 16);
  for (int k0 = 0; k0 < n; k0 += kBlockRows) {
    const int nk = std::min(kBlockRows, n - k0);
    float* const* o = kSampled ? out : out + k0;
    float* s = kSampled ? sampled + size_t(k0) * slots : sampled;
    if (nk > 8) {
      f.recip_exact ? BoxRowsImpl<2, true, kSampled>(in + k0, o, nk, f, slot_of, slots, s)
                    : BoxRowsImpl<2, false, kSampled>(in + k0, o, nk, f, slot_of, slots, s);
    } else {
      f.recip_exact ? BoxRowsImpl<1, true, kSampled>(in + k0, o, nk, f, slot_of, slots, s)
                    : BoxRowsImpl<1, false, kSampled>(in + k0, o, nk, f, slot_of, slots, s);
    }
  }
}

template <bool kRecip>
SG_AVX2 void ColumnStepImpl(float* sum, const float* lead, const float* trail, float* out, float count, float recip,
                            int n) {
  const __m256 c = _mm256_set1_ps(count), y = _mm256_set1_ps(recip);
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256 s = _mm256_loadu_ps(sum + j);
    if (lead) s = _mm256_add_ps(s, _mm256_loadu_ps(lead + j));
    if (trail) s = _mm256_sub_ps(s, _mm256_loadu_ps(trail + j));
    _mm256_storeu_ps(sum + j, s);
    if (out) _mm256_storeu_ps(out + j, Quotient<kRecip>(s, c, y));
  }
  for (; j < n; ++j) {
    float s = sum[j];
    if (lead) s += lead[j];
    if (trail) s -= trail[j];
    sum[j] = s;
    if (out) out[j] = s / count;
  }
}

}  // namespace

void BoxRowsAvx2(const float* const* in, float* const* out, int n, const LineFilter& f) {
  BoxRowsDispatch<false>(in, out, n, f, nullptr, 0, nullptr);
}

void BoxRowsSampledAvx2(const float* const* in, int n, const LineFilter& f, const int* slot_of, int slots,
                        float* out) {
  BoxRowsDispatch<true>(in, nullptr, n, f, slot_of, slots, out);
}

void ColumnStepAvx2(float* sum, const float* lead, const float* trail, float* out, float count, float recip, int n) {
  if (recip > 0.0f) {
    ColumnStepImpl<true>(sum, lead, trail, out, count, recip, n);
  } else {
    ColumnStepImpl<false>(sum, lead, trail, out, count, recip, n);
  }
}

SG_AVX2 void DivideExactAvx2(const float* x, float count, float recip, float* out, int n) {
  const __m256 c = _mm256_set1_ps(count), y = _mm256_set1_ps(recip);
  int j = 0;
  for (; j + 8 <= n; j += 8) _mm256_storeu_ps(out + j, Quotient<true>(_mm256_loadu_ps(x + j), c, y));
  for (; j < n; ++j) out[j] = x[j] / count;
}

}  // namespace sg::hashing::internal

#else  // not x86-64: never called (UseAvx2Kernels() is false)

namespace sg::hashing::internal {
void BoxRowsAvx2(const float* const*, float* const*, int, const LineFilter&) {}
void BoxRowsSampledAvx2(const float* const*, int, const LineFilter&, const int*, int, float*) {}
void ColumnStepAvx2(float*, const float*, const float*, float*, float, float, int) {}
void DivideExactAvx2(const float*, float, float, float*, int) {}
}  // namespace sg::hashing::internal

#endif
