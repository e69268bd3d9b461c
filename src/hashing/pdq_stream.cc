// The schedule of the streaming PDQ. Reference (pdq_reference.cc): pass 1
// rows, pass 1 columns, pass 2 rows, pass 2 columns over whole buffers, then
// 64x64 decimation. Here:
//   - pass 1 along rows runs on blocks of kBlockRows incoming rows (one SIMD
//     lane per row) and writes into a ring of filtered rows;
//   - pass 1 along columns advances one row at a time as filtered rows
//     arrive: the box's leading edge is the new row, its trailing edge a row
//     still in the ring (which holds the window plus one block);
//   - pass 2 along rows runs on blocks of pass-1 output rows but divides
//     and stores only at the <= 64 sampled columns (its running sums still see
//     every value, which exactness requires);
//   - pass 2 along columns runs at the end over those sampled columns only.
// Each value goes through the reference's operations in the reference's
// order, so the hash is the same to the bit.
#include "hashing/pdq_stream.h"

#include <algorithm>

namespace sg::hashing {

using internal::kBlockRows;

PdqStream::PdqStream(int rows, int cols)
    : rows_(std::max(rows, 0)), cols_(std::max(cols, 0)),
      too_small_(rows < kPdqMinDimension || cols < kPdqMinDimension) {
  if (too_small_) return;
  along_rows_ = internal::LineFilter(cols_, internal::JaroszWindow(cols_, 64));
  along_cols_ = internal::LineFilter(rows_, internal::JaroszWindow(rows_, 64));
  const size_t block = size_t(kBlockRows) * cols_;
  in_block_.assign(block, 0.0f);
  out_block_.assign(block, 0.0f);
  ring_rows_ = along_cols_.window + kBlockRows;
  ring_.assign(size_t(ring_rows_) * cols_, 0.0f);
  sum_.assign(cols_, 0.0f);
  slot_of_.assign(cols_, -1);
  for (int j = 0; j < 64; ++j) {
    const int c = internal::DecimationIndex(j, cols_, 64);
    if (slot_of_[c] < 0) slot_of_[c] = slots_++;
    col_slot_[j] = slot_of_[c];
  }
  sampled_.assign(size_t(rows_) * slots_, 0.0f);
}

float* PdqStream::NextSlot() { return in_block_.data() + size_t(in_n_) * cols_; }

void PdqStream::RowWritten() {
  ++added_;
  if (++in_n_ == kBlockRows) FilterInputBlock();
}

void PdqStream::AddRgbRow(const uint8_t* rgb) {
  if (too_small_ || added_ >= rows_) return;
  LumaFromRgb(rgb, cols_, NextSlot());
  RowWritten();
}

void PdqStream::AddGreyRow(const uint8_t* grey) {
  if (too_small_ || added_ >= rows_) return;
  LumaFromGrey(grey, cols_, NextSlot());
  RowWritten();
}

void PdqStream::AddLumaRow(const float* luma) {
  if (too_small_ || added_ >= rows_) return;
  std::copy(luma, luma + cols_, NextSlot());
  RowWritten();
}

void PdqStream::FilterInputBlock() {
  if (in_n_ == 0) return;
  const float* in[kBlockRows];
  float* out[kBlockRows];
  for (int k = 0; k < in_n_; ++k) {
    in[k] = in_block_.data() + size_t(k) * cols_;
    out[k] = RingRow(filtered_ + k);
  }
  internal::BoxRows(in, out, in_n_, along_rows_);
  // Down the columns: incoming row i is the leading edge of output row
  // i - (half - 1); before output 0 the rows are only added.
  for (int k = 0; k < in_n_; ++k, ++filtered_) ColumnStage(RingRow(filtered_), filtered_ - (along_cols_.half - 1));
  in_n_ = 0;
}

// One step of box1D down every column: lead is the incoming row (null in the
// shrinking tail); o < 0 only adds.
void PdqStream::ColumnStage(const float* lead, int o) {
  if (o < 0) {
    internal::ColumnStep(sum_.data(), lead, nullptr, nullptr, 1.0f, 0.0f, cols_);
    return;
  }
  const int li = o - along_cols_.grow;
  const float* trail = li >= 0 ? RingRow(li) : nullptr;
  const float recip = along_cols_.recip_exact ? along_cols_.recip[o] : 0.0f;
  internal::ColumnStep(sum_.data(), lead, trail, out_block_.data() + size_t(out_n_) * cols_, along_cols_.count[o],
                       recip, cols_);
  if (++out_n_ == kBlockRows) FilterOutputBlock();
}

void PdqStream::FilterOutputBlock() {
  if (out_n_ == 0) return;
  const float* rows[kBlockRows];
  for (int k = 0; k < out_n_; ++k) rows[k] = out_block_.data() + size_t(k) * cols_;
  internal::BoxRowsSampled(rows, out_n_, along_rows_, slot_of_.data(), slots_,
                           sampled_.data() + size_t(out_row0_) * slots_);
  out_row0_ += out_n_;
  out_n_ = 0;
}

bool PdqStream::FinishGrid(internal::Grid64& grid) {
  if (too_small_) return false;
  std::vector<float> black(cols_, 0.0f);
  while (added_ < rows_) AddLumaRow(black.data());
  FilterInputBlock();
  // The column box's shrinking tail, after the last row.
  for (int o = rows_ - (along_cols_.half - 1); o < rows_; ++o) ColumnStage(nullptr, o);
  FilterOutputBlock();
  internal::ColPassInPlace(sampled_.data(), rows_, slots_, along_cols_.window);
  for (int i = 0; i < 64; ++i) {
    const float* row = sampled_.data() + size_t(internal::DecimationIndex(i, rows_, 64)) * slots_;
    for (int j = 0; j < 64; ++j) grid[i * 64 + j] = row[col_slot_[j]];
  }
  return true;
}

bool PdqStream::Complete(int& quality, internal::Grid16& dct) {
  quality = 0;
  internal::Grid64 grid;
  if (!FinishGrid(grid)) return false;
  quality = internal::QualityFromGrid(grid);
  internal::Dct64To16(grid, dct);
  return true;
}

PdqResult PdqStream::Finish() {
  PdqResult r;
  internal::Grid16 dct;
  if (Complete(r.quality, dct)) r.hash = internal::BitsFromDct(dct);
  return r;
}

PdqDihedralResult PdqStream::FinishDihedral() {
  PdqDihedralResult r;
  internal::Grid16 dct;
  if (Complete(r.quality, dct)) r.hashes = internal::DihedralBitsFromDct(dct);
  return r;
}

}  // namespace sg::hashing
