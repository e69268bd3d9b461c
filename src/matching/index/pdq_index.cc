// Placeholder implementation (brute force, no file format yet): replaced by
// the multi-index implementation.
#include "matching/index/pdq_index.h"

#include <algorithm>

namespace sg::matching {

struct PdqIndex::Impl {
  std::vector<hashing::Hash256> hashes;
  uint64_t tag = 0;
};

PdqIndex::PdqIndex() : impl_(std::make_unique<Impl>()) {}
PdqIndex::~PdqIndex() = default;
PdqIndex::PdqIndex(PdqIndex&&) noexcept = default;
PdqIndex& PdqIndex::operator=(PdqIndex&&) noexcept = default;

PdqIndex PdqIndex::Build(std::span<const hashing::Hash256> hashes, uint64_t tag) {
  PdqIndex index;
  index.impl_->hashes.assign(hashes.begin(), hashes.end());
  index.impl_->tag = tag;
  return index;
}

Result<PdqIndex> PdqIndex::Open(const std::filesystem::path& path) {
  return NotFound("no index file format yet: " + path.string());
}

Status PdqIndex::Write(const std::filesystem::path& path) const {
  return Unsupported("no index file format yet: " + path.string());
}

uint64_t PdqIndex::tag() const { return impl_->tag; }
size_t PdqIndex::size() const { return impl_->hashes.size(); }
const hashing::Hash256& PdqIndex::hash(uint32_t index) const { return impl_->hashes[index]; }
size_t PdqIndex::MemoryBytes() const { return impl_->hashes.size() * sizeof(hashing::Hash256); }

void PdqIndex::Query(const hashing::Hash256& query, int radius, std::vector<PdqHit>* out) const {
  auto hits = BruteForceQuery(impl_->hashes, query, radius);
  out->insert(out->end(), hits.begin(), hits.end());
}

std::vector<PdqHit> BruteForceQuery(std::span<const hashing::Hash256> hashes,
                                    const hashing::Hash256& query, int radius) {
  std::vector<PdqHit> hits;
  for (size_t i = 0; i < hashes.size(); ++i) {
    int d = hashing::HammingDistance(hashes[i], query);
    if (d <= radius) hits.push_back({static_cast<uint32_t>(i), d});
  }
  std::sort(hits.begin(), hits.end(), [](const PdqHit& a, const PdqHit& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.index < b.index;
  });
  return hits;
}

}  // namespace sg::matching
