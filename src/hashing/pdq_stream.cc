// The schedule of the streaming PDQ. Reference (pdq_reference.cc): pass 1
// rows, pass 1 columns, pass 2 rows, pass 2 columns over whole buffers, then
// 64x64 decimation. Here:
//   - pass 1 along rows runs on blocks of 8 incoming rows (transposed so the
//     8 running sums vectorise);
//   - pass 1 along columns advances one row at a time as filtered rows
//     arrive: the box's leading edge is the new row, its trailing edge a row
//     kept in a ring of window+1 rows;
//   - pass 2 along rows runs on blocks of 8 pass-1 output rows but divides
//     and stores only at the <= 64 sampled columns (its running sums still see
//     every value, which exactness requires);
//   - pass 2 along columns runs at the end over those sampled columns only.
// Each value goes through the reference's operations in the reference's
// order, so the hash is the same to the bit.
#include "hashing/pdq_stream.h"

#include <algorithm>

#include "hashing/pdq_internal.h"

namespace sg::hashing {

using internal::kLanes;

PdqStream::PdqStream(int rows, int cols)
    : rows_(std::max(rows, 0)), cols_(std::max(cols, 0)),
      too_small_(rows < kPdqMinDimension || cols < kPdqMinDimension) {
  if (too_small_) return;
  window_rows_ = internal::JaroszWindow(cols_, 64);
  window_cols_ = internal::JaroszWindow(rows_, 64);
  const size_t block = size_t(kLanes) * cols_;
  in_block_.assign(block, 0.0f);
  tin_.assign(block, 0.0f);
  tout_.assign(block, 0.0f);
  out_block_.assign(block, 0.0f);
  ring_rows_ = window_cols_ + 1;
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
  if (++in_n_ == kLanes) FilterInputBlock();
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
  // Lanes past in_n_ hold stale rows; their outputs are never used.
  for (int k = 0; k < in_n_; ++k) {
    const float* row = in_block_.data() + size_t(k) * cols_;
    for (int j = 0; j < cols_; ++j) tin_[size_t(j) * kLanes + k] = row[j];
  }
  internal::BoxInterleaved(tin_.data(), tout_.data(), cols_, window_rows_);
  for (int k = 0; k < in_n_; ++k) {
    float* row = in_block_.data() + size_t(k) * cols_;
    for (int j = 0; j < cols_; ++j) row[j] = tout_[size_t(j) * kLanes + k];
    ColumnStep(row);
  }
  in_n_ = 0;
}

// One step of box1D along every column at once; step_ is the index of the
// incoming row, which is also the reference loop's step.
void PdqStream::ColumnStep(const float* row) {
  const internal::Phases ph = internal::PhasesFor(rows_, window_cols_);
  std::copy(row, row + cols_, ring_.data() + size_t(step_ % ring_rows_) * cols_);
  float* sum = sum_.data();
  if (step_ < ph.grow_silent + ph.grow) {
    internal::AddRow(sum, row, cols_);
    ++count_;
    if (step_ >= ph.grow_silent) Emit(static_cast<float>(count_));
  } else {
    // The trailing row is window_cols_ rows back: a different ring slot.
    const float* trailing = ring_.data() + size_t(trailing_++ % ring_rows_) * cols_;
    internal::SlideRow(sum, row, trailing, cols_);
    Emit(static_cast<float>(count_));
  }
  ++step_;
}

void PdqStream::Emit(float count) {
  internal::DivideRow(out_block_.data() + size_t(out_n_) * cols_, sum_.data(), count, cols_);
  if (++out_n_ == kLanes) FilterOutputBlock();
}

void PdqStream::FilterOutputBlock() {
  if (out_n_ == 0) return;
  const float* rows[kLanes];
  for (int k = 0; k < out_n_; ++k) rows[k] = out_block_.data() + size_t(k) * cols_;
  internal::RowPassSampled(rows, out_n_, cols_, window_rows_, slot_of_.data(), slots_,
                           sampled_.data() + size_t(out_row0_) * slots_);
  out_row0_ += out_n_;
  out_n_ = 0;
}

bool PdqStream::Complete(int& quality, internal::Grid16& dct) {
  quality = 0;
  if (too_small_) return false;
  std::vector<float> black(cols_, 0.0f);
  while (added_ < rows_) AddLumaRow(black.data());
  FilterInputBlock();
  // The column box's shrinking tail, after the last row.
  const internal::Phases ph = internal::PhasesFor(rows_, window_cols_);
  for (int t = 0; t < ph.shrink; ++t) {
    const float* trailing = ring_.data() + size_t(trailing_++ % ring_rows_) * cols_;
    --count_;
    internal::SubtractRow(sum_.data(), trailing, cols_);
    Emit(static_cast<float>(count_));
  }
  FilterOutputBlock();
  internal::ColPassInPlace(sampled_.data(), rows_, slots_, window_cols_);
  internal::Grid64 grid;
  for (int i = 0; i < 64; ++i) {
    const float* row = sampled_.data() + size_t(internal::DecimationIndex(i, rows_, 64)) * slots_;
    for (int j = 0; j < 64; ++j) grid[i * 64 + j] = row[col_slot_[j]];
  }
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
