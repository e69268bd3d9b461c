// PdqStream: PDQ computed while an image decodes, one row at a time, top to
// bottom. The two Jarosz passes need only a sliding window of rows (the
// column filter's width), so the image is never held whole: memory is a few
// dozen rows, and every row is filtered while it is still in cache. Results
// are bit-identical to ComputePdqReference.
//
// Usage: PdqStream s(rows, cols); s.AddRgbRow(row) x rows; s.Finish().
// Thread safety: one stream per thread; distinct streams are independent.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "hashing/pdq.h"
#include "hashing/pdq_internal.h"

namespace sg::hashing {

class PdqStream {
 public:
  PdqStream(int rows, int cols);

  // Adds the next row (cols pixels). Rows past `rows` are ignored.
  void AddRgbRow(const uint8_t* rgb);
  void AddGreyRow(const uint8_t* grey);
  void AddLumaRow(const float* luma);

  int rows_added() const { return added_; }

  // Ends the image. Rows never added count as black (callers only finish
  // images that decoded completely). Call one of these once.
  PdqResult Finish();
  PdqDihedralResult FinishDihedral();
  // The 64x64 downsampled plane the hash is computed from; false if the
  // image is too small. Tests compare it bit for bit with the reference's.
  bool FinishGrid(internal::Grid64& grid);

 private:
  float* NextSlot();        // where the next row's luminance goes
  void RowWritten();
  void FilterInputBlock();  // pass 1 along rows into the ring, then down the columns
  void ColumnStage(const float* lead, int o);  // pass-1 column output row o
  void FilterOutputBlock(); // pass 2 along rows, at the sampled columns only
  float* RingRow(int i) { return ring_.data() + size_t(i % ring_rows_) * cols_; }
  // The 16x16 DCT (row-major) of the finished image; false if too small.
  bool Complete(int& quality, std::array<float, 256>& dct);

  int rows_, cols_;
  bool too_small_;
  internal::LineFilter along_rows_, along_cols_;
  int added_ = 0;
  // Incoming luminance rows, filtered along rows in blocks.
  std::vector<float> in_block_;
  int in_n_ = 0;
  // Rows filtered along rows, kept for the column filter's trailing edge:
  // row i in slot i % ring_rows_ (the window plus one block).
  std::vector<float> ring_;
  int ring_rows_ = 0, filtered_ = 0;
  std::vector<float> sum_;  // running sums down the columns
  // Pass-1 output rows, filtered along rows again in blocks.
  std::vector<float> out_block_;
  int out_n_ = 0, out_row0_ = 0;
  // Pass 2 results: rows x slots at the distinct sampled columns.
  std::vector<int> slot_of_;
  int col_slot_[64];
  int slots_ = 0;
  std::vector<float> sampled_;
};

}  // namespace sg::hashing
