// Direct transcription of the published PDQ downsampling: box1D with its four
// phases, applied along rows then columns, twice, with two full buffers.
#include "hashing/pdq_reference.h"

#include <vector>

#include "hashing/pdq_internal.h"

namespace sg::hashing {
namespace internal {
namespace {

void Box1D(const float* in, float* out, int length, int stride, int window) {
  const int half = (window + 2) / 2;
  const int phase1 = half - 1, phase2 = window - half + 1, phase3 = length - window, phase4 = half - 1;
  int li = 0, ri = 0, oi = 0, count = 0;
  float sum = 0.0f;
  for (int i = 0; i < phase1; ++i) {
    sum += in[ri];
    ++count;
    ri += stride;
  }
  for (int i = 0; i < phase2; ++i) {
    sum += in[ri];
    ++count;
    out[oi] = sum / count;
    ri += stride;
    oi += stride;
  }
  for (int i = 0; i < phase3; ++i) {
    sum += in[ri];
    sum -= in[li];
    out[oi] = sum / count;
    li += stride;
    ri += stride;
    oi += stride;
  }
  for (int i = 0; i < phase4; ++i) {
    sum -= in[li];
    --count;
    out[oi] = sum / count;
    li += stride;
    oi += stride;
  }
}

}  // namespace

void JaroszDownsampleReference(const float* plane, int rows, int cols, Grid64& out) {
  const size_t n = static_cast<size_t>(rows) * cols;
  std::vector<float> a(plane, plane + n), b(n);
  const int window_along_rows = JaroszWindow(cols, 64), window_along_cols = JaroszWindow(rows, 64);
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < rows; ++i) Box1D(&a[size_t(i) * cols], &b[size_t(i) * cols], cols, 1, window_along_rows);
    for (int j = 0; j < cols; ++j) Box1D(&b[j], &a[j], rows, cols, window_along_cols);
  }
  for (int i = 0; i < 64; ++i) {
    const int ini = DecimationIndex(i, rows, 64);
    for (int j = 0; j < 64; ++j) out[i * 64 + j] = a[size_t(ini) * cols + DecimationIndex(j, cols, 64)];
  }
}

}  // namespace internal

namespace {
bool ReferenceDct(std::span<const float> luma, int rows, int cols, internal::Grid16& dct, int& quality) {
  quality = 0;
  if (rows < kPdqMinDimension || cols < kPdqMinDimension) return false;
  internal::Grid64 grid;
  internal::JaroszDownsampleReference(luma.data(), rows, cols, grid);
  quality = internal::QualityFromGrid(grid);
  internal::Dct64To16(grid, dct);
  return true;
}
}  // namespace

PdqResult ComputePdqReference(std::span<const float> luma, int rows, int cols) {
  PdqResult r;
  internal::Grid16 dct;
  if (ReferenceDct(luma, rows, cols, dct, r.quality)) r.hash = internal::BitsFromDct(dct);
  return r;
}

PdqDihedralResult ComputePdqDihedralReference(std::span<const float> luma, int rows, int cols) {
  PdqDihedralResult r;
  internal::Grid16 dct;
  if (ReferenceDct(luma, rows, cols, dct, r.quality)) r.hashes = internal::DihedralBitsFromDct(dct);
  return r;
}

}  // namespace sg::hashing
