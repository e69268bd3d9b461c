#include "matching/index/pdq_index.h"

#include <algorithm>
#include <utility>

#include "matching/index/file_io.h"
#include "matching/index/index_file.h"
#include "matching/index/large_array.h"
#include "matching/index/multi_index.h"

namespace sg::matching {

// Either owns the arrays (Build) or the mapping (Open); `view` points into
// whichever it is. Moving an Impl never moves the arrays themselves (vector
// and mapping moves keep their buffers), so the view stays valid.
struct PdqIndex::Impl {
  internal::LargeArray<hashing::Hash256> hashes;
  internal::LargeArray<uint32_t> offsets;
  internal::LargeArray<uint32_t> entries;
  internal::MappedFile file;
  internal::IndexView view;
  uint64_t tag = 0;
};

PdqIndex::PdqIndex() : impl_(std::make_unique<Impl>()) {}
PdqIndex::~PdqIndex() = default;
PdqIndex::PdqIndex(PdqIndex&&) noexcept = default;
PdqIndex& PdqIndex::operator=(PdqIndex&&) noexcept = default;

PdqIndex PdqIndex::Build(std::vector<hashing::Hash256>&& hashes, uint64_t tag) {
  PdqIndex index = Build(std::span<const hashing::Hash256>(hashes), tag);
  std::vector<hashing::Hash256>().swap(hashes);
  return index;
}

PdqIndex PdqIndex::Build(std::span<const hashing::Hash256> hashes, uint64_t tag) {
  PdqIndex index;
  Impl& impl = *index.impl_;
  impl.tag = tag;
  const size_t n = hashes.size();
  if (n > 0) {
    impl.hashes = internal::LargeArray<hashing::Hash256>(n);
    std::copy(hashes.begin(), hashes.end(), impl.hashes.begin());
    impl.offsets = internal::LargeArray<uint32_t>(internal::kTables * internal::kOffsetsPerTable);
    impl.entries = internal::LargeArray<uint32_t>(internal::kTables * n);
    internal::BuildTables(hashes, internal::PositionBits(n), impl.offsets.data(), impl.entries.data());
  }
  impl.view = {impl.hashes.data(), n, impl.offsets.data(), impl.entries.data(), internal::PositionBits(n)};
  return index;
}

Result<PdqIndex> PdqIndex::Open(const std::filesystem::path& path) {
  SG_ASSIGN_OR_RETURN(internal::MappedFile file, internal::MappedFile::Open(path));
  SG_ASSIGN_OR_RETURN(internal::ParsedIndex parsed, internal::ParseIndex(file.bytes(), path.string()));
  PdqIndex index;
  index.impl_->file = std::move(file);
  index.impl_->view = parsed.view;
  index.impl_->tag = parsed.tag;
  return index;
}

Status PdqIndex::Write(const std::filesystem::path& path) const {
  return internal::WriteFileAtomically(path, [&](internal::FileSink& sink) {
    return internal::WriteIndex(impl_->view, impl_->tag,
                                [&](std::span<const std::byte> bytes) { return sink.Append(bytes); });
  });
}

uint64_t PdqIndex::tag() const { return impl_->tag; }
size_t PdqIndex::size() const { return impl_->view.n; }
const hashing::Hash256& PdqIndex::hash(uint32_t index) const { return impl_->view.hashes[index]; }

size_t PdqIndex::MemoryBytes() const {
  const Impl& impl = *impl_;
  if (!impl.file.bytes().empty()) return impl.file.bytes().size();
  return impl.hashes.size() * sizeof(hashing::Hash256) + (impl.offsets.size() + impl.entries.size()) * sizeof(uint32_t);
}

void PdqIndex::Query(const hashing::Hash256& query, int radius, std::vector<PdqHit>* out) const {
  internal::QueryView(impl_->view, query, radius, internal::QueryPlan::kAuto, out);
}

}  // namespace sg::matching
