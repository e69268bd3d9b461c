// BruteForceQuery: the slow, obvious reference the index is tested against.
// Keep it obvious: no shortcuts, no shared code with the index.
#include <algorithm>

#include "matching/index/pdq_index.h"

namespace sg::matching {

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
