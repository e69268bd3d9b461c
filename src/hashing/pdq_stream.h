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

 private:
  float* NextSlot();       // where the next row's luminance goes
  void RowWritten();
  void FilterInputBlock(); // pass 1 along rows, then each row into the column stage
  void ColumnStep(const float* row);
  void Emit(float count);  // a pass-1 output row
  void FilterOutputBlock();// pass 2 along rows, at the sampled columns only
  // The 16x16 DCT (row-major) of the finished image; false if too small.
  bool Complete(int& quality, std::array<float, 256>& dct);

  int rows_, cols_;
  bool too_small_;
  int window_rows_, window_cols_;  // box widths along rows and along columns
  int added_ = 0;
  // Pass 1 along rows: blocks of up to 8 rows, transposed for vectorising.
  std::vector<float> in_block_, tin_, tout_;
  int in_n_ = 0;
  // Pass 1 along columns: running sums, and a ring of the last rows for the
  // trailing edge of the window.
  std::vector<float> ring_, sum_;
  int ring_rows_ = 0, step_ = 0, trailing_ = 0, count_ = 0;
  // Pass 2 along rows on blocks of pass-1 output rows.
  std::vector<float> out_block_;
  int out_n_ = 0, out_row0_ = 0;
  // Pass 2 results: rows x slots at the distinct sampled columns.
  std::vector<int> slot_of_;
  int col_slot_[64];
  int slots_ = 0;
  std::vector<float> sampled_;
};

}  // namespace sg::hashing
