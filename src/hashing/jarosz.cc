// Kernels of the fast Jarosz filter (see pdq_stream.cc for how they are
// scheduled): the portable versions and the dispatch to the AVX2 ones
// (jarosz_avx2.cc). Each computes exactly the reference box1D's float
// operations in its order (sum += in[ri]; sum -= in[li]; out = sum / count),
// only for several independent lines at once, so results are bit-identical.
#include <algorithm>
#include <atomic>
#include <vector>

#include "hashing/pdq_internal.h"

namespace sg::hashing::internal {

Phases PhasesFor(int length, int window) {
  const int half = (window + 2) / 2;
  return {half - 1, window - half + 1, length - window, half - 1};
}

LineFilter::LineFilter(int length_, int window_) : length(length_), window(window_) {
  const Phases ph = PhasesFor(length, window);
  half = ph.grow_silent + 1;
  grow = ph.grow;
  count.resize(std::max(length, 0));
  recip.resize(count.size());
  int c = ph.grow_silent;
  for (int o = 0; o < length; ++o) {
    if (o < ph.grow) ++c;
    if (o >= ph.grow + ph.full) --c;
    count[o] = static_cast<float>(c);
    recip[o] = 1.0f / count[o];
  }
  recip_exact = window <= kMaxExactReciprocalDivisor;
}

namespace {
std::atomic<bool> force_portable{false};

// box1D along one line, by output index (see LineFilter).
template <typename Store>
void BoxLine(const float* in, const LineFilter& f, Store store) {
  const int n = f.length;
  float sum = 0.0f;
  for (int t = 0; t < f.half - 1; ++t) sum += in[t];
  for (int o = 0; o < n; ++o) {
    const int ri = o + f.half - 1, li = o - f.grow;
    if (ri < n) sum += in[ri];
    if (li >= 0) sum -= in[li];
    store(o, sum);
  }
}
}  // namespace

void ForcePortableKernels(bool portable) { force_portable = portable; }
bool UseAvx2Kernels() { return HasAvx2() && !force_portable; }

void BoxRows(const float* const* in, float* const* out, int n, const LineFilter& f) {
  if (UseAvx2Kernels()) return BoxRowsAvx2(in, out, n, f);
  for (int k = 0; k < n; ++k) {
    float* o = out[k];
    BoxLine(in[k], f, [&](int i, float sum) { o[i] = sum / f.count[i]; });
  }
}

void BoxRowsSampled(const float* const* in, int n, const LineFilter& f, const int* slot_of, int slots,
                    float* out) {
  if (UseAvx2Kernels()) return BoxRowsSampledAvx2(in, n, f, slot_of, slots, out);
  for (int k = 0; k < n; ++k) {
    float* o = out + size_t(k) * slots;
    BoxLine(in[k], f, [&](int i, float sum) {
      if (slot_of[i] >= 0) o[slot_of[i]] = sum / f.count[i];
    });
  }
}

void ColumnStep(float* sum, const float* lead, const float* trail, float* out, float count, float recip, int n) {
  if (UseAvx2Kernels()) return ColumnStepAvx2(sum, lead, trail, out, count, recip, n);
  if (lead) {
    for (int j = 0; j < n; ++j) sum[j] += lead[j];
  }
  if (trail) {
    for (int j = 0; j < n; ++j) sum[j] -= trail[j];
  }
  if (out) {
    for (int j = 0; j < n; ++j) out[j] = sum[j] / count;
  }
}

// Box along columns of a rows x cols plane, in place, one running sum per
// column. Output row o is written only after input rows up to o + (half - 1)
// were read, so reading ahead is safe; the trailing edge reads input rows
// already overwritten, which a ring of the last `grow + 1` inputs keeps.
void ColPassInPlace(float* plane, int rows, int cols, int window) {
  const LineFilter f(rows, window);
  const int ring_rows = f.grow + 1;
  thread_local std::vector<float> ring_buf, sum_buf;
  if (ring_buf.size() < size_t(ring_rows) * cols) ring_buf.resize(size_t(ring_rows) * cols);
  sum_buf.assign(cols, 0.0f);
  float* ring = ring_buf.data();
  float* sum = sum_buf.data();
  auto row = [&](int i) { return plane + size_t(i) * cols; };
  auto saved = [&](int i) { return ring + size_t(i % ring_rows) * cols; };
  for (int t = 0; t < f.half - 1; ++t) ColumnStep(sum, row(t), nullptr, nullptr, 1.0f, 1.0f, cols);
  for (int o = 0; o < rows; ++o) {
    const int ri = o + f.half - 1, li = o - f.grow;
    // Row o is about to be overwritten; the trailing edge needs it later.
    // Its slot last held row o - ring_rows = li - 1, no longer needed.
    std::copy(row(o), row(o) + cols, saved(o));
    ColumnStep(sum, ri < rows ? row(ri) : nullptr, li >= 0 ? saved(li) : nullptr, row(o), f.count[o],
               f.recip_exact ? f.recip[o] : 0.0f, cols);
  }
}

}  // namespace sg::hashing::internal
