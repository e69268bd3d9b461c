// The fast PDQ path against the slow reference transcription, on random and
// structured images of many shapes: every hash and quality must be
// identical. The conformance vectors (tests/media) pin both to the
// reference library's outputs.
#include "hashing/pdq.h"

#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "hashing/pdq_internal.h"
#include "hashing/pdq_reference.h"
#include "hashing/pdq_scaled.h"
#include "hashing/pdq_stream.h"

namespace sg::hashing {
namespace {

std::vector<float> RandomSmoothPlane(int rows, int cols, uint32_t seed) {
  // Smooth structure plus noise, like a photo: random alone gives quality
  // 100 everywhere and blocks would hide filter-edge bugs.
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> noise(-20, 20);
  std::uniform_real_distribution<float> freq(0.5f, 6.0f);
  const float fx = freq(rng), fy = freq(rng);
  std::vector<float> p(size_t(rows) * cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      float v = 128 + 80 * std::sin(fx * j / cols * 6.28f) * std::cos(fy * i / rows * 6.28f) + noise(rng);
      p[size_t(i) * cols + j] = static_cast<float>(static_cast<int>(std::clamp(v, 0.0f, 255.0f)));
    }
  return p;
}

// The streamed 64x64 plane equals the reference's to the bit (a hash can
// survive a 1-ulp error; this cannot).
void ExpectSameGrid(const std::vector<float>& plane, int rows, int cols) {
  internal::Grid64 ref, got;
  internal::JaroszDownsampleReference(plane.data(), rows, cols, ref);
  PdqStream s(rows, cols);
  for (int i = 0; i < rows; ++i) s.AddLumaRow(plane.data() + size_t(i) * cols);
  ASSERT_TRUE(s.FinishGrid(got));
  EXPECT_EQ(std::memcmp(ref.data(), got.data(), sizeof ref), 0) << rows << "x" << cols;
}

void ExpectFastEqualsReference(int rows, int cols, uint32_t seed) {
  std::vector<float> plane = RandomSmoothPlane(rows, cols, seed);
  ExpectSameGrid(plane, rows, cols);
  PdqDihedralResult ref = ComputePdqDihedralReference(plane, rows, cols);
  std::vector<float> work = plane;
  PdqDihedralResult fast = ComputePdqDihedral(work, rows, cols);
  EXPECT_EQ(fast.quality, ref.quality) << rows << "x" << cols;
  for (int d = 0; d < 8; ++d) {
    EXPECT_EQ(fast.hashes[d].ToHex(), ref.hashes[d].ToHex()) << rows << "x" << cols << " variant " << d;
  }
  std::vector<float> work2 = plane;
  PdqResult single = ComputePdq(work2, rows, cols);
  EXPECT_EQ(single.hash, fast.hashes[0]);
  EXPECT_EQ(single.quality, fast.quality);
}

TEST(PdqTest, FastEqualsReferenceOnManyShapes) {
  // Edges of the filter: windows of 1 and 2, dims around multiples of 64 and
  // 128, fewer columns than 64 samples, tall and wide, odd sizes.
  const int dims[][2] = {{5, 5},     {5, 300},   {300, 5},   {7, 9},     {63, 64},   {64, 64},  {65, 127},
                         {128, 128}, {129, 130}, {191, 257}, {255, 256}, {257, 383}, {480, 640}, {1001, 777}};
  uint32_t seed = 1;
  for (auto& d : dims) ExpectFastEqualsReference(d[0], d[1], seed++);
}

TEST(PdqTest, FastEqualsReferenceOnRandomShapes) {
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<int> dim(5, 700);
  for (int t = 0; t < 25; ++t) ExpectFastEqualsReference(dim(rng), dim(rng), rng());
}

// Luminance from random smooth RGB: non-integer values, so the running sums
// round, which integer planes never do.
std::vector<float> RandomSmoothLuma(int rows, int cols, uint32_t seed) {
  std::vector<float> r = RandomSmoothPlane(rows, cols, seed), g = RandomSmoothPlane(rows, cols, seed + 1),
                     b = RandomSmoothPlane(rows, cols, seed + 2);
  std::vector<uint8_t> rgb(size_t(rows) * cols * 3);
  for (size_t i = 0; i < r.size(); ++i) {
    rgb[3 * i] = static_cast<uint8_t>(r[i]);
    rgb[3 * i + 1] = static_cast<uint8_t>(g[i]);
    rgb[3 * i + 2] = static_cast<uint8_t>(b[i]);
  }
  std::vector<float> luma(r.size());
  LumaFromRgb(rgb.data(), static_cast<int>(r.size()), luma.data());
  return luma;
}

TEST(PdqTest, FastEqualsReferenceOnRgbLuminance) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> dim(5, 900);
  for (int t = 0; t < 12; ++t) {
    const int rows = dim(rng), cols = dim(rng);
    std::vector<float> luma = RandomSmoothLuma(rows, cols, rng());
    ExpectSameGrid(luma, rows, cols);
    PdqResult ref = ComputePdqReference(luma, rows, cols);
    PdqResult fast = ComputePdq(luma, rows, cols);
    EXPECT_EQ(fast.hash.ToHex(), ref.hash.ToHex()) << rows << "x" << cols;
    EXPECT_EQ(fast.quality, ref.quality) << rows << "x" << cols;
  }
}

// The portable kernels (CPUs without AVX2) against the reference too, on
// the same machine.
TEST(PdqTest, PortableKernelsEqualReference) {
  internal::ForcePortableKernels(true);
  const int dims[][2] = {{5, 5}, {7, 9}, {65, 127}, {129, 130}, {257, 383}, {480, 640}};
  uint32_t seed = 100;
  for (auto& d : dims) ExpectFastEqualsReference(d[0], d[1], seed++);
  std::vector<float> luma = RandomSmoothLuma(301, 517, 5);
  ExpectSameGrid(luma, 301, 517);
  EXPECT_EQ(ComputePdq(luma, 301, 517).hash, ComputePdqReference(luma, 301, 517).hash);
  internal::ForcePortableKernels(false);
}

// Every float whose mantissa is picked by `stride`, in [1, 2): by scaling,
// these stand for all normal floats.
void ExpectExactQuotients(int divisor, uint32_t stride) {
  std::vector<float> x, got;
  for (uint32_t m = 0; m < (1u << 23); m += stride) {
    const uint32_t bits = 0x3f800000u + m;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    x.push_back(f);
  }
  got.resize(x.size());
  const float c = static_cast<float>(divisor);
  internal::DivideExactAvx2(x.data(), c, 1.0f / c, got.data(), static_cast<int>(x.size()));
  size_t wrong = 0;
  for (size_t i = 0; i < x.size(); ++i) wrong += got[i] != x[i] / c;
  EXPECT_EQ(wrong, 0u) << "divisor " << divisor;
}

// The AVX2 filter divides by a window count with a multiply and two fused
// multiply-adds (pdq_internal.h, ExactQuotient); it must give the IEEE
// quotient itself.
TEST(PdqTest, ReciprocalDivisionIsTheExactQuotient) {
  if (!internal::HasAvx2()) GTEST_SKIP() << "no AVX2+FMA on this CPU";
  for (int c : {3, 7, 25}) ExpectExactQuotients(c, 1);
  for (int c = 1; c <= internal::kMaxExactReciprocalDivisor; ++c) ExpectExactQuotients(c, 4099);
}

// The complete check behind kMaxExactReciprocalDivisor (minutes in a debug
// build): --gtest_also_run_disabled_tests to run it.
TEST(PdqTest, DISABLED_ReciprocalDivisionIsExactForEveryMantissaAndDivisor) {
  if (!internal::HasAvx2()) GTEST_SKIP() << "no AVX2+FMA on this CPU";
  for (int c = 1; c <= internal::kMaxExactReciprocalDivisor; ++c) ExpectExactQuotients(c, 1);
}

// The scaled estimate's weights: each sample is a weighted mean (the box
// filter keeps constants), and every weight is positive.
TEST(PdqScaledTest, SampleWeightsAreMeans) {
  for (auto [full, scale] : {std::pair{4032, 8}, {3024, 8}, {1004, 4}, {1600, 4}, {517, 2}, {50, 2}}) {
    const int length = (full + scale - 1) / scale;
    PdqScaledStream::Axis axis = PdqScaledStream::AxisWeights(length, full, scale);
    for (int i = 0; i < 64; ++i) {
      const auto& s = axis.samples[i];
      double sum = 0;
      for (double w : s.weights) {
        EXPECT_GE(w, 0.0);
        sum += w;
      }
      EXPECT_NEAR(sum, 1.0, 1e-9) << full << "/" << scale << " sample " << i;
      EXPECT_GE(s.first, 0);
      EXPECT_LE(s.first + static_cast<int>(s.weights.size()), length);
    }
  }
}

// Average a plane over scale x scale blocks (the edge blocks over what is
// there), as a reduced-scale JPEG decode approximately gives.
std::vector<float> BlockMeans(const std::vector<float>& p, int rows, int cols, int scale) {
  const int r2 = (rows + scale - 1) / scale, c2 = (cols + scale - 1) / scale;
  std::vector<float> out(size_t(r2) * c2);
  for (int i = 0; i < r2; ++i)
    for (int j = 0; j < c2; ++j) {
      double sum = 0;
      int n = 0;
      for (int y = i * scale; y < std::min(rows, (i + 1) * scale); ++y)
        for (int x = j * scale; x < std::min(cols, (j + 1) * scale); ++x, ++n) sum += p[size_t(y) * cols + x];
      out[size_t(i) * c2 + j] = static_cast<float>(sum / n);
    }
  return out;
}

TEST(PdqScaledTest, EstimateFromBlockMeansIsCloseToExact) {
  const int rows = 1500, cols = 2000;
  std::vector<float> plane = RandomSmoothLuma(rows, cols, 11);
  const PdqResult exact = ComputePdq(plane, rows, cols);
  for (int scale : {2, 4, 8}) {
    std::vector<float> small = BlockMeans(plane, rows, cols, scale);
    const int r2 = (rows + scale - 1) / scale, c2 = (cols + scale - 1) / scale;
    PdqScaledStream s(r2, c2, rows, cols, scale);
    for (int i = 0; i < r2; ++i) s.AddLumaRow(small.data() + size_t(i) * c2);
    const PdqResult est = s.Finish();
    EXPECT_LE(HammingDistance(est.hash, exact.hash), 8) << "1/" << scale;
    EXPECT_EQ(est.quality, exact.quality) << "1/" << scale;
  }
}

TEST(PdqScaledTest, TooSmallOriginalHashesToZero) {
  PdqScaledStream s(1, 1, 4, 8, 8);
  const uint8_t rgb[3] = {200, 100, 50};
  s.AddRgbRow(rgb);
  const PdqResult r = s.Finish();
  EXPECT_EQ(r.quality, 0);
  EXPECT_EQ(r.hash, Hash256());
}

TEST(PdqTest, TooSmallImagesHashToZeroWithQualityZero) {
  for (auto [r, c] : {std::pair{4, 100}, {100, 4}, {1, 1}, {0, 0}}) {
    std::vector<float> plane(size_t(r) * c, 77.0f);
    PdqResult res = ComputePdq(plane, r, c);
    EXPECT_EQ(res.quality, 0);
    EXPECT_EQ(res.hash, Hash256{});
  }
}

TEST(PdqTest, FlatImageHasZeroQualityAndNoBits) {
  std::vector<float> plane(200 * 150, 128.0f);
  PdqResult res = ComputePdq(plane, 150, 200);
  // No gradients, so quality 0; the bits are rounding noise, as in the
  // reference, and carry no meaning.
  EXPECT_EQ(res.quality, 0);
}

TEST(PdqTest, HashHasHalfTheBitsSet) {
  // Thresholding at the median sets at most 128 bits (exactly 128 without ties).
  std::vector<float> plane = RandomSmoothPlane(400, 300, 7);
  PdqResult res = ComputePdq(plane, 400, 300);
  EXPECT_EQ(res.hash.PopCount(), 128);
  EXPECT_GE(res.quality, 50);
}

// Rotating or flipping the pixels should give (nearly) the matching dihedral
// variant of the original: the DCT symmetry is exact, the box filter's edge
// handling makes it approximate.
TEST(PdqTest, DihedralVariantsPredictTransformedImages) {
  const int n = 256;
  // Blobs at random places: no symmetry that would make variants coincide.
  std::vector<float> plane(size_t(n) * n, 0.0f);
  std::mt19937 rng(99);
  std::uniform_real_distribution<float> pos(0, n), amp(-120, 120), rad(10, 60);
  for (int b = 0; b < 12; ++b) {
    const float cx = pos(rng), cy = pos(rng), a = amp(rng), r = rad(rng);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        plane[size_t(i) * n + j] += a * std::exp(-((i - cy) * (i - cy) + (j - cx) * (j - cx)) / (2 * r * r));
  }
  for (float& v : plane) v = std::clamp(128 + v, 0.0f, 255.0f);
  auto at = [&](int i, int j) { return plane[size_t(i) * n + j]; };
  std::vector<float> work = plane;
  PdqDihedralResult d = ComputePdqDihedral(work, n, n);
  auto hash_of = [&](auto f) {
    std::vector<float> t(size_t(n) * n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) t[size_t(i) * n + j] = f(i, j);
    return ComputePdq(t, n, n).hash;
  };
  const Hash256 transformed[8] = {
      hash_of([&](int i, int j) { return at(i, j); }),
      hash_of([&](int i, int j) { return at(j, n - 1 - i); }),          // rotate 90 (counter-clockwise)
      hash_of([&](int i, int j) { return at(n - 1 - i, n - 1 - j); }),  // rotate 180
      hash_of([&](int i, int j) { return at(n - 1 - j, i); }),          // rotate 270
      hash_of([&](int i, int j) { return at(n - 1 - i, j); }),          // flip x (upside down)
      hash_of([&](int i, int j) { return at(i, n - 1 - j); }),          // flip y (mirror)
      hash_of([&](int i, int j) { return at(j, i); }),                  // transpose
      hash_of([&](int i, int j) { return at(n - 1 - j, n - 1 - i); }),  // anti-transpose
  };
  for (int v = 0; v < 8; ++v) {
    // Each variant would still match its transformed image, and no other.
    for (int u = 0; u < 8; ++u) {
      if (u == v) {
        EXPECT_LE(HammingDistance(d.hashes[v], transformed[u]), kPdqMatchDistance) << kDihedralNames[v];
      } else {
        EXPECT_GT(HammingDistance(d.hashes[v], transformed[u]), 64) << kDihedralNames[v] << " vs " << u;
      }
    }
  }
}

// Every SIMD luminance kernel this CPU has gives the portable one's floats
// to the bit, for every length around the vector widths (tails included).
TEST(PdqTest, LumaKernelsEqualPortable) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> rgb(3 * 5000);
  for (auto& b : rgb) b = static_cast<uint8_t>(byte(rng));
  std::vector<float> want(5000), got(5000);
  int kernels = 0;
  for (auto kernel : {internal::LumaKernel::kAvx2, internal::LumaKernel::kAvx512}) {
    for (int n : {0, 1, 7, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 95, 96, 97, 1000, 4032, 5000}) {
      internal::LumaFromRgbPortable(rgb.data(), n, want.data());
      std::fill(got.begin(), got.end(), -1.0f);
      if (!internal::LumaFromRgbWith(kernel, rgb.data(), n, got.data())) break;
      EXPECT_EQ(std::memcmp(want.data(), got.data(), sizeof(float) * n), 0) << "n=" << n;
      EXPECT_EQ(got[n < 5000 ? n : 4999], n < 5000 ? -1.0f : want[4999]) << "wrote past n=" << n;
      kernels += n == 0;
    }
  }
  if (kernels == 0) GTEST_SKIP() << "no SIMD luminance kernel on this CPU";
}

TEST(PdqTest, LumaUsesReferenceCoefficients) {
  const uint8_t rgb[] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
  float out[4];
  LumaFromRgb(rgb, 4, out);
  EXPECT_FLOAT_EQ(out[0], 0.299f * 255);
  EXPECT_FLOAT_EQ(out[1], 0.587f * 255);
  EXPECT_FLOAT_EQ(out[2], 0.114f * 255);
  EXPECT_EQ(out[3], 0.299f * 10 + 0.587f * 20 + 0.114f * 30);
  const uint8_t grey[] = {0, 200};
  LumaFromGrey(grey, 2, out);
  EXPECT_EQ(out[1], 200.0f);
}

}  // namespace
}  // namespace sg::hashing
