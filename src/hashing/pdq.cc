#include "hashing/pdq.h"

#include <cassert>

#include "hashing/pdq_internal.h"

namespace sg::hashing {
namespace {

bool TooSmall(int rows, int cols) { return rows < kPdqMinDimension || cols < kPdqMinDimension; }

// Returns false (and leaves `dct` alone) when the image is too small to hash.
bool DctOf(std::span<float> luma, int rows, int cols, internal::Grid16& dct, int& quality) {
  quality = 0;
  if (TooSmall(rows, cols)) return false;
  assert(luma.size() >= static_cast<size_t>(rows) * cols);
  internal::Grid64 grid;
  internal::JaroszDownsampleFast(luma.data(), rows, cols, grid);
  quality = internal::QualityFromGrid(grid);
  internal::Dct64To16(grid, dct);
  return true;
}

}  // namespace

PdqResult ComputePdq(std::span<float> luma, int rows, int cols) {
  PdqResult r;
  internal::Grid16 dct;
  if (DctOf(luma, rows, cols, dct, r.quality)) r.hash = internal::BitsFromDct(dct);
  return r;
}

PdqDihedralResult ComputePdqDihedral(std::span<float> luma, int rows, int cols) {
  PdqDihedralResult r;
  internal::Grid16 dct;
  if (DctOf(luma, rows, cols, dct, r.quality)) r.hashes = internal::DihedralBitsFromDct(dct);
  return r;
}

}  // namespace sg::hashing
