// The parts of PDQ after downsampling: quality, DCT, median threshold and the
// dihedral variants. Float operations are written in the reference's order
// on purpose: reordering them changes rounding, and rounding near the median
// changes bits. Do not "simplify" the arithmetic.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>

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

void LumaFromRgb(const uint8_t* rgb, int num_pixels, float* out) {
  constexpr float kR = 0.299f, kG = 0.587f, kB = 0.114f;
  for (int i = 0; i < num_pixels; ++i) {
    float r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
    out[i] = kR * r + kG * g + kB * b;
  }
}

void LumaFromGrey(const uint8_t* grey, int num_pixels, float* out) {
  for (int i = 0; i < num_pixels; ++i) out[i] = grey[i];
}

}  // namespace sg::hashing
