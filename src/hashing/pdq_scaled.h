// PdqScaledStream: an estimate of the PDQ hash of a picture that is only
// available at a reduced scale, as libjpeg-turbo's scaled DCT decoding gives
// it (`safeguard hash --fast`): each given pixel stands for a scale x scale
// block of the full-size original (fewer at the right and bottom edges).
//
// It is not the exact hash. The exact one filters the full-size plane
// twice with PDQ's box filter and samples it at 64x64 points; here each of
// those 64x64 values is computed as the same linear filter applied to the
// block-constant picture: a weight for every given pixel, derived from the
// full-size filter (edge phases included). The error is what the filter
// sees inside each block, so it stays small while blocks are narrow next to
// the filter (JPEG decoding picks the scale so: see media/jpeg_decoder.cc).
// On the conformance JPEGs of quality >= 80 it is at most 4 bits from the
// exact hash (mean 0.89); naively hashing the small picture was up to 14
// bits off (mean 5.1) at the same scales.
//
// Usage as PdqStream: rows go in top to bottom, then Finish.
#pragma once

#include <cstdint>
#include <vector>

#include "hashing/pdq.h"
#include "hashing/pdq_internal.h"

namespace sg::hashing {

class PdqScaledStream {
 public:
  PdqScaledStream(int rows, int cols, int full_rows, int full_cols, int scale);

  void AddRgbRow(const uint8_t* rgb);
  void AddGreyRow(const uint8_t* grey);
  void AddLumaRow(const float* luma);
  int rows_added() const { return added_; }

  PdqResult Finish();
  PdqDihedralResult FinishDihedral();
  bool FinishGrid(internal::Grid64& grid);

  // The weights of the given pixels along one axis for each of the 64
  // samples (exposed for tests): samples[i] covers pixels first..first+n-1.
  struct Axis {
    struct Sample {
      int first = 0;
      std::vector<double> weights;
    };
    Sample samples[64];
  };
  static Axis AxisWeights(int length, int full_length, int scale);

 private:
  void RowDone();

  int rows_, cols_;
  bool too_small_;
  Axis along_rows_, along_cols_;  // weights for columns, for rows
  int added_ = 0;
  std::vector<float> luma_;
  std::vector<double> grid_;  // 64 x 64 accumulators
};

}  // namespace sg::hashing
