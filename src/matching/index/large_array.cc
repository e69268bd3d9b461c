#include "matching/index/large_array.h"

#include <sys/mman.h>

#include <cstdint>

namespace sg::matching::internal {
namespace {
constexpr size_t kHuge = size_t{2} << 20;
}

void* MapLarge(size_t bytes, size_t* mapped) {
  const size_t size = (bytes + kHuge - 1) / kHuge * kHuge;
  // Over-map by one huge page and trim, so the array starts on a 2 MiB
  // boundary (a huge page can only back an aligned 2 MiB range).
  void* raw = ::mmap(nullptr, size + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHuge - 1) / kHuge * kHuge;
  if (aligned > start) ::munmap(raw, aligned - start);
  const uintptr_t tail = aligned + size;
  if (start + size + kHuge > tail) ::munmap(reinterpret_cast<void*>(tail), start + size + kHuge - tail);
  void* p = reinterpret_cast<void*>(aligned);
  ::madvise(p, size, MADV_HUGEPAGE);  // advisory: without THP, plain pages
  *mapped = size;
  return p;
}

void UnmapLarge(void* p, size_t mapped) { ::munmap(p, mapped); }

}  // namespace sg::matching::internal
