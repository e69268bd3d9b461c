// Pieces of PDQ shared by the fast path (pdq.cc, jarosz.cc) and the
// reference path (pdq_reference.cc). Not part of the public interface.
#pragma once

#include <array>

#include "hashing/hash256.h"

namespace sg::hashing::internal {

using Grid64 = std::array<float, 64 * 64>;  // row-major 64x64
using Grid16 = std::array<float, 16 * 16>;  // row-major 16x16

// Box window for shrinking old_dim to about new_dim samples: the reference's
// (old + 2*new - 1) / (2*new).
int JaroszWindow(int old_dim, int new_dim);

// Index of the input sample picked for output sample i of n (of in_dim):
// the reference's (int)(((i + 0.5) * in_dim) / n), in double.
int DecimationIndex(int i, int in_dim, int n);

// Two passes of the Jarosz filter over the plane, then 64x64 decimation.
// Fast: overwrites the plane. Reference: two full buffers, kept obvious.
void JaroszDownsampleFast(float* plane, int rows, int cols, Grid64& out);
void JaroszDownsampleReference(const float* plane, int rows, int cols, Grid64& out);

int QualityFromGrid(const Grid64& g);
void Dct64To16(const Grid64& in, Grid16& out);
Hash256 BitsFromDct(const Grid16& dct);
// The DCT of a rotated or flipped image is a sign change and/or transpose of
// the original's, so all eight hashes come from one DCT.
std::array<Hash256, 8> DihedralBitsFromDct(const Grid16& dct);

}  // namespace sg::hashing::internal
