#include "matching/matcher.h"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>
#include <xxhash.h>

#include "hashing/pdq.h"

namespace sg::matching {

std::filesystem::path Matcher::IndexPath(const std::filesystem::path& data_dir) {
  return data_dir / "index" / "pdq.idx";
}

Result<uint64_t> Matcher::CurrentTag() {
  SG_ASSIGN_OR_RETURN(std::string id, lists_.StoreId());
  SG_ASSIGN_OR_RETURN(int64_t generation, lists_.Generation());
  std::string key = fmt::format("{}:{}", id, generation);
  return XXH3_64bits(key.data(), key.size());
}

Result<std::unique_ptr<Matcher>> Matcher::Open(store::Connection& conn, const std::filesystem::path& data_dir,
                                               const std::function<void(const std::string&)>& notify) {
  std::unique_ptr<Matcher> m(new Matcher(conn, data_dir));
  SG_RETURN_IF_ERROR(m->Load(notify));
  return m;
}

Status Matcher::Load(const std::function<void(const std::string&)>& notify) {
  const auto start = std::chrono::steady_clock::now();
  SG_ASSIGN_OR_RETURN(uint64_t tag, CurrentTag());
  const std::filesystem::path path = IndexPath(data_dir_);
  info_ = {};
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    info_.reason = "no index file yet";
  } else {
    auto opened = PdqIndex::Open(path);
    if (!opened.ok()) {
      info_.reason = opened.status().message();
    } else if (opened->tag() != tag) {
      info_.reason = "the hash lists changed since it was built";
    } else {
      index_ = std::move(opened).value();
      info_.pdq_hashes = index_.size();
    }
  }
  if (!info_.reason.empty()) {
    // Rebuild from the database, the source of truth.
    if (notify) notify(fmt::format("building the PDQ index ({})", info_.reason));
    std::vector<hashing::Hash256> hashes;
    Status bad;
    SG_RETURN_IF_ERROR(lists_.ForEachActivePdq([&](std::string_view hex) {
      auto h = hashing::Hash256::FromHex(hex);
      if (h) hashes.push_back(*h);
      else if (bad.ok()) bad = DataLoss(fmt::format("{}: stored PDQ hash '{}' is not 64 hex digits",
                                                   conn_.Describe(), hex));
    }));
    SG_RETURN_IF_ERROR(bad);
    index_ = PdqIndex::Build(std::move(hashes), tag);
    info_.rebuilt = true;
    info_.pdq_hashes = index_.size();
    std::filesystem::create_directories(path.parent_path(), ec);
    Status written = ec ? IoError(fmt::format("{}: {}", path.parent_path().string(), ec.message()))
                        : index_.Write(path);
    // The index in memory is correct either way; a read-only data directory
    // only costs a rebuild next time.
    if (!written.ok() && notify) notify(fmt::format("could not save the PDQ index: {}", written.message()));
  }
  info_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::Ok();
}

Status Matcher::Refresh() {
  SG_ASSIGN_OR_RETURN(uint64_t tag, CurrentTag());
  if (tag == index_.tag()) return Status::Ok();
  return Load({});
}

namespace {

// A PDQ hash whose quality is known and below the gate is not matched.
bool BelowQualityGate(const MatchQuery& query, const MatchOptions& options) {
  return query.quality && *query.quality < options.min_quality;
}

}  // namespace

Result<MatchResult> Matcher::Lookup(const MatchQuery& query, const MatchOptions& options) {
  return LookupWith(query, options, [this](std::string_view kind, const std::string& hex) {
    return lists_.FindActive(kind, hex);
  });
}

Result<std::vector<MatchResult>> Matcher::LookupMany(const std::vector<MatchQuery>& queries,
                                                     const MatchOptions& options) {
  static constexpr std::string_view kKinds[] = {"md5", "sha1", "sha256", "pdq"};
  std::vector<std::string> hexes[4];
  std::vector<PdqHit> hits;
  for (const MatchQuery& q : queries) {
    if (q.crypto) {
      if (!q.crypto->md5.empty()) hexes[0].push_back(q.crypto->md5);
      if (!q.crypto->sha1.empty()) hexes[1].push_back(q.crypto->sha1);
      if (!q.crypto->sha256.empty()) hexes[2].push_back(q.crypto->sha256);
    }
    // The PDQ index is in memory: its hits are known before any lookup.
    // (The search runs again in LookupWith: microseconds, against a query
    // per hit saved.)
    if ((q.pdq || q.dihedral) && !BelowQualityGate(q, options)) {
      for (int v = 0; v < (q.dihedral ? 8 : 1); ++v) {
        hits.clear();
        index_.Query(q.dihedral ? (*q.dihedral)[v] : *q.pdq, options.radius, &hits);
        for (const PdqHit& hit : hits) hexes[3].push_back(index_.hash(hit.index).ToHex());
      }
    }
  }
  std::map<std::string, std::vector<StoredEntry>> found[4];
  for (size_t k = 0; k < 4; ++k) {
    if (hexes[k].empty()) continue;
    SG_ASSIGN_OR_RETURN(found[k], lists_.FindActiveMany(kKinds[k], hexes[k]));
  }
  const Finder find = [&](std::string_view kind, const std::string& hex) -> Result<std::vector<StoredEntry>> {
    for (size_t k = 0; k < 4; ++k) {
      if (kind != kKinds[k]) continue;
      auto it = found[k].find(hex);
      return it == found[k].end() ? std::vector<StoredEntry>{} : it->second;
    }
    return InvalidArgument(fmt::format("unknown hash kind '{}'", kind));
  };
  std::vector<MatchResult> out;
  out.reserve(queries.size());
  for (const MatchQuery& q : queries) {
    SG_ASSIGN_OR_RETURN(MatchResult r, LookupWith(q, options, find));
    out.push_back(std::move(r));
  }
  return out;
}

Result<MatchResult> Matcher::LookupWith(const MatchQuery& query, const MatchOptions& options, const Finder& find) {
  MatchResult result;
  auto add = [&](const StoredEntry& s, std::string_view kind, const std::string& hash, int distance,
                 std::string_view variant) {
    Match m;
    m.list = s.list;
    m.kind = std::string(kind);
    m.hash = hash;
    m.distance = distance;
    m.variant = std::string(variant);
    m.entry_id = s.id;
    m.category = s.entry.category;
    m.series = s.entry.series;
    m.label = s.entry.label;
    m.victim_identified = s.entry.victim_identified;
    result.matches.push_back(std::move(m));
  };
  if (query.crypto) {
    const std::pair<std::string_view, const std::string*> kinds[] = {
        {"md5", &query.crypto->md5}, {"sha1", &query.crypto->sha1}, {"sha256", &query.crypto->sha256}};
    for (auto& [kind, hex] : kinds) {
      if (hex->empty()) continue;
      SG_ASSIGN_OR_RETURN(auto entries, find(kind, *hex));
      for (const auto& s : entries) add(s, kind, *hex, 0, "original");
    }
  }
  if (query.pdq || query.dihedral) {
    if (BelowQualityGate(query, options)) {
      result.pdq_skipped = fmt::format("PDQ quality {} is below {}", *query.quality, options.min_quality);
    } else {
      // For each list entry keep the closest variant.
      std::map<int64_t, size_t> best;  // entry id -> index in result.matches
      std::vector<PdqHit> hits;
      const int variants = query.dihedral ? 8 : 1;
      for (int v = 0; v < variants; ++v) {
        const hashing::Hash256& q = query.dihedral ? (*query.dihedral)[v] : *query.pdq;
        hits.clear();
        index_.Query(q, options.radius, &hits);
        for (const PdqHit& hit : hits) {
          const std::string hex = index_.hash(hit.index).ToHex();
          SG_ASSIGN_OR_RETURN(auto entries, find("pdq", hex));
          for (const auto& s : entries) {
            auto it = best.find(s.id);
            if (it == best.end()) {
              best[s.id] = result.matches.size();
              add(s, "pdq", hex, hit.distance, hashing::kDihedralNames[v]);
            } else if (hit.distance < result.matches[it->second].distance) {
              result.matches[it->second].distance = hit.distance;
              result.matches[it->second].variant = hashing::kDihedralNames[v];
            }
          }
        }
      }
    }
  }
  std::stable_sort(result.matches.begin(), result.matches.end(), [](const Match& a, const Match& b) {
    if (a.distance != b.distance) return a.distance < b.distance;
    if (a.list != b.list) return a.list < b.list;
    return a.entry_id < b.entry_id;
  });
  return result;
}

}  // namespace sg::matching
