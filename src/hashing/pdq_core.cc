// The parts of PDQ after downsampling: quality, DCT, median threshold and the
// dihedral variants. Float operations are written in the reference's order
// on purpose: reordering them changes rounding, and rounding near the median
// changes bits. Do not "simplify" the arithmetic.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <numbers>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "hashing/pdq.h"
#include "hashing/pdq_internal.h"

namespace sg::hashing {
namespace internal {
namespace {

// D[i][j] = sqrt(2/64) cos(pi/128 (i+1)(2j+1)), rows 1..16 of the DCT-II
// basis (row 0, the DC term, carries no structure and is skipped).
const std::array<float, 16 * 64>& DctMatrix() {
  static const std::array<float, 16 * 64> matrix = [] {
    std::array<float, 16 * 64> m{};
    const double scale = std::sqrt(2.0 / 64.0);
    for (int i = 0; i < 16; ++i) {
      for (int j = 0; j < 64; ++j) {
        m[i * 64 + j] = static_cast<float>(scale * std::cos((std::numbers::pi / 2 / 64.0) * (i + 1) * (2 * j + 1)));
      }
    }
    return m;
  }();
  return matrix;
}

}  // namespace

int JaroszWindow(int old_dim, int new_dim) { return (old_dim + 2 * new_dim - 1) / (2 * new_dim); }

int DecimationIndex(int i, int in_dim, int n) { return static_cast<int>(((i + 0.5) * in_dim) / n); }

int QualityFromGrid(const Grid64& g) {
  int gradient_sum = 0;
  for (int i = 0; i < 63; ++i) {
    for (int j = 0; j < 64; ++j) {
      float u = g[i * 64 + j], v = g[(i + 1) * 64 + j];
      int d = static_cast<int>(((u - v) * 100) / 255);
      gradient_sum += std::abs(d);
    }
  }
  for (int i = 0; i < 64; ++i) {
    for (int j = 0; j < 63; ++j) {
      float u = g[i * 64 + j], v = g[i * 64 + j + 1];
      int d = static_cast<int>(((u - v) * 100) / 255);
      gradient_sum += std::abs(d);
    }
  }
  // The reference's heuristic scale: 90 gradient units per quality point.
  return std::min(gradient_sum / 90, 100);
}

void Dct64To16(const Grid64& a, Grid16& out) {
  const auto& d = DctMatrix();
  // T = D A (16x64), then B = T D^T (16x16); sums accumulate in k order.
  std::array<float, 16 * 64> t;
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 64; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < 64; ++k) sum += d[i * 64 + k] * a[k * 64 + j];
      t[i * 64 + j] = sum;
    }
  }
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 16; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < 64; ++k) sum += t[i * 64 + k] * d[j * 64 + k];
      out[i * 16 + j] = sum;
    }
  }
}

Hash256 BitsFromDct(const Grid16& dct) {
  // The median is the 128th smallest of the 256 values (the lower median, as
  // the reference's Torben selection returns); a bit is set when strictly
  // greater, so a flat image gives all zeros.
  Grid16 sorted = dct;
  std::nth_element(sorted.begin(), sorted.begin() + 127, sorted.end());
  const float median = sorted[127];
  Hash256 h;
  for (int k = 0; k < 256; ++k) {
    if (dct[k] > median) h.SetBit(k);
  }
  return h;
}

std::array<Hash256, 8> DihedralBitsFromDct(const Grid16& a) {
  // Basis row i is frequency i+1, so mirroring an axis negates the
  // coefficients whose frequency is odd, i.e. whose index is even.
  std::array<Hash256, 8> out;
  Grid16 b;
  auto each = [&](auto f) {
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 16; ++j) f(i, j, a[i * 16 + j]);
  };
  out[0] = BitsFromDct(a);
  each([&](int i, int j, float v) { b[j * 16 + i] = (j & 1) ? v : -v; });
  out[1] = BitsFromDct(b);  // rotate 90
  each([&](int i, int j, float v) { b[i * 16 + j] = ((i + j) & 1) ? -v : v; });
  out[2] = BitsFromDct(b);  // rotate 180
  each([&](int i, int j, float v) { b[j * 16 + i] = (i & 1) ? v : -v; });
  out[3] = BitsFromDct(b);  // rotate 270
  each([&](int i, int j, float v) { b[i * 16 + j] = (i & 1) ? v : -v; });
  out[4] = BitsFromDct(b);  // flip x
  each([&](int i, int j, float v) { b[i * 16 + j] = (j & 1) ? v : -v; });
  out[5] = BitsFromDct(b);  // flip y
  each([&](int i, int j, float v) { b[j * 16 + i] = v; });
  out[6] = BitsFromDct(b);  // flip about the main diagonal
  each([&](int i, int j, float v) { b[j * 16 + i] = ((i + j) & 1) ? -v : v; });
  out[7] = BitsFromDct(b);  // flip about the other diagonal
  return out;
}

}  // namespace internal

namespace {
constexpr float kR = 0.299f, kG = 0.587f, kB = 0.114f;

void LumaFromRgbScalar(const uint8_t* rgb, int num_pixels, float* out) {
  for (int i = 0; i < num_pixels; ++i, rgb += 3) {
    const float r = rgb[0], g = rgb[1], b = rgb[2];
    out[i] = kR * r + kG * g + kB * b;
  }
}

#if defined(__x86_64__)
// 16 pixels at a time: three byte shuffles split the interleaved RGB into
// planes, which widen to floats; the products and sums are the scalar
// version's, in its order, so the result is bit-identical.
__attribute__((target("avx2"))) void LumaFromRgbAvx2(const uint8_t* rgb, int num_pixels, float* out) {
  // masks[c][s][k]: byte of source block s that holds channel c of pixel k.
  static const auto masks = [] {
    std::array<std::array<std::array<int8_t, 16>, 3>, 3> m{};
    for (int c = 0; c < 3; ++c)
      for (int s = 0; s < 3; ++s)
        for (int k = 0; k < 16; ++k) {
          const int byte = 3 * k + c - 16 * s;
          m[c][s][k] = static_cast<int8_t>(byte >= 0 && byte < 16 ? byte : -128);
        }
    return m;
  }();
  __m128i m[3][3];
  for (int c = 0; c < 3; ++c)
    for (int s = 0; s < 3; ++s) m[c][s] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(masks[c][s].data()));
  const __m256 vr = _mm256_set1_ps(kR), vg = _mm256_set1_ps(kG), vb = _mm256_set1_ps(kB);
  int i = 0;
  for (; i + 16 <= num_pixels; i += 16, rgb += 48) {
    const __m128i a0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rgb));
    const __m128i a1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rgb + 16));
    const __m128i a2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rgb + 32));
    __m128i ch[3];
    for (int c = 0; c < 3; ++c) {
      ch[c] = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a0, m[c][0]), _mm_shuffle_epi8(a1, m[c][1])),
                           _mm_shuffle_epi8(a2, m[c][2]));
    }
    for (int half = 0; half < 2; ++half) {
      __m256 f[3];
      for (int c = 0; c < 3; ++c) {
        f[c] = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(half ? _mm_srli_si128(ch[c], 8) : ch[c]));
      }
      const __m256 y =
          _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(vr, f[0]), _mm256_mul_ps(vg, f[1])), _mm256_mul_ps(vb, f[2]));
      _mm256_storeu_ps(out + i + 8 * half, y);
    }
  }
  LumaFromRgbScalar(rgb, num_pixels - i, out + i);
}

// 32 pixels at a time: one two-source byte permute per channel picks its 32
// bytes out of the 96; then as above, 16 lanes wide. Same operations in the
// same order, so bit-identical again.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) void LumaFromRgbAvx512(const uint8_t* rgb, int num_pixels,
                                                                              float* out) {
  static const auto index = [] {
    std::array<std::array<uint8_t, 64>, 3> m{};
    for (int c = 0; c < 3; ++c)
      for (int k = 0; k < 32; ++k) m[c][k] = static_cast<uint8_t>(3 * k + c);  // byte 64+ is the second source
    return m;
  }();
  __m512i idx[3];
  for (int c = 0; c < 3; ++c) idx[c] = _mm512_loadu_si512(index[c].data());
  const __m512 vr = _mm512_set1_ps(kR), vg = _mm512_set1_ps(kG), vb = _mm512_set1_ps(kB);
  int i = 0;
  for (; i + 32 <= num_pixels; i += 32, rgb += 96) {
    const __m512i a0 = _mm512_loadu_si512(rgb);
    const __m512i a1 = _mm512_maskz_loadu_epi8(0xFFFFFFFFull, rgb + 64);  // bytes 64..95 only
    __m512i ch[3];
    for (int c = 0; c < 3; ++c) ch[c] = _mm512_permutex2var_epi8(a0, idx[c], a1);
    for (int half = 0; half < 2; ++half) {
      __m512 f[3];
      for (int c = 0; c < 3; ++c) {
        // (maskz forms: GCC 12's plain ones warn about their undefined pass-through)
        const __m128i bytes = half ? _mm512_maskz_extracti32x4_epi32(0xF, ch[c], 1)
                                   : _mm512_maskz_extracti32x4_epi32(0xF, ch[c], 0);
        f[c] = _mm512_maskz_cvtepi32_ps(0xFFFF, _mm512_maskz_cvtepu8_epi32(0xFFFF, bytes));
      }
      const __m512 y =
          _mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(vr, f[0]), _mm512_mul_ps(vg, f[1])), _mm512_mul_ps(vb, f[2]));
      _mm512_storeu_ps(out + i + 16 * half, y);
    }
  }
  LumaFromRgbScalar(rgb, num_pixels - i, out + i);
}

bool HasAvx512Vbmi() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                          __builtin_cpu_supports("avx512vbmi");
  return has;
}
#endif

}  // namespace

namespace internal {
bool HasAvx2() {
#if defined(__x86_64__)
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
#else
  return false;
#endif
}
void LumaFromRgbPortable(const uint8_t* rgb, int num_pixels, float* out) { LumaFromRgbScalar(rgb, num_pixels, out); }

bool LumaFromRgbWith(LumaKernel kernel, const uint8_t* rgb, int num_pixels, float* out) {
  switch (kernel) {
    case LumaKernel::kPortable:
      LumaFromRgbScalar(rgb, num_pixels, out);
      return true;
#if defined(__x86_64__)
    case LumaKernel::kAvx2:
      if (!HasAvx2()) return false;
      LumaFromRgbAvx2(rgb, num_pixels, out);
      return true;
    case LumaKernel::kAvx512:
      if (!HasAvx512Vbmi()) return false;
      LumaFromRgbAvx512(rgb, num_pixels, out);
      return true;
#endif
    default:
      return false;
  }
}
}  // namespace internal

void LumaFromRgb(const uint8_t* rgb, int num_pixels, float* out) {
#if defined(__x86_64__)
  if (HasAvx512Vbmi()) return LumaFromRgbAvx512(rgb, num_pixels, out);
  if (internal::HasAvx2()) return LumaFromRgbAvx2(rgb, num_pixels, out);
#endif
  LumaFromRgbScalar(rgb, num_pixels, out);
}

void LumaFromGrey(const uint8_t* grey, int num_pixels, float* out) {
  for (int i = 0; i < num_pixels; ++i) out[i] = grey[i];
}

}  // namespace sg::hashing
