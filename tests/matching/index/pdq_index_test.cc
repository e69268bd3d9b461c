#include "matching/index/pdq_index.h"

#include <gtest/gtest.h>

#include <random>

namespace sg::matching {
namespace {

hashing::Hash256 RandomHash(std::mt19937_64& rng) {
  hashing::Hash256 h;
  for (auto& w : h.words) w = static_cast<uint16_t>(rng());
  return h;
}

TEST(PdqIndexTest, AgreesWithBruteForceOnPlantedNeighbours) {
  std::mt19937_64 rng(7);
  std::vector<hashing::Hash256> hashes;
  for (int i = 0; i < 2000; ++i) hashes.push_back(RandomHash(rng));
  hashing::Hash256 query = RandomHash(rng);
  // One planted neighbour at every distance 0..40.
  for (int d = 0; d <= 40; ++d) {
    hashing::Hash256 h = query;
    for (int k = 0; k < d; ++k) h.FlipBit((k * 37) % 256);
    hashes.push_back(h);
  }
  PdqIndex index = PdqIndex::Build(hashes);
  for (int radius : {0, 1, 15, 31, 32, 40}) {
    std::vector<PdqHit> hits;
    index.Query(query, radius, &hits);
    EXPECT_EQ(hits, BruteForceQuery(hashes, query, radius)) << "radius " << radius;
    EXPECT_EQ(hits.size(), static_cast<size_t>(radius + 1)) << "radius " << radius;
  }
}

}  // namespace
}  // namespace sg::matching
