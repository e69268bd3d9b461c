#include "linking/identifier_table.h"

#include <functional>

namespace sg::linking {
namespace {

uint64_t Hash(std::string_view text) { return std::hash<std::string_view>{}(text); }
uint32_t NodeOf(uint64_t slot) { return static_cast<uint32_t>(slot); }
uint64_t Tag(uint64_t hash) { return hash & 0xffffffff00000000ULL; }

}  // namespace

IdentifierTable::IdentifierTable() : slots_(1024, kEmpty) {}

size_t IdentifierTable::Slot(std::string_view text, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  size_t at = hash & mask;
  while (slots_[at] != kEmpty && (Tag(slots_[at]) != Tag(hash) || Text(NodeOf(slots_[at])) != text)) {
    at = (at + 1) & mask;
  }
  return at;
}

void IdentifierTable::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.size() * 2, kEmpty);
  const size_t mask = slots_.size() - 1;
  for (uint64_t slot : old) {
    if (slot == kEmpty) continue;
    size_t at = Hash(Text(NodeOf(slot))) & mask;
    while (slots_[at] != kEmpty) at = (at + 1) & mask;  // every text is distinct
    slots_[at] = slot;
  }
}

uint32_t IdentifierTable::Intern(IdentifierKind kind, std::string_view value) {
  const std::string_view name = KindName(kind);
  scratch_.assign(name).append(1, ':').append(value);
  const uint64_t hash = Hash(scratch_);
  const size_t at = Slot(scratch_, hash);
  if (slots_[at] != kEmpty) return NodeOf(slots_[at]);
  const uint32_t node = size();
  arena_.append(scratch_);
  start_.push_back(arena_.size());
  colon_.push_back(static_cast<uint8_t>(name.size()));
  kinds_.push_back(kind);
  slots_[at] = Tag(hash) | node;
  if (2 * (static_cast<size_t>(node) + 1) > slots_.size()) Grow();
  return node;
}

std::optional<uint32_t> IdentifierTable::Find(std::string_view text) const {
  const size_t at = Slot(text, Hash(text));
  if (slots_[at] == kEmpty) return std::nullopt;
  return NodeOf(slots_[at]);
}

}  // namespace sg::linking
