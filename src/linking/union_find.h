// UnionFind over dense node ids (path halving, union by size), with split
// tags: a root may carry (decision, side) pairs, and Join refuses to join
// two roots that hold different sides of one decision. Internal to linking.
// Thread safety: none; a value type.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sg::linking {

class UnionFind {
 public:
  using Tag = std::pair<int64_t, bool>;  // decision id, side (true: the split-off side)

  explicit UnionFind(size_t n) : parent_(n), size_(n, 1) {
    for (size_t i = 0; i < n; ++i) parent_[i] = static_cast<uint32_t>(i);
  }
  size_t size() const { return parent_.size(); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  bool Conflicts(uint32_t a, uint32_t b) {
    auto ia = tags_.find(Find(a)), ib = tags_.find(Find(b));
    if (ia == tags_.end() || ib == tags_.end()) return false;
    for (const Tag& x : ia->second) {
      for (const Tag& y : ib->second) {
        if (x.first == y.first && x.second != y.second) return true;
      }
    }
    return false;
  }
  // Joins unless the tags conflict (forced: always); true if joined or
  // already one.
  bool Join(uint32_t a, uint32_t b, bool forced) {
    a = Find(a);
    b = Find(b);
    if (a == b) return true;
    if (!forced && Conflicts(a, b)) return false;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    auto it = tags_.find(b);
    if (it != tags_.end()) {
      auto& into = tags_[a];
      for (const Tag& t : it->second) into.push_back(t);
      tags_.erase(it);
      if (forced) DropMetSplits(a);
    }
    return true;
  }
  void AddTag(uint32_t x, Tag tag) { tags_[Find(x)].push_back(tag); }
  const std::unordered_map<uint32_t, std::vector<Tag>>& tags() const { return tags_; }

 private:
  // A forced join that brings both sides of a split together undoes it.
  void DropMetSplits(uint32_t root) {
    auto& v = tags_[root];
    std::vector<Tag> kept;
    for (const Tag& t : v) {
      bool met = false;
      for (const Tag& u : v) met = met || (u.first == t.first && u.second != t.second);
      if (!met) kept.push_back(t);
    }
    v = std::move(kept);
  }

  std::vector<uint32_t> parent_, size_;
  std::unordered_map<uint32_t, std::vector<Tag>> tags_;
};

}  // namespace sg::linking
