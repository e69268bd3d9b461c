// Pieces of PDQ shared by the fast path (pdq.cc, jarosz.cc) and the
// reference path (pdq_reference.cc). Not part of the public interface.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

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

// box1D along a line of `length` values with a window of `window`, laid out
// per output index o: the running sum first adds in[o + half - 1] (when that
// is inside the line: the leading edge), then subtracts in[o - grow] (when
// that is >= 0: the trailing edge), then out[o] = sum / count[o]. Before o =
// 0 it adds in[0 .. half - 2] silently. These are the reference's operations
// in its order, merely indexed by output.
struct LineFilter {
  LineFilter() = default;
  LineFilter(int length, int window);
  int length = 0, window = 0, half = 0, grow = 0;
  std::vector<float> count;  // count[o], the divisor of output o
  std::vector<float> recip;  // RN(1 / count[o]); see ExactQuotient
  bool recip_exact = false;  // every count <= kMaxExactReciprocalDivisor
};

// x / c, correctly rounded, from y = RN(1/c) with one multiply and two fused
// multiply-adds: q0 = x*y, r = x - c*q0 (exact in a fused multiply-add),
// q = q0 + r*y. This is the IEEE quotient itself, not an approximation:
// checked for every float mantissa against every divisor 1..4096 (the
// result scales exactly with the exponent of x and with powers of two in c;
// PDQ's sums are never subnormal). Used only for counts up to this bound.
inline constexpr int kMaxExactReciprocalDivisor = 4096;

// Filter kernels (jarosz.cc portable, jarosz_avx2.cc AVX2+FMA), each
// bit-identical to box1D. A block is up to kBlockRows rows filtered together
// (one running sum per row, in SIMD lanes).
inline constexpr int kBlockRows = 16;
// Along rows: out[k][o] for k < n (out rows distinct from in rows).
void BoxRows(const float* const* in, float* const* out, int n, const LineFilter& f);
// Along rows, keeping only outputs at sampled columns (slot_of[o] >= 0) in
// out[k * slots + slot_of[o]].
void BoxRowsSampled(const float* const* in, int n, const LineFilter& f, const int* slot_of, int slots, float* out);
// One step of box1D down n columns at once: sum += lead (if given), then
// sum -= trail (if given), then out = sum / count (if given). recip is
// RN(1 / count) when count <= kMaxExactReciprocalDivisor, else 0.
void ColumnStep(float* sum, const float* lead, const float* trail, float* out, float count, float recip, int n);
// Along the columns of a rows x cols plane, in place (the last pass, over
// the sampled columns only).
void ColPassInPlace(float* plane, int rows, int cols, int window);
// The portable kernels run instead of the SIMD ones while this is set (tests
// check both paths on the same machine).
void ForcePortableKernels(bool portable);
bool UseAvx2Kernels();

// AVX2 versions (jarosz_avx2.cc); call only when UseAvx2Kernels().
void BoxRowsAvx2(const float* const* in, float* const* out, int n, const LineFilter& f);
void BoxRowsSampledAvx2(const float* const* in, int n, const LineFilter& f, const int* slot_of, int slots,
                        float* out);
void ColumnStepAvx2(float* sum, const float* lead, const float* trail, float* out, float count, float recip,
                    int n);
// ExactQuotient over n values with the AVX2 kernel (for its test).
void DivideExactAvx2(const float* x, float count, float recip, float* out, int n);

int QualityFromGrid(const Grid64& g);
void Dct64To16(const Grid64& in, Grid16& out);
Hash256 BitsFromDct(const Grid16& dct);
// The DCT of a rotated or flipped image is a sign change and/or transpose of
// the original's, so all eight hashes come from one DCT.
std::array<Hash256, 8> DihedralBitsFromDct(const Grid16& dct);

// CPU dispatch, exposed so tests can check the SIMD path against the
// portable one on the same input. HasAvx2() also requires FMA.
bool HasAvx2();
void LumaFromRgbPortable(const uint8_t* rgb, int num_pixels, float* out);
// LumaFromRgb with a given kernel; false if this CPU lacks it.
enum class LumaKernel { kPortable, kAvx2, kAvx512 };
bool LumaFromRgbWith(LumaKernel kernel, const uint8_t* rgb, int num_pixels, float* out);

}  // namespace sg::hashing::internal
