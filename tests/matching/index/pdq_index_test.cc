#include "matching/index/pdq_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <thread>

#include "matching/index/index_file.h"
#include "matching/index/multi_index.h"

namespace sg::matching {
namespace {

using hashing::Hash256;
using internal::QueryPlan;

Hash256 RandomHash(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& w : h.words) w = static_cast<uint16_t>(rng());
  return h;
}

// `h` with exactly `d` distinct bits flipped, chosen at random.
Hash256 FlipRandomBits(Hash256 h, int d, std::mt19937_64& rng) {
  std::array<int, 256> bits;
  std::iota(bits.begin(), bits.end(), 0);
  std::shuffle(bits.begin(), bits.end(), rng);
  for (int k = 0; k < d; ++k) h.FlipBit(bits[k]);
  return h;
}

// `h` with `d` flips packed into as few chunks as possible (all in chunk 0,
// then chunk 1...): the hardest case for the pigeonhole, which must still
// find it through the chunks left untouched or barely touched.
Hash256 FlipPackedBits(Hash256 h, int d, int first_chunk) {
  for (int k = 0; k < d; ++k) h.FlipBit((first_chunk * 16 + k) % 256);
  return h;
}

// `h` with `d` flips spread evenly over the 16 chunks: every chunk differs
// by floor(d/16) or ceil(d/16) bits, the tightest case for the thresholds.
Hash256 FlipSpreadBits(Hash256 h, int d) {
  for (int k = 0; k < d; ++k) h.FlipBit((k % 16) * 16 + k / 16);
  return h;
}

std::vector<PdqHit> QueryWith(const PdqIndex& index, const Hash256& q, int radius) {
  std::vector<PdqHit> hits;
  index.Query(q, radius, &hits);
  return hits;
}

// A set of random hashes plus, around `query`, neighbours planted at every
// distance 0..max_d, three ways each (random, packed, spread).
std::vector<Hash256> PlantedSet(const Hash256& query, int background, int max_d, std::mt19937_64& rng) {
  std::vector<Hash256> hashes;
  for (int i = 0; i < background; ++i) hashes.push_back(RandomHash(rng));
  for (int d = 0; d <= max_d && d <= 256; ++d) {
    hashes.push_back(FlipRandomBits(query, d, rng));
    hashes.push_back(FlipPackedBits(query, d, d % 16));
    hashes.push_back(FlipSpreadBits(query, d));
  }
  std::shuffle(hashes.begin(), hashes.end(), rng);
  return hashes;
}

// An index view over `hashes` with a chosen number of position bits.
struct TestView {
  TestView(const std::vector<Hash256>& hashes, int pos_bits)
      : offsets(internal::kTables * internal::kOffsetsPerTable), entries(internal::kTables * hashes.size()) {
    internal::BuildTables(hashes, pos_bits, offsets.data(), entries.data());
    view = {hashes.data(), hashes.size(), offsets.data(), entries.data(), pos_bits};
  }
  std::vector<uint32_t> offsets, entries;
  internal::IndexView view;
};

class RadiusTest : public ::testing::TestWithParam<int> {};

TEST_P(RadiusTest, FullRecallOnPlantedNeighboursWithEveryPlan) {
  const int radius = GetParam();
  std::mt19937_64 rng(1000 + radius);
  const Hash256 query = RandomHash(rng);
  std::vector<Hash256> hashes = PlantedSet(query, 3000, radius + 2, rng);
  PdqIndex index = PdqIndex::Build(hashes);

  const std::vector<PdqHit> expected = BruteForceQuery(hashes, query, radius);
  // Three planted at each distance 0..radius (capped at 256), plus any
  // random hash that happens to fall inside.
  ASSERT_GE(expected.size(), 3u * (std::min(radius, 256) + 1));
  EXPECT_EQ(QueryWith(index, query, radius), expected);
  // Both plans, with the full 16-bit fingerprint this small set gets and
  // with the narrower ones of large sets (8 bits at 10M hashes, 2 at 1G).
  // (Above radius 64 the forced multi-index plan probes up to 2^20 buckets:
  // one fingerprint width is enough there, to keep the sanitizer run short.)
  std::vector<int> widths = {internal::PositionBits(hashes.size())};
  if (radius <= 64) widths.insert(widths.end(), {24, 30, 32});
  for (int pos_bits : widths) {
    TestView tv(hashes, pos_bits);
    for (QueryPlan plan : {QueryPlan::kMultiIndex, QueryPlan::kScan}) {
      for (internal::Kernel kernel : {internal::Kernel::kBest, internal::Kernel::kScalar}) {
        std::vector<PdqHit> hits;
        internal::QueryView(tv.view, query, radius, plan, &hits, kernel);
        EXPECT_EQ(hits, expected) << "plan " << static_cast<int>(plan) << " pos_bits " << pos_bits
                                  << " kernel " << static_cast<int>(kernel);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Radii, RadiusTest,
                         ::testing::Values(0, 1, 2, 14, 15, 16, 17, 30, 31, 32, 33, 46, 47, 48, 63,
                                           64, 100, 200, 256));

TEST(PdqIndexTest, RandomQueriesAgreeWithBruteForce) {
  std::mt19937_64 rng(11);
  std::vector<Hash256> hashes;
  for (int i = 0; i < 5000; ++i) hashes.push_back(RandomHash(rng));
  PdqIndex index = PdqIndex::Build(hashes);
  for (int i = 0; i < 50; ++i) {
    // Queries near an indexed hash, so that the random set has hits too.
    Hash256 q = FlipRandomBits(hashes[rng() % hashes.size()], static_cast<int>(rng() % 40), rng);
    for (int radius : {0, 8, 31, 40}) {
      EXPECT_EQ(QueryWith(index, q, radius), BruteForceQuery(hashes, q, radius)) << i << " r" << radius;
    }
  }
}

TEST(PdqIndexTest, ClusteredSetAgreesWithBruteForce) {
  // Clusters of near-duplicates crowd a few buckets; recall must not suffer.
  std::mt19937_64 rng(12);
  std::vector<Hash256> hashes;
  std::vector<Hash256> centres;
  for (int c = 0; c < 40; ++c) {
    Hash256 centre = RandomHash(rng);
    centres.push_back(centre);
    for (int k = 0; k < 100; ++k) hashes.push_back(FlipRandomBits(centre, static_cast<int>(rng() % 24), rng));
  }
  for (int i = 0; i < 2000; ++i) hashes.push_back(RandomHash(rng));
  PdqIndex index = PdqIndex::Build(hashes);
  for (const Hash256& centre : centres) {
    Hash256 q = FlipRandomBits(centre, 10, rng);
    for (int radius : {0, 16, 31, 47}) {
      std::vector<PdqHit> expected = BruteForceQuery(hashes, q, radius);
      EXPECT_EQ(QueryWith(index, q, radius), expected) << "r" << radius;
      if (radius == 31) {
        EXPECT_GT(expected.size(), 10u);
      }
    }
  }
}

TEST(PdqIndexTest, DuplicatesAreAllReturned) {
  std::mt19937_64 rng(13);
  std::vector<Hash256> hashes;
  for (int i = 0; i < 1000; ++i) hashes.push_back(RandomHash(rng));
  const Hash256 dup = hashes[10];
  hashes.push_back(dup);
  hashes.push_back(dup);
  hashes.push_back(FlipRandomBits(dup, 3, rng));
  hashes.push_back(hashes.back());
  PdqIndex index = PdqIndex::Build(hashes);
  std::vector<PdqHit> hits = QueryWith(index, dup, 31);
  std::vector<PdqHit> expected = {{10, 0}, {1000, 0}, {1001, 0}, {1002, 3}, {1003, 3}};
  EXPECT_EQ(hits, expected);
  EXPECT_EQ(hits, BruteForceQuery(hashes, dup, 31));
}

TEST(PdqIndexTest, AllHashesEqual) {
  std::vector<Hash256> hashes(500, Hash256{});
  PdqIndex index = PdqIndex::Build(hashes);
  EXPECT_EQ(QueryWith(index, Hash256{}, 0).size(), 500u);
  Hash256 q;
  q.FlipBit(200);
  std::vector<PdqHit> hits = QueryWith(index, q, 31);
  ASSERT_EQ(hits.size(), 500u);
  EXPECT_EQ(hits.front(), (PdqHit{0, 1}));
  EXPECT_EQ(hits.back(), (PdqHit{499, 1}));
  EXPECT_TRUE(QueryWith(index, q, 0).empty());
}

TEST(PdqIndexTest, EmptyIndex) {
  PdqIndex built = PdqIndex::Build(std::span<const Hash256>());
  PdqIndex defaulted;
  for (const PdqIndex* index : {&built, &defaulted}) {
    EXPECT_EQ(index->size(), 0u);
    EXPECT_TRUE(QueryWith(*index, Hash256{}, 256).empty());
  }
}

TEST(PdqIndexTest, QueryAppendsAndOutOfRangeRadii) {
  std::vector<Hash256> hashes = {Hash256{}, Hash256{}};
  hashes[1].FlipBit(5);
  PdqIndex index = PdqIndex::Build(hashes, 9);
  std::vector<PdqHit> out = {{77, 77}};
  index.Query(Hash256{}, 1, &out);
  EXPECT_EQ(out, (std::vector<PdqHit>{{77, 77}, {0, 0}, {1, 1}}));
  EXPECT_TRUE(QueryWith(index, Hash256{}, -1).empty());
  EXPECT_EQ(QueryWith(index, Hash256{}, 1000).size(), 2u);
  EXPECT_EQ(index.hash(1), hashes[1]);
  EXPECT_EQ(index.tag(), 9u);
}

TEST(PdqIndexTest, BuildFromMovedVector) {
  std::mt19937_64 rng(14);
  std::vector<Hash256> hashes;
  for (int i = 0; i < 300; ++i) hashes.push_back(RandomHash(rng));
  std::vector<Hash256> copy = hashes;
  PdqIndex index = PdqIndex::Build(std::move(copy), 5);
  ASSERT_EQ(index.size(), 300u);
  EXPECT_EQ(index.hash(299), hashes[299]);
  EXPECT_EQ(QueryWith(index, hashes[7], 31), BruteForceQuery(hashes, hashes[7], 31));
}

TEST(PdqIndexTest, ConcurrentQueriesAgree) {
  std::mt19937_64 rng(15);
  std::vector<Hash256> hashes;
  for (int i = 0; i < 4000; ++i) hashes.push_back(RandomHash(rng));
  std::vector<Hash256> queries;
  for (int i = 0; i < 40; ++i) queries.push_back(FlipRandomBits(hashes[i * 50], 20, rng));
  PdqIndex index = PdqIndex::Build(hashes);
  std::vector<std::vector<PdqHit>> expected;
  for (const Hash256& q : queries) expected.push_back(BruteForceQuery(hashes, q, 31));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (size_t i = 0; i < queries.size(); ++i) {
          if (QueryWith(index, queries[i], 31) != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// ---- the file ----

class PdqIndexFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pdq_index_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string ReadAll(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void WriteAll(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
  }
  // Opens `bytes` as a file and expects kDataLoss naming the file and `reason`.
  void ExpectRejected(const std::string& bytes, const std::string& reason) {
    std::filesystem::path p = dir_ / "bad.pdqidx";
    WriteAll(p, bytes);
    Result<PdqIndex> r = PdqIndex::Open(p);
    ASSERT_FALSE(r.ok()) << reason;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << r.status().message();
    EXPECT_NE(r.status().message().find(p.string()), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(reason), std::string::npos) << r.status().message();
  }

  std::filesystem::path dir_;
};

TEST_F(PdqIndexFileTest, RoundTripGivesTheSameResults) {
  std::mt19937_64 rng(21);
  const Hash256 query = RandomHash(rng);
  std::vector<Hash256> hashes = PlantedSet(query, 3000, 40, rng);
  PdqIndex built = PdqIndex::Build(hashes, 0xfeedface12345678ull);
  std::filesystem::path p = dir_ / "list.pdqidx";
  ASSERT_TRUE(built.Write(p).ok());
  Result<PdqIndex> opened = PdqIndex::Open(p);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->tag(), 0xfeedface12345678ull);
  ASSERT_EQ(opened->size(), hashes.size());
  EXPECT_EQ(opened->MemoryBytes(), std::filesystem::file_size(p));
  for (uint32_t i = 0; i < hashes.size(); i += 97) EXPECT_EQ(opened->hash(i), hashes[i]);
  for (int radius : {0, 15, 31, 32, 47, 64, 256}) {
    EXPECT_EQ(QueryWith(*opened, query, radius), QueryWith(built, query, radius)) << radius;
    EXPECT_EQ(QueryWith(*opened, query, radius), BruteForceQuery(hashes, query, radius)) << radius;
  }
  // Writing the opened index again gives the same bytes.
  ASSERT_TRUE(opened->Write(dir_ / "again.pdqidx").ok());
  EXPECT_EQ(ReadAll(p), ReadAll(dir_ / "again.pdqidx"));
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 2);
}

TEST_F(PdqIndexFileTest, EmptyIndexRoundTrip) {
  std::filesystem::path p = dir_ / "empty.pdqidx";
  ASSERT_TRUE(PdqIndex::Build(std::span<const Hash256>(), 3).Write(p).ok());
  EXPECT_EQ(std::filesystem::file_size(p), internal::kSectionAlign);
  Result<PdqIndex> opened = PdqIndex::Open(p);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->size(), 0u);
  EXPECT_EQ(opened->tag(), 3u);
  EXPECT_TRUE(QueryWith(*opened, Hash256{}, 256).empty());
}

TEST_F(PdqIndexFileTest, WriteReplacesAnExistingFile) {
  std::filesystem::path p = dir_ / "list.pdqidx";
  WriteAll(p, "old contents");
  std::vector<Hash256> hashes(3);
  hashes[2].FlipBit(0);
  ASSERT_TRUE(PdqIndex::Build(hashes, 1).Write(p).ok());
  Result<PdqIndex> opened = PdqIndex::Open(p);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->size(), 3u);
}

TEST_F(PdqIndexFileTest, WriteIntoMissingDirectoryFails) {
  Status s = PdqIndex::Build(std::vector<Hash256>(2)).Write(dir_ / "no" / "such" / "x.pdqidx");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("x.pdqidx"), std::string::npos) << s.message();
}

TEST_F(PdqIndexFileTest, MissingFileIsNotFound) {
  Result<PdqIndex> r = PdqIndex::Open(dir_ / "absent.pdqidx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("absent.pdqidx"), std::string::npos);
}

TEST_F(PdqIndexFileTest, RejectsDamagedFiles) {
  std::mt19937_64 rng(22);
  std::vector<Hash256> hashes;
  for (int i = 0; i < 200; ++i) hashes.push_back(RandomHash(rng));
  std::filesystem::path good = dir_ / "good.pdqidx";
  ASSERT_TRUE(PdqIndex::Build(hashes, 7).Write(good).ok());
  const std::string bytes = ReadAll(good);
  internal::FileLayout layout;
  ASSERT_TRUE(internal::LayoutFor(hashes.size(), &layout));
  ASSERT_EQ(bytes.size(), layout.end);

  ExpectRejected("", "truncated");
  ExpectRejected(bytes.substr(0, 100), "truncated");
  ExpectRejected(bytes.substr(0, 128), "truncated");
  ExpectRejected(bytes.substr(0, bytes.size() - 1), "truncated");
  ExpectRejected(bytes + std::string(4, '\0'), "trailing");
  ExpectRejected(std::string(bytes.size(), 'x'), "bad magic");

  std::string version = bytes;
  version[8] = 1;  // version field
  ExpectRejected(version, "unsupported PDQ index version 1");
  version[8] = 3;
  ExpectRejected(version, "unsupported PDQ index version 3");

  std::string tag = bytes;
  tag[24] ^= 1;  // tag field, covered by the header checksum
  ExpectRejected(tag, "header checksum");

  // A flipped bit in each section (and in padding) is caught by the checksum.
  for (uint64_t at : {uint64_t{200}, layout.hashes + 5, layout.offsets + 4 * 1000,
                      layout.entries + 17, layout.end - 1}) {
    std::string corrupt = bytes;
    corrupt[at] ^= 0x10;
    ExpectRejected(corrupt, "checksum mismatch");
  }
}

TEST_F(PdqIndexFileTest, RejectsBadOffsetsEvenWithAValidChecksum) {
  // A crafted file that recomputes the checksums still cannot make Open
  // accept offsets that point outside the positions.
  std::vector<Hash256> hashes(50);
  for (size_t i = 0; i < hashes.size(); ++i) hashes[i].words[0] = static_cast<uint16_t>(i);
  TestView tv(hashes, internal::PositionBits(hashes.size()));
  tv.offsets[internal::kOffsetsPerTable * 3 + 20] = 1000;  // table 3, beyond n
  std::string bytes;
  ASSERT_TRUE(internal::WriteIndex(tv.view, 0, [&](std::span<const std::byte> b) {
                bytes.append(reinterpret_cast<const char*>(b.data()), b.size());
                return Status::Ok();
              }).ok());
  ExpectRejected(bytes, "offsets decrease");
}

TEST_F(PdqIndexFileTest, OutOfRangePositionInACraftedFileIsSkipped) {
  // 50 hashes use 6 position bits, so an entry can name position 63. The
  // checksum cannot catch a file crafted that way; the query must not read
  // beyond the hashes (the sanitizer build would see it).
  std::vector<Hash256> hashes(50);
  for (size_t i = 0; i < hashes.size(); ++i) hashes[i].words[1] = static_cast<uint16_t>(i);
  TestView tv(hashes, internal::PositionBits(hashes.size()));
  ASSERT_EQ(tv.view.pos_bits, 6);
  for (size_t t = 0; t < internal::kTables; ++t) tv.entries[t * hashes.size()] |= 63;
  std::string bytes;
  ASSERT_TRUE(internal::WriteIndex(tv.view, 0, [&](std::span<const std::byte> b) {
                bytes.append(reinterpret_cast<const char*>(b.data()), b.size());
                return Status::Ok();
              }).ok());
  std::filesystem::path p = dir_ / "crafted.pdqidx";
  WriteAll(p, bytes);
  Result<PdqIndex> opened = PdqIndex::Open(p);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  for (int radius : {0, 31, 256}) {
    for (const PdqHit& hit : QueryWith(*opened, Hash256{}, radius)) EXPECT_LT(hit.index, 50u);
  }
}

TEST_F(PdqIndexFileTest, TagRoundTrip) {
  for (uint64_t tag : {uint64_t{0}, uint64_t{1}, ~uint64_t{0}}) {
    std::filesystem::path p = dir_ / "t.pdqidx";
    ASSERT_TRUE(PdqIndex::Build(std::vector<Hash256>(4), tag).Write(p).ok());
    Result<PdqIndex> opened = PdqIndex::Open(p);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_EQ(opened->tag(), tag);
  }
}

}  // namespace
}  // namespace sg::matching
