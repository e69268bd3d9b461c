// Pieces of PDQ shared by the fast path (pdq.cc, jarosz.cc) and the
// reference path (pdq_reference.cc). Not part of the public interface.
#pragma once

#include <array>
#include <cstdint>

#include "hashing/hash256.h"

// Hot kernels are compiled twice, for AVX2 and for baseline x86-64, and the
// loader picks one. Both are bit-identical: lanes are independent, nothing is
// reassociated, and fused multiply-add is off (-ffp-contract=off).
#if defined(__x86_64__) && !defined(__clang__)
#define SG_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define SG_MULTIVERSION
#endif

namespace sg::hashing::internal {

using Grid64 = std::array<float, 64 * 64>;  // row-major 64x64
using Grid16 = std::array<float, 16 * 16>;  // row-major 16x16

// Box window for shrinking old_dim to about new_dim samples: the reference's
// (old + 2*new - 1) / (2*new).
int JaroszWindow(int old_dim, int new_dim);

// Index of the input sample picked for output sample i of n (of in_dim):
// the reference's (int)(((i + 0.5) * in_dim) / n), in double.
int DecimationIndex(int i, int in_dim, int n);

// Two passes of the Jarosz filter over the plane, then 64x64 decimation, with
// two full buffers, kept obvious (the fast path is PdqStream).
void JaroszDownsampleReference(const float* plane, int rows, int cols, Grid64& out);

// The four phases of the reference's box1D over a line of `length` values.
struct Phases {
  int grow_silent, grow, full, shrink;
};
Phases PhasesFor(int length, int window);

// Filter kernels (jarosz.cc), bit-identical to box1D:
inline constexpr int kLanes = 8;
// kLanes independent lines interleaved as in[t * kLanes + k].
void BoxInterleaved(const float* in, float* out, int length, int window);
// Along the columns of a rows x cols plane, in place.
void ColPassInPlace(float* plane, int rows, int cols, int window);
// Element-wise steps of the column filter over n columns.
void AddRow(float* sum, const float* row, int n);
void SlideRow(float* sum, const float* leading, const float* trailing, int n);  // + leading, then - trailing
void SubtractRow(float* sum, const float* row, int n);
void DivideRow(float* out, const float* sum, float count, int n);
// Along n <= kLanes rows, outputs only at sampled columns (slot_of[c] >= 0)
// into out[k * slots + slot].
void RowPassSampled(const float* const* rows, int n, int cols, int window, const int* slot_of, int slots,
                    float* out);

int QualityFromGrid(const Grid64& g);
void Dct64To16(const Grid64& in, Grid16& out);
Hash256 BitsFromDct(const Grid16& dct);
// The DCT of a rotated or flipped image is a sign change and/or transpose of
// the original's, so all eight hashes come from one DCT.
std::array<Hash256, 8> DihedralBitsFromDct(const Grid16& dct);

// CPU dispatch, exposed so tests can check the SIMD path against the
// portable one on the same input.
bool HasAvx2();
void LumaFromRgbPortable(const uint8_t* rgb, int num_pixels, float* out);

}  // namespace sg::hashing::internal
