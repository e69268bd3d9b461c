#include "linking/identifier_table.h"

#include <functional>

namespace sg::linking {
namespace {

uint64_t Hash(std::string_view text) { return std::hash<std::string_view>{}(text); }
uint32_t NodeOf(uint64_t slot) { return static_cast<uint32_t>(slot); }
// The tag is the hash's low 32 bits, which also choose the home slot (the
// table stays under 2^32 slots), so Grow moves slots without hashing or
// reading a text.
uint64_t Tag(uint64_t hash) { return hash << 32; }
uint64_t HashBits(uint64_t slot) { return slot >> 32; }
uint64_t Low(uint64_t hash) { return hash & 0xffffffffULL; }

}  // namespace

void IdentifierTable::Batch::Add(IdentifierKind kind, std::string_view value) {
  const std::string_view name = KindName(kind);
  texts_.append(name).append(1, ':').append(value);
  ends_.push_back(static_cast<uint32_t>(texts_.size()));
  kinds_.push_back(kind);
  colons_.push_back(static_cast<uint8_t>(name.size()));
}

void IdentifierTable::Batch::AddText(std::string_view kind_name, std::string_view value) {
  texts_.append(kind_name).append(1, ':').append(value);
  ends_.push_back(static_cast<uint32_t>(texts_.size()));
}

void IdentifierTable::Batch::Clear() {
  texts_.clear();
  ends_.clear();
  kinds_.clear();
  colons_.clear();
}

IdentifierTable::IdentifierTable() : slots_(1024, kEmpty) {}

size_t IdentifierTable::Slot(std::string_view text, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  size_t at = hash & mask;
  while (slots_[at] != kEmpty && (HashBits(slots_[at]) != Low(hash) || Text(NodeOf(slots_[at])) != text)) {
    at = (at + 1) & mask;
  }
  return at;
}

void IdentifierTable::Grow() {
  std::vector<uint64_t, HugePageAllocator<uint64_t>> old = std::move(slots_);
  slots_.assign(old.size() * 2, kEmpty);
  const size_t mask = slots_.size() - 1;
  for (uint64_t slot : old) {
    if (slot == kEmpty) continue;
    size_t at = HashBits(slot) & mask;
    while (slots_[at] != kEmpty) at = (at + 1) & mask;  // every text is distinct
    slots_[at] = slot;
  }
}

uint32_t IdentifierTable::Add(IdentifierKind kind, uint8_t colon, std::string_view text, uint64_t hash, size_t slot) {
  const uint32_t node = size();
  arena_.append(text);
  start_.push_back(arena_.size());
  colon_.push_back(colon);
  kinds_.push_back(kind);
  slots_[slot] = Tag(hash) | node;
  if (2 * (static_cast<size_t>(node) + 1) > slots_.size()) Grow();
  return node;
}

uint32_t IdentifierTable::Intern(IdentifierKind kind, std::string_view value) {
  const std::string_view name = KindName(kind);
  scratch_.assign(name).append(1, ':').append(value);
  const uint64_t hash = Hash(scratch_);
  const size_t at = Slot(scratch_, hash);
  if (slots_[at] != kEmpty) return NodeOf(slots_[at]);
  return Add(kind, static_cast<uint8_t>(name.size()), scratch_, hash, at);
}

std::optional<uint32_t> IdentifierTable::Find(std::string_view text) const {
  const size_t at = Slot(text, Hash(text));
  if (slots_[at] == kEmpty) return std::nullopt;
  return NodeOf(slots_[at]);
}

void IdentifierTable::Prefetch(Batch& batch) const {
  const size_t n = batch.size(), mask = slots_.size() - 1;
  batch.hashes_.resize(n);
  batch.hints_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    batch.hashes_[i] = Hash(batch.Text(i));
    __builtin_prefetch(&slots_[batch.hashes_[i] & mask]);
  }
  // A hint: the first slot of the probe carrying the text's tag (almost
  // always the text's own). Only a hint: InternAll and FindAll look again.
  for (size_t i = 0; i < n; ++i) {
    batch.hints_[i] = kNone;
    for (size_t at = batch.hashes_[i] & mask, probes = 0; slots_[at] != kEmpty && probes < 8;
         at = (at + 1) & mask, ++probes) {
      if (HashBits(slots_[at]) == Low(batch.hashes_[i])) {
        batch.hints_[i] = NodeOf(slots_[at]);
        __builtin_prefetch(&start_[batch.hints_[i]]);
        break;
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (batch.hints_[i] != kNone) __builtin_prefetch(arena_.data() + start_[batch.hints_[i]]);
  }
}

void IdentifierTable::InternAll(Batch& batch, std::vector<uint32_t>& out) {
  Prefetch(batch);
  for (size_t i = 0; i < batch.size(); ++i) {
    const std::string_view text = batch.Text(i);
    const size_t at = Slot(text, batch.hashes_[i]);
    out.push_back(slots_[at] != kEmpty ? NodeOf(slots_[at])
                                       : Add(batch.kinds_[i], batch.colons_[i], text, batch.hashes_[i], at));
  }
}

void IdentifierTable::FindAll(Batch& batch, std::vector<uint32_t>& out) const {
  Prefetch(batch);
  for (size_t i = 0; i < batch.size(); ++i) {
    const size_t at = Slot(batch.Text(i), batch.hashes_[i]);
    out.push_back(slots_[at] != kEmpty ? NodeOf(slots_[at]) : kNone);
  }
}

}  // namespace sg::linking
