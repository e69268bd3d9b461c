// Kernels of the fast Jarosz filter (see pdq_stream.cc for how they are
// scheduled). Each computes exactly the reference box1D's float operations in
// its order (sum += in[ri]; sum -= in[li]; out = sum / count), only for
// several independent lines at once, so results are bit-identical.
#include <algorithm>
#include <vector>

#include "hashing/pdq_internal.h"

namespace sg::hashing::internal {

Phases PhasesFor(int length, int window) {
  const int half = (window + 2) / 2;
  return {half - 1, window - half + 1, length - window, half - 1};
}

namespace {
// Per-thread scratch that only grows, for the column pass over the sampled
// columns at the end of each image.
float* Scratch(int which, size_t n) {
  thread_local std::vector<float> buffers[2];
  std::vector<float>& b = buffers[which];
  if (b.size() < n) b.resize(n);
  return b.data();
}
}  // namespace

// Box filter of kLanes independent sequences interleaved as in[t * kLanes + k].
SG_MULTIVERSION void BoxInterleaved(const float* in, float* out, int length, int window) {
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

// Box along columns of a rows x cols plane, in place. Output row o is written
// only after input rows up to o + (half - 1) were read, so reading ahead is
// safe; the trailing edge reads input rows already overwritten, which the ring
// keeps. The trailing edge runs `grow` rows behind the output row.
SG_MULTIVERSION void ColPassInPlace(float* plane, int rows, int cols, int window) {
  const Phases ph = PhasesFor(rows, window);
  const int ring_rows = ph.grow + 1;
  float* ring = Scratch(0, size_t(ring_rows) * cols);
  float* sum = Scratch(1, cols);
  std::fill(sum, sum + cols, 0.0f);
  auto row = [&](int i) { return plane + size_t(i) * cols; };
  auto saved = [&](int i) { return ring + size_t(i % ring_rows) * cols; };
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

SG_MULTIVERSION void AddRow(float* sum, const float* row, int n) {
  for (int j = 0; j < n; ++j) sum[j] += row[j];
}

SG_MULTIVERSION void SlideRow(float* sum, const float* leading, const float* trailing, int n) {
  for (int j = 0; j < n; ++j) {
    sum[j] += leading[j];
    sum[j] -= trailing[j];
  }
}

SG_MULTIVERSION void SubtractRow(float* sum, const float* row, int n) {
  for (int j = 0; j < n; ++j) sum[j] -= row[j];
}

SG_MULTIVERSION void DivideRow(float* out, const float* sum, float count, int n) {
  for (int j = 0; j < n; ++j) out[j] = sum[j] / count;
}

// Box along rows of n <= 8 rows, keeping outputs only at the sampled
// columns: out is n x slots, and slot_of[c] is the output slot of column c or
// -1. The rows advance together so their running sums overlap in the pipeline.
void RowPassSampled(const float* const* rows, int n, int cols, int window, const int* slot_of, int slots,
                    float* out) {
  const Phases ph = PhasesFor(cols, window);
  const float* rp[kLanes];
  for (int k = 0; k < kLanes; ++k) rp[k] = rows[std::min(k, n - 1)];
  float sum[kLanes] = {};
  int ri = 0, li = 0, oi = 0, count = 0;
  auto emit = [&](float c) {
    const int slot = slot_of[oi];
    if (slot < 0) return;
    for (int k = 0; k < n; ++k) out[size_t(k) * slots + slot] = sum[k] / c;
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

}  // namespace sg::hashing::internal
