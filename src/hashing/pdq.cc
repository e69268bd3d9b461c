#include "hashing/pdq.h"

#include <cassert>

#include "hashing/pdq_stream.h"

namespace sg::hashing {
namespace {
PdqStream StreamOf(std::span<const float> luma, int rows, int cols) {
  PdqStream stream(rows, cols);
  if (rows >= kPdqMinDimension && cols >= kPdqMinDimension) {
    assert(luma.size() >= static_cast<size_t>(rows) * cols);
    for (int i = 0; i < rows; ++i) stream.AddLumaRow(luma.data() + size_t(i) * cols);
  }
  return stream;
}
}  // namespace

PdqResult ComputePdq(std::span<const float> luma, int rows, int cols) { return StreamOf(luma, rows, cols).Finish(); }

PdqDihedralResult ComputePdqDihedral(std::span<const float> luma, int rows, int cols) {
  return StreamOf(luma, rows, cols).FinishDihedral();
}

}  // namespace sg::hashing
