// LargeArray<T>: a fixed-size array of trivially copyable T in its own
// anonymous mapping, backed by transparent huge pages where the kernel allows.
//
// Why: queries read the index at random (a candidate's 32-byte hash anywhere
// in 320 MB at 10M hashes). With 4 KiB pages nearly every such read also
// misses the TLB; 2 MiB pages cut the page walks. The memory is zeroed.
// Thread safety: as a plain array. Move-only.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace sg::matching::internal {

// Maps `bytes` (rounded up to 2 MiB) aligned to 2 MiB and asks for huge
// pages; throws std::bad_alloc if the mapping fails.
void* MapLarge(size_t bytes, size_t* mapped);
void UnmapLarge(void* p, size_t mapped);

template <typename T>
class LargeArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  LargeArray() = default;
  explicit LargeArray(size_t n) : n_(n) {
    if (n > 0) data_ = static_cast<T*>(MapLarge(n * sizeof(T), &mapped_));
  }
  ~LargeArray() {
    if (data_ != nullptr) UnmapLarge(data_, mapped_);
  }
  LargeArray(LargeArray&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), n_(std::exchange(o.n_, 0)), mapped_(std::exchange(o.mapped_, 0)) {}
  LargeArray& operator=(LargeArray&& o) noexcept {
    LargeArray old(std::move(*this));
    data_ = std::exchange(o.data_, nullptr);
    n_ = std::exchange(o.n_, 0);
    mapped_ = std::exchange(o.mapped_, 0);
    return *this;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return n_; }
  T& operator[](size_t i) { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + n_; }

 private:
  T* data_ = nullptr;
  size_t n_ = 0;
  size_t mapped_ = 0;
};

}  // namespace sg::matching::internal
