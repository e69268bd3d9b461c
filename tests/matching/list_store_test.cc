#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "matching/list_store.h"
#include "matching/list_writer.h"
#include "matching/matcher.h"
#include "store/migrations.h"
#include "../store/test_backends.h"

namespace sg::matching {
namespace {

const std::string kMd5 = "0123456789abcdef0123456789abcdef";

// Every test runs on SQLite and on PostgreSQL (store/test_backends.h).
class ListStoreTest : public store::testing::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    lists_ = std::make_unique<ListStore>(*conn_);
  }
  void TearDown() override {
    lists_.reset();
    MigratedStoreTest::TearDown();
  }

  Result<ImportResult> Import(const std::string& name, ListFormat format, std::string text,
                              std::optional<Scheme> scheme = std::nullopt) {
    auto src = LineSource::FromString(name + ".txt", std::move(text));
    ImportOptions o;
    o.name = name;
    o.format = format;
    o.scheme = scheme;
    return lists_->Import(o, *src);
  }

  int64_t Live(const std::string& name) { return lists_->Get(name)->entries; }

  std::unique_ptr<ListStore> lists_;
};
SG_INSTANTIATE_BACKENDS(ListStoreTest);

TEST_P(ListStoreTest, ImportingTwiceAddsNothing) {
  std::string csv = "md5,category\n" + kMd5 + ",A\n" + std::string(32, 'b') + ",B\n" + kMd5 + ",A\n";
  auto first = Import("uk-list", ListFormat::kCsv, csv, Scheme::kUk);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->read, 3);
  EXPECT_EQ(first->added, 2);
  EXPECT_EQ(first->already_present, 1);
  auto second = Import("uk-list", ListFormat::kCsv, csv);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->added, 0);
  EXPECT_EQ(Live("uk-list"), 2);
  EXPECT_EQ(lists_->Get("uk-list")->scheme, Scheme::kUk);
}

TEST_P(ListStoreTest, AFailedImportAddsNothingAndNamesTheLine) {
  ASSERT_TRUE(Import("l", ListFormat::kMd5, kMd5 + "\n").ok());
  auto gen = lists_->Generation();
  auto bad = Import("l", ListFormat::kMd5, std::string(32, 'c') + "\n" + std::string(32, 'd') + "\nnot-a-hash\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("l.txt:3: ", 0), 0u) << bad.status().message();
  EXPECT_EQ(Live("l"), 1);
  EXPECT_EQ(*lists_->Generation(), *gen);
  // A failed import of a new list does not leave the list behind either.
  ASSERT_FALSE(Import("new", ListFormat::kMd5, "xyz\n").ok());
  EXPECT_FALSE(lists_->Get("new").ok());
}

TEST_P(ListStoreTest, CategoriesAreCheckedAgainstTheScheme) {
  auto bad = Import("ind", ListFormat::kCsv, "md5,category\n" + kMd5 + ",C\n", Scheme::kIndustry);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ind.txt:2: category 'C' is not one of the industry scheme's"),
            std::string::npos) << bad.status().message();
  auto ok = Import("ind", ListFormat::kCsv, "md5,category\n" + kMd5 + ",a1\n", Scheme::kIndustry);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  std::vector<StoredEntry> entries;
  ASSERT_TRUE(lists_->ForEachEntry("ind", false, [&](const StoredEntry& e) { entries.push_back(e); return Status::Ok(); }).ok());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].entry.category, "A1");
  // The scheme of an existing list cannot change under it.
  EXPECT_FALSE(Import("ind", ListFormat::kCsv, "md5\n" + kMd5 + "\n", Scheme::kUk).ok());
}

TEST_P(ListStoreTest, TombstonesStayAcrossReimportAndDisableStopsMatching) {
  ASSERT_TRUE(Import("l", ListFormat::kMd5, kMd5 + "\n" + std::string(32, 'e') + "\n").ok());
  auto removed = lists_->RemoveEntries("l", {kMd5});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(Live("l"), 1);
  EXPECT_EQ(lists_->Get("l")->tombstones, 1);
  ASSERT_TRUE(Import("l", ListFormat::kMd5, kMd5 + "\n").ok());
  EXPECT_EQ(Live("l"), 1) << "a removed entry stays removed";
  EXPECT_TRUE(lists_->FindActive("md5", kMd5)->empty());
  EXPECT_EQ(lists_->FindActive("md5", std::string(32, 'e'))->size(), 1u);
  ASSERT_TRUE(lists_->SetEnabled("l", false).ok());
  EXPECT_TRUE(lists_->FindActive("md5", std::string(32, 'e'))->empty());
  ASSERT_TRUE(lists_->Remove("l").ok());
  EXPECT_EQ(lists_->Get("l").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(lists_->Remove("l").code(), StatusCode::kNotFound);
}

TEST_P(ListStoreTest, EveryChangeBumpsTheGeneration) {
  int64_t g0 = *lists_->Generation();
  ASSERT_TRUE(Import("l", ListFormat::kMd5, kMd5 + "\n").ok());
  int64_t g1 = *lists_->Generation();
  EXPECT_GT(g1, g0);
  ASSERT_TRUE(lists_->SetEnabled("l", false).ok());
  int64_t g2 = *lists_->Generation();
  EXPECT_GT(g2, g1);
  ASSERT_TRUE(lists_->RemoveEntries("l", {kMd5}).ok());
  EXPECT_GT(*lists_->Generation(), g2);
}

TEST_P(ListStoreTest, ExportRoundTripsThroughImport) {
  std::string vics = R"({"@odata.context": "x#Media", "value": [
    {"MD5": ")" + kMd5 + R"(", "Category": 1, "Series": "S1", "VictimIdentified": true, "MediaSize": 10},
    {"SHA1": ")" + std::string(40, 'a') + R"(", "Category": 2, "PDQ": ")" + std::string(64, 'b') + R"("}]})";
  ASSERT_TRUE(Import("v", ListFormat::kVics, vics).ok());
  for (ListFormat f : {ListFormat::kVics, ListFormat::kCsv}) {
    char* buf = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&buf, &size);
    ASSERT_TRUE(ExportList(*lists_, "v", f, out).ok());
    std::fclose(out);
    std::string text(buf, size);
    std::free(buf);
    const std::string copy = std::string("copy-") + std::string(FormatName(f));
    auto again = Import(copy, f, text, Scheme::kVics);
    ASSERT_TRUE(again.ok()) << FormatName(f) << ": " << again.status().ToString() << "\n" << text;
    EXPECT_EQ(again->added, 2);
    std::vector<StoredEntry> a, b;
    ASSERT_TRUE(lists_->ForEachEntry("v", false, [&](const StoredEntry& e) { a.push_back(e); return Status::Ok(); }).ok());
    ASSERT_TRUE(lists_->ForEachEntry(copy, false, [&](const StoredEntry& e) { b.push_back(e); return Status::Ok(); }).ok());
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].entry.md5, b[i].entry.md5);
      EXPECT_EQ(a[i].entry.sha1, b[i].entry.sha1);
      EXPECT_EQ(a[i].entry.pdq, b[i].entry.pdq);
      EXPECT_EQ(a[i].entry.category, b[i].entry.category);
      EXPECT_EQ(a[i].entry.series, b[i].entry.series);
      EXPECT_EQ(a[i].entry.victim_identified, b[i].entry.victim_identified);
    }
  }
}

// Matcher: recall at every distance around the radius, quality gating,
// and an index that follows the lists.
class MatcherTest : public ListStoreTest {
 protected:
  void SetUp() override {
    ListStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    dir_ = std::filesystem::temp_directory_path() / ("sg-matcher-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    ListStoreTest::TearDown();
  }
  std::filesystem::path dir_;
};
SG_INSTANTIATE_BACKENDS(MatcherTest);

hashing::Hash256 Flip(hashing::Hash256 h, int bits, int offset) {
  for (int k = 0; k < bits; ++k) h.FlipBit((offset + k * 37) % 256);
  return h;
}

TEST_P(MatcherTest, FindsEveryPlantedHashWithinTheRadiusAndNoneBeyond) {
  std::mt19937_64 rng(11);
  hashing::Hash256 query;
  for (auto& w : query.words) w = static_cast<uint16_t>(rng());
  std::string text;
  for (int d = 0; d <= 40; ++d) text += Flip(query, d, d).ToHex() + ",d" + std::to_string(d) + "\n";
  for (int i = 0; i < 500; ++i) {  // unrelated hashes
    hashing::Hash256 r;
    for (auto& w : r.words) w = static_cast<uint16_t>(rng());
    text += r.ToHex() + "\n";
  }
  ASSERT_TRUE(Import("planted", ListFormat::kHex, text).ok());
  auto m = Matcher::Open(*conn_, dir_);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  for (int radius : {0, 8, 31, 32}) {
    MatchQuery q;
    q.pdq = query;
    auto r = (*m)->Lookup(q, {radius, 50});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->matches.size(), static_cast<size_t>(radius + 1)) << "radius " << radius;
    for (int d = 0; d <= radius; ++d) {
      EXPECT_EQ(r->matches[d].distance, d);
      EXPECT_EQ(r->matches[d].label, "d" + std::to_string(d));
    }
  }
  MatchQuery low;
  low.pdq = query;
  low.quality = 49;
  auto skipped = (*m)->Lookup(low, {});
  ASSERT_TRUE(skipped.ok());
  EXPECT_TRUE(skipped->matches.empty());
  ASSERT_TRUE(skipped->pdq_skipped.has_value());
  low.quality = 50;
  EXPECT_EQ((*m)->Lookup(low, {})->matches.size(), 32u);
}

TEST_P(MatcherTest, ExactMatchesAndDihedralVariants) {
  hashing::Hash256 a, b;
  a.words.fill(0x1234);
  b.words.fill(0xfedc);
  ASSERT_TRUE(Import("uk", ListFormat::kCsv, "md5,pdq,category\n" + kMd5 + ",,A\n," + b.ToHex() + ",B\n", Scheme::kUk).ok());
  auto m = Matcher::Open(*conn_, dir_);
  ASSERT_TRUE(m.ok());
  MatchQuery q;
  q.crypto = hashing::CryptoDigests{kMd5, std::string(40, '0'), std::string(64, '0')};
  std::array<hashing::Hash256, 8> variants;
  variants.fill(a);
  variants[3] = Flip(b, 2, 0);
  q.pdq = a;
  q.dihedral = variants;
  auto r = (*m)->Lookup(q, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches.size(), 2u);
  EXPECT_EQ(r->matches[0].kind, "md5");
  EXPECT_EQ(r->matches[0].category, "A");
  EXPECT_EQ(r->matches[1].kind, "pdq");
  EXPECT_EQ(r->matches[1].distance, 2);
  EXPECT_EQ(r->matches[1].variant, "rotate270");
}

TEST_P(MatcherTest, LookupManyGivesWhatLookupGivesForEachQuery) {
  // 150 listed entries (MD5 + SHA-256 + PDQ), queried 400 times: hits,
  // misses, repeats, more than one IN list of hashes, PDQ near and far,
  // and a PDQ below the quality gate.
  std::mt19937_64 rng(7);
  auto hex = [&](size_t chars) {
    std::string h;
    for (size_t i = 0; i < chars; ++i) h += "0123456789abcdef"[rng() % 16];
    return h;
  };
  struct Planted { std::string md5, sha256; hashing::Hash256 pdq; };
  std::vector<Planted> planted;
  std::string text = "md5,sha256,pdq,category\n";
  for (int i = 0; i < 150; ++i) {
    Planted p{hex(32), hex(64), {}};
    for (auto& w : p.pdq.words) w = static_cast<uint16_t>(rng());
    text += p.md5 + "," + p.sha256 + "," + p.pdq.ToHex() + "," + (i % 2 ? "A" : "B") + "\n";
    planted.push_back(p);
  }
  ASSERT_TRUE(Import("uk", ListFormat::kCsv, text, Scheme::kUk).ok());
  auto m = Matcher::Open(*conn_, dir_);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  std::vector<MatchQuery> queries;
  for (int i = 0; i < 400; ++i) {
    const Planted& p = planted[rng() % planted.size()];
    MatchQuery q;
    switch (i % 5) {
      case 0: q.crypto = hashing::CryptoDigests{p.md5, "", ""}; break;
      case 1: q.crypto = hashing::CryptoDigests{hex(32), "", p.sha256}; break;
      case 2: q.pdq = Flip(p.pdq, static_cast<int>(rng() % 40), i); break;
      case 3: q.crypto = hashing::CryptoDigests{hex(32), hex(40), hex(64)}; break;  // a miss
      default:
        q.crypto = hashing::CryptoDigests{p.md5, "", p.sha256};
        q.pdq = p.pdq;
        if (i % 10 == 4) q.quality = 10;
    }
    queries.push_back(q);
  }
  auto many = (*m)->LookupMany(queries, {});
  ASSERT_TRUE(many.ok()) << many.status().ToString();
  ASSERT_EQ(many->size(), queries.size());
  size_t matched = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    auto one = (*m)->Lookup(queries[i], {});
    ASSERT_TRUE(one.ok());
    const MatchResult& got = (*many)[i];
    ASSERT_EQ(got.matches.size(), one->matches.size()) << "query " << i;
    for (size_t k = 0; k < got.matches.size(); ++k) {
      EXPECT_EQ(got.matches[k].entry_id, one->matches[k].entry_id) << i;
      EXPECT_EQ(got.matches[k].kind, one->matches[k].kind) << i;
      EXPECT_EQ(got.matches[k].distance, one->matches[k].distance) << i;
      EXPECT_EQ(got.matches[k].category, one->matches[k].category) << i;
    }
    EXPECT_EQ(got.pdq_skipped.has_value(), one->pdq_skipped.has_value()) << i;
    matched += got.matches.empty() ? 0 : 1;
  }
  EXPECT_GT(matched, 250u);  // the test exercises hits, not only misses
  auto none = (*m)->LookupMany({}, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(MatcherTest, TheIndexFileIsReusedThenRebuiltWhenListsChangeOrItIsCorrupt) {
  hashing::Hash256 a;
  a.words.fill(0x0f0f);
  ASSERT_TRUE(Import("l", ListFormat::kHex, a.ToHex() + "\n").ok());
  {
    auto m = Matcher::Open(*conn_, dir_);
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE((*m)->open_info().rebuilt);
  }
  {
    auto m = Matcher::Open(*conn_, dir_);
    ASSERT_TRUE(m.ok());
    EXPECT_FALSE((*m)->open_info().rebuilt) << "the saved index is current";
  }
  hashing::Hash256 b;
  b.words.fill(0x7777);
  ASSERT_TRUE(Import("l", ListFormat::kHex, b.ToHex() + "\n").ok());
  auto m = Matcher::Open(*conn_, dir_);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE((*m)->open_info().rebuilt);
  EXPECT_EQ((*m)->index().size(), 2u);
  // Refresh picks up a change made after opening.
  ASSERT_TRUE(lists_->SetEnabled("l", false).ok());
  ASSERT_TRUE((*m)->Refresh().ok());
  EXPECT_EQ((*m)->index().size(), 0u);
  // A corrupt file is rebuilt, not trusted.
  {
    std::FILE* f = std::fopen(Matcher::IndexPath(dir_).c_str(), "r+b");
    ASSERT_NE(f, nullptr);
    std::fseek(f, 100, SEEK_SET);
    std::fputc(0x5a, f);
    std::fclose(f);
  }
  auto again = Matcher::Open(*conn_, dir_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->open_info().rebuilt);
}

}  // namespace
}  // namespace sg::matching
