// IdentifierTable: interns identifier texts ("kind:value") to dense node ids
// for the rebuild. One arena holds every text once and an open-addressing
// table holds 4-byte node ids, so ten million distinct identifiers cost
// their text plus about 25 bytes each (a hash map of std::string would add
// some 80). Internal to linking. Thread safety: a value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linking/identifiers.h"

namespace sg::linking {

class IdentifierTable {
 public:
  IdentifierTable();
  // The node of kind:value, added if new.
  uint32_t Intern(IdentifierKind kind, std::string_view value);
  // The node of a "kind:value" text, if interned.
  std::optional<uint32_t> Find(std::string_view text) const;

  std::string_view Text(uint32_t node) const {
    return std::string_view(arena_).substr(start_[node], start_[node + 1] - start_[node]);
  }
  std::string_view Kind(uint32_t node) const { return Text(node).substr(0, colon_[node]); }
  std::string_view Value(uint32_t node) const { return Text(node).substr(colon_[node] + 1); }
  IdentifierKind kind(uint32_t node) const { return kinds_[node]; }
  uint32_t size() const { return static_cast<uint32_t>(kinds_.size()); }

 private:
  // A slot: the node id in the low 32 bits, the high 32 bits of the text's
  // hash above, so most probes that miss are settled without reading the
  // text (a cache miss in a large arena).
  static constexpr uint64_t kEmpty = UINT64_MAX;
  size_t Slot(std::string_view text, uint64_t hash) const;  // the slot holding text, or the empty one it would take
  void Grow();

  std::string arena_;
  std::vector<uint64_t> start_{0};  // node i's text is arena_[start_[i], start_[i + 1])
  std::vector<uint8_t> colon_;      // the length of its kind name
  std::vector<IdentifierKind> kinds_;
  std::vector<uint64_t> slots_;  // a power of two, at most half full
  std::string scratch_;
};

}  // namespace sg::linking
