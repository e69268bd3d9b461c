// The fast Jarosz downsampling, bit-identical to JaroszDownsampleReference.
//
// Every output value is computed by the same float operations in the same
// order as the reference's box1D (sum += in[ri]; sum -= in[li]; out = sum /
// count), so results match to the bit. What changes is only the schedule:
//   1. Pass 1, along rows: blocks of 8 rows are transposed so that the 8
//      independent running sums sit side by side and vectorise; written back
//      in place.
//   2. Pass 1, along columns: all columns advance together, one row at a
//      time, in place; a ring of the last few input rows keeps the values
//      the trailing edge of the window still needs.
//   3. Pass 2 only feeds the 64x64 decimation, so along rows it keeps the
//      running sums (which must see every pixel) but divides and stores only
//      at the <= 64 sampled columns; along columns it touches just those.
// Peak memory is the caller's plane plus a few rows.
#include <algorithm>
#include <vector>

#include "hashing/pdq_internal.h"

namespace sg::hashing::internal {
namespace {

struct Phases {
  int grow_silent, grow, full, shrink;
};
Phases PhasesFor(int length, int window) {
  const int half = (window + 2) / 2;
  return {half - 1, window - half + 1, length - window, half - 1};
}

constexpr int kLanes = 8;

// Box filter of kLanes independent sequences interleaved as in[t * kLanes + k].
void BoxInterleaved(const float* in, float* out, int length, int window) {
  const Phases ph = PhasesFor(length, window);
  float sum[kLanes] = {};
  const float* r = in;
  const float* l = in;
  float* o = out;
  int count = 0;
  for (int t = 0; t < ph.grow_silent; ++t, r += kLanes) {
    ++count;
    for (int k = 0; k < kLanes; ++k) sum[k] += r[k];
  }
  for (int t = 0; t < ph.grow; ++t, r += kLanes, o += kLanes) {
    const float c = static_cast<float>(++count);
    for (int k = 0; k < kLanes; ++k) {
      sum[k] += r[k];
      o[k] = sum[k] / c;
    }
  }
  const float c = static_cast<float>(count);
  for (int t = 0; t < ph.full; ++t, r += kLanes, l += kLanes, o += kLanes) {
    for (int k = 0; k < kLanes; ++k) {
      sum[k] += r[k];
      sum[k] -= l[k];
      o[k] = sum[k] / c;
    }
  }
  for (int t = 0; t < ph.shrink; ++t, l += kLanes, o += kLanes) {
    const float c2 = static_cast<float>(--count);
    for (int k = 0; k < kLanes; ++k) {
      sum[k] -= l[k];
      o[k] = sum[k] / c2;
    }
  }
}

void RowPassInPlace(float* plane, int rows, int cols, int window) {
  std::vector<float> tin(size_t(cols) * kLanes, 0.0f), tout(size_t(cols) * kLanes);
  for (int r0 = 0; r0 < rows; r0 += kLanes) {
    const int n = std::min(kLanes, rows - r0);
    for (int k = 0; k < n; ++k) {
      const float* row = plane + size_t(r0 + k) * cols;
      for (int j = 0; j < cols; ++j) tin[size_t(j) * kLanes + k] = row[j];
    }
    BoxInterleaved(tin.data(), tout.data(), cols, window);
    for (int k = 0; k < n; ++k) {
      float* row = plane + size_t(r0 + k) * cols;
      for (int j = 0; j < cols; ++j) row[j] = tout[size_t(j) * kLanes + k];
    }
  }
}

// Box along columns of a rows x cols plane, in place. Output row o is written
// only after input rows up to o + (half - 1) were read, so reading ahead is
// safe; the trailing edge reads input rows already overwritten, which the ring
// keeps. The trailing edge runs `grow` rows behind the output row.
void ColPassInPlace(float* plane, int rows, int cols, int window) {
  const Phases ph = PhasesFor(rows, window);
  const int ring_rows = ph.grow + 1;
  std::vector<float> ring(size_t(ring_rows) * cols), sum(cols, 0.0f);
  auto row = [&](int i) { return plane + size_t(i) * cols; };
  auto saved = [&](int i) { return ring.data() + size_t(i % ring_rows) * cols; };
  int ri = 0, li = 0, oi = 0, count = 0;
  for (int t = 0; t < ph.grow_silent; ++t, ++ri) {
    ++count;
    const float* r = row(ri);
    for (int j = 0; j < cols; ++j) sum[j] += r[j];
  }
  for (int t = 0; t < ph.grow; ++t, ++ri, ++oi) {
    const float c = static_cast<float>(++count);
    const float* r = row(ri);
    float* o = row(oi);
    float* keep = saved(oi);
    for (int j = 0; j < cols; ++j) {
      sum[j] += r[j];
      keep[j] = o[j];
      o[j] = sum[j] / c;
    }
  }
  const float c = static_cast<float>(count);
  for (int t = 0; t < ph.full; ++t, ++ri, ++li, ++oi) {
    const float* r = row(ri);
    const float* l = saved(li);
    float* o = row(oi);
    for (int j = 0; j < cols; ++j) {
      sum[j] += r[j];
      sum[j] -= l[j];
    }
    float* keep = saved(oi);  // may be the slot just read from `l`: read first
    for (int j = 0; j < cols; ++j) {
      keep[j] = o[j];
      o[j] = sum[j] / c;
    }
  }
  for (int t = 0; t < ph.shrink; ++t, ++li, ++oi) {
    const float c2 = static_cast<float>(--count);
    const float* l = saved(li);
    float* o = row(oi);
    for (int j = 0; j < cols; ++j) sum[j] -= l[j];
    float* keep = saved(oi);
    for (int j = 0; j < cols; ++j) {
      keep[j] = o[j];
      o[j] = sum[j] / c2;
    }
  }
}

// Box along rows, keeping outputs only at the sampled columns: out is
// rows x slots, and slot_of[c] is the output slot of column c or -1. Eight
// rows advance together so their running sums overlap in the pipeline.
void RowPassSampled(const float* plane, int rows, int cols, int window, const std::vector<int>& slot_of,
                    int slots, float* out) {
  const Phases ph = PhasesFor(cols, window);
  for (int r0 = 0; r0 < rows; r0 += kLanes) {
    const int n = std::min(kLanes, rows - r0);
    const float* rp[kLanes];
    for (int k = 0; k < kLanes; ++k) rp[k] = plane + size_t(r0 + std::min(k, n - 1)) * cols;
    float sum[kLanes] = {};
    int ri = 0, li = 0, oi = 0, count = 0;
    auto emit = [&](float c) {
      const int slot = slot_of[oi];
      if (slot < 0) return;
      for (int k = 0; k < n; ++k) out[size_t(r0 + k) * slots + slot] = sum[k] / c;
    };
    for (int t = 0; t < ph.grow_silent; ++t, ++ri) {
      ++count;
      for (int k = 0; k < kLanes; ++k) sum[k] += rp[k][ri];
    }
    for (int t = 0; t < ph.grow; ++t, ++ri, ++oi) {
      ++count;
      for (int k = 0; k < kLanes; ++k) sum[k] += rp[k][ri];
      emit(static_cast<float>(count));
    }
    for (int t = 0; t < ph.full; ++t, ++ri, ++li, ++oi) {
      for (int k = 0; k < kLanes; ++k) {
        sum[k] += rp[k][ri];
        sum[k] -= rp[k][li];
      }
      emit(static_cast<float>(count));
    }
    for (int t = 0; t < ph.shrink; ++t, ++li, ++oi) {
      --count;
      for (int k = 0; k < kLanes; ++k) sum[k] -= rp[k][li];
      emit(static_cast<float>(count));
    }
  }
}

}  // namespace

void JaroszDownsampleFast(float* plane, int rows, int cols, Grid64& out) {
  const int window_along_rows = JaroszWindow(cols, 64), window_along_cols = JaroszWindow(rows, 64);
  RowPassInPlace(plane, rows, cols, window_along_rows);
  ColPassInPlace(plane, rows, cols, window_along_cols);

  // Distinct sampled columns (several samples share one when cols < 64).
  std::vector<int> slot_of(cols, -1);
  std::array<int, 64> col_slot;
  int slots = 0;
  for (int j = 0; j < 64; ++j) {
    const int c = DecimationIndex(j, cols, 64);
    if (slot_of[c] < 0) slot_of[c] = slots++;
    col_slot[j] = slot_of[c];
  }
  std::vector<float> sampled(size_t(rows) * slots);
  RowPassSampled(plane, rows, cols, window_along_rows, slot_of, slots, sampled.data());
  ColPassInPlace(sampled.data(), rows, slots, window_along_cols);

  for (int i = 0; i < 64; ++i) {
    const float* row = sampled.data() + size_t(DecimationIndex(i, rows, 64)) * slots;
    for (int j = 0; j < 64; ++j) out[i * 64 + j] = row[col_slot[j]];
  }
}

}  // namespace sg::hashing::internal
