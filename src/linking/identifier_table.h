// IdentifierTable: interns identifier texts ("kind:value") to dense node ids
// for the rebuild. One arena holds every text once and an open-addressing
// table holds 8-byte slots, so ten million distinct identifiers cost their
// text plus about 30 bytes each (a hash map of std::string would add some
// 80). At that size every lookup is a few cache and TLB misses (slot, text
// offset, text): the large arrays ask for huge pages, and a Batch of
// lookups is prefetched stage by stage so those misses overlap.
// Internal to linking. Thread safety: a value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linking/huge_page_allocator.h"
#include "linking/identifiers.h"

namespace sg::linking {

class IdentifierTable {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Texts to look up together (InternAll, FindAll). Reused: Clear keeps
  // its memory.
  class Batch {
   public:
    // A good size: enough lookups to overlap their misses, few enough that
    // what was prefetched is still in cache when it is used.
    static constexpr size_t kSize = 32;
    // "kind:value" for InternAll.
    void Add(IdentifierKind kind, std::string_view value);
    // A "kind:value" text for FindAll (its kind is not needed).
    void AddText(std::string_view kind_name, std::string_view value);
    size_t size() const { return ends_.size(); }
    void Clear();
    // The i-th "kind:value".
    std::string_view Text(size_t i) const {
      const size_t begin = i == 0 ? 0 : ends_[i - 1];
      return std::string_view(texts_).substr(begin, ends_[i] - begin);
    }

   private:
    friend class IdentifierTable;
    std::string texts_;
    std::vector<uint32_t> ends_;
    std::vector<IdentifierKind> kinds_;
    std::vector<uint8_t> colons_;
    std::vector<uint64_t> hashes_;
    std::vector<uint32_t> hints_;  // a node whose slot carries the text's tag, or kNone
  };

  IdentifierTable();
  // The node of kind:value, added if new.
  uint32_t Intern(IdentifierKind kind, std::string_view value);
  // The node of a "kind:value" text, if interned.
  std::optional<uint32_t> Find(std::string_view text) const;
  // The batch's nodes in order (added if new; the same nodes as Intern one
  // by one), appended to `out`.
  void InternAll(Batch& batch, std::vector<uint32_t>& out);
  // The batch's nodes in order, kNone where a text is not interned.
  void FindAll(Batch& batch, std::vector<uint32_t>& out) const;

  std::string_view Text(uint32_t node) const {
    return std::string_view(arena_).substr(start_[node], start_[node + 1] - start_[node]);
  }
  std::string_view Kind(uint32_t node) const { return Text(node).substr(0, colon_[node]); }
  std::string_view Value(uint32_t node) const { return Text(node).substr(colon_[node] + 1); }
  IdentifierKind kind(uint32_t node) const { return kinds_[node]; }
  uint32_t size() const { return static_cast<uint32_t>(kinds_.size()); }

 private:
  // A slot: the node id in the low 32 bits, the low 32 bits of the text's
  // hash above, so most probes that miss are settled without reading the
  // text (a cache miss in a large arena).
  static constexpr uint64_t kEmpty = UINT64_MAX;
  size_t Slot(std::string_view text, uint64_t hash) const;  // the slot holding text, or the empty one it would take
  uint32_t Add(IdentifierKind kind, uint8_t colon, std::string_view text, uint64_t hash, size_t slot);
  void Grow();
  // Prefetches, for each of the batch's texts, its home slot, then the
  // offset of the node its tag points at, then that node's text.
  void Prefetch(Batch& batch) const;

  std::basic_string<char, std::char_traits<char>, HugePageAllocator<char>> arena_;
  std::vector<uint64_t, HugePageAllocator<uint64_t>> start_{0};  // node i's text is arena_[start_[i], start_[i + 1])
  std::vector<uint8_t> colon_;                                   // the length of its kind name
  std::vector<IdentifierKind> kinds_;
  std::vector<uint64_t, HugePageAllocator<uint64_t>> slots_;  // a power of two, at most half full
  std::string scratch_;
};

}  // namespace sg::linking
