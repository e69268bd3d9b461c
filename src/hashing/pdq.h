// PDQ: the open 256-bit perceptual image hash (Meta), written here from the
// published algorithm. Pure: it takes luminance, never a path or a file.
//
// Conventions are the reference library's, so hashes interoperate with the
// hash lists of other systems:
//   - luminance Y = 0.299 R + 0.587 G + 0.114 B in float; grey used directly;
//   - full resolution (no pre-resize); the caller decides orientation;
//   - an image with a side under 5 pixels hashes to all zeros, quality 0;
//   - two passes of the Jarosz box filter, 64x64 decimation, 16x16 DCT
//     (skipping DC), threshold at the median; quality from the gradients.
// Results are bit-identical to the reference; see pdq_reference.h for the
// slow, obvious version the fast one is tested against.
//
// Thread safety: the functions are reentrant; they keep no state.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "hashing/hash256.h"

namespace sg::hashing {

inline constexpr int kPdqMinDimension = 5;

// Matching conventions of the field (DOMAIN.md).
inline constexpr int kPdqMatchDistance = 31;
inline constexpr int kPdqMinQuality = 50;

struct PdqResult {
  Hash256 hash;
  int quality = 0;  // 0..100
};

// The eight dihedral variants, in the reference library's order.
enum class Dihedral { kOriginal, kRotate90, kRotate180, kRotate270, kFlipX, kFlipY, kFlipPlus1, kFlipMinus1 };
inline constexpr std::array<const char*, 8> kDihedralNames = {
    "original", "rotate90", "rotate180", "rotate270", "flipx", "flipy", "flipplus1", "flipminus1"};

struct PdqDihedralResult {
  std::array<Hash256, 8> hashes;  // indexed by Dihedral
  int quality = 0;
};

// Luminance of one row of interleaved RGB (3 bytes a pixel) or grey pixels.
void LumaFromRgb(const uint8_t* rgb, int num_pixels, float* out);
void LumaFromGrey(const uint8_t* grey, int num_pixels, float* out);

// Hashes a row-major luminance plane of rows x cols floats. Decoders should
// rather feed a PdqStream (pdq_stream.h) row by row and never hold a plane.
PdqResult ComputePdq(std::span<const float> luma, int rows, int cols);
PdqDihedralResult ComputePdqDihedral(std::span<const float> luma, int rows, int cols);

}  // namespace sg::hashing
