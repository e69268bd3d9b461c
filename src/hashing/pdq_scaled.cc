#include "hashing/pdq_scaled.h"

#include <algorithm>

namespace sg::hashing {

// Along one axis of full_length values the exact PDQ computes, for sample
// i, y = A(A(x))[d_i]: A is box1D (window W, divided by the count of
// values inside the line), d_i the decimation index. Its weights over x are
// row d_i of A*A: spread the unit vector at d_i back through A twice. A
// given pixel k stands for full pixels [k*scale, (k+1)*scale): its weight
// is the sum of theirs.
PdqScaledStream::Axis PdqScaledStream::AxisWeights(int length, int full_length, int scale) {
  Axis axis;
  const int n = full_length;
  const internal::LineFilter f(n, internal::JaroszWindow(n, 64));
  // Output o of box1D averages input [lo(o), hi(o)].
  auto lo = [&](int o) { return std::max(o - f.grow + 1, 0); };
  auto hi = [&](int o) { return std::min(o + f.half - 1, n - 1); };
  std::vector<double> once(n, 0.0), twice(n, 0.0);
  for (int i = 0; i < 64; ++i) {
    const int d = internal::DecimationIndex(i, n, 64);
    // A^T e_d, then A^T again; both stay within a few windows of d.
    const int a0 = lo(d), a1 = hi(d);
    for (int t = a0; t <= a1; ++t) once[t] = 1.0 / (a1 - a0 + 1);
    const int b0 = lo(a0), b1 = hi(a1);
    for (int t = a0; t <= a1; ++t) {
      const double share = once[t] / (hi(t) - lo(t) + 1);
      for (int u = lo(t); u <= hi(t); ++u) twice[u] += share;
    }
    Axis::Sample& s = axis.samples[i];
    s.first = std::min(b0 / scale, length - 1);
    const int last = std::min(b1 / scale, length - 1);
    s.weights.assign(last - s.first + 1, 0.0);
    for (int u = b0; u <= b1; ++u) s.weights[std::min(u / scale, length - 1) - s.first] += twice[u];
    std::fill(once.begin() + a0, once.begin() + a1 + 1, 0.0);
    std::fill(twice.begin() + b0, twice.begin() + b1 + 1, 0.0);
  }
  return axis;
}

PdqScaledStream::PdqScaledStream(int rows, int cols, int full_rows, int full_cols, int scale)
    : rows_(std::max(rows, 0)), cols_(std::max(cols, 0)),
      too_small_(full_rows < kPdqMinDimension || full_cols < kPdqMinDimension || rows < 1 || cols < 1) {
  if (too_small_) return;
  along_rows_ = AxisWeights(cols_, full_cols, scale);
  along_cols_ = AxisWeights(rows_, full_rows, scale);
  luma_.assign(cols_, 0.0f);
  grid_.assign(64 * 64, 0.0);
}

void PdqScaledStream::AddRgbRow(const uint8_t* rgb) {
  if (too_small_ || added_ >= rows_) return;
  LumaFromRgb(rgb, cols_, luma_.data());
  RowDone();
}

void PdqScaledStream::AddGreyRow(const uint8_t* grey) {
  if (too_small_ || added_ >= rows_) return;
  LumaFromGrey(grey, cols_, luma_.data());
  RowDone();
}

void PdqScaledStream::AddLumaRow(const float* luma) {
  if (too_small_ || added_ >= rows_) return;
  std::copy(luma, luma + cols_, luma_.data());
  RowDone();
}

// Row r adds weight_i(r) * (its 64 column samples) to every grid row i
// whose weights reach it.
void PdqScaledStream::RowDone() {
  const int r = added_++;
  double across[64];
  for (int j = 0; j < 64; ++j) {
    const Axis::Sample& s = along_rows_.samples[j];
    double sum = 0.0;
    for (size_t k = 0; k < s.weights.size(); ++k) sum += s.weights[k] * luma_[s.first + k];
    across[j] = sum;
  }
  for (int i = 0; i < 64; ++i) {
    const Axis::Sample& s = along_cols_.samples[i];
    if (r < s.first || r >= s.first + static_cast<int>(s.weights.size())) continue;
    const double w = s.weights[r - s.first];
    for (int j = 0; j < 64; ++j) grid_[i * 64 + j] += w * across[j];
  }
}

bool PdqScaledStream::FinishGrid(internal::Grid64& grid) {
  if (too_small_) return false;
  // Rows never added count as black, as in PdqStream.
  for (int k = 0; k < 64 * 64; ++k) grid[k] = static_cast<float>(grid_[k]);
  return true;
}

PdqResult PdqScaledStream::Finish() {
  PdqResult r;
  internal::Grid64 grid;
  if (!FinishGrid(grid)) return r;
  r.quality = internal::QualityFromGrid(grid);
  internal::Grid16 dct;
  internal::Dct64To16(grid, dct);
  r.hash = internal::BitsFromDct(dct);
  return r;
}

PdqDihedralResult PdqScaledStream::FinishDihedral() {
  PdqDihedralResult r;
  internal::Grid64 grid;
  if (!FinishGrid(grid)) return r;
  r.quality = internal::QualityFromGrid(grid);
  internal::Grid16 dct;
  internal::Dct64To16(grid, dct);
  r.hashes = internal::DihedralBitsFromDct(dct);
  return r;
}

}  // namespace sg::hashing
