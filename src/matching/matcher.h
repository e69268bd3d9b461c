// Matcher: looks hashes up in the enabled hash lists. Exact lookup for MD5,
// SHA-1 and SHA-256 (database indexes); PDQ by Hamming distance through the
// PdqIndex, which is kept as a file in the data directory
// (DATA/index/pdq.idx) and memory-mapped at start.
//
// The index file carries a tag derived from the store's id and its
// lists_generation; Open rebuilds it when it is missing, corrupt or from
// another generation, so it is never silently stale. A long-lived process
// calls Refresh() to pick up list changes made by others.
//
// Thread safety: one thread at a time (it uses the caller's Connection).
#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hashing/crypto_hash.h"
#include "hashing/hash256.h"
#include "matching/index/pdq_index.h"
#include "matching/list_store.h"

namespace sg::matching {

inline constexpr int kDefaultRadius = 31;
inline constexpr int kMaxRadius = 64;
inline constexpr int kDefaultMinQuality = 50;

struct Match {
  std::string list;
  std::string kind;  // "md5", "sha1", "sha256" or "pdq"
  std::string hash;  // the list entry's hash of that kind
  int distance = 0;  // Hamming distance for PDQ, 0 for exact matches
  std::string variant = "original";  // the dihedral variant that matched
  int64_t entry_id = 0;
  std::optional<std::string> category, series, label;
  std::optional<bool> victim_identified;
};

// What to look up for one file or query. Unset fields are not looked up.
struct MatchQuery {
  std::optional<hashing::CryptoDigests> crypto;
  std::optional<hashing::Hash256> pdq;
  std::optional<int> quality;  // PDQ quality, when known
  // All 8 variants (hashing::kDihedralNames order); used instead of `pdq`
  // when set.
  std::optional<std::array<hashing::Hash256, 8>> dihedral;
};

struct MatchOptions {
  int radius = kDefaultRadius;  // 0..kMaxRadius
  int min_quality = kDefaultMinQuality;
};

struct MatchResult {
  std::vector<Match> matches;  // by distance, then list, then entry
  // Set when the PDQ hash was not matched because its quality is too low.
  std::optional<std::string> pdq_skipped;
};

struct MatcherOpenInfo {
  bool rebuilt = false;
  std::string reason;  // why it was rebuilt ("no index file yet", ...)
  size_t pdq_hashes = 0;
  double seconds = 0;
};

class Matcher {
 public:
  // `notify` (may be empty) is told before a long rebuild starts.
  static Result<std::unique_ptr<Matcher>> Open(store::Connection& conn, const std::filesystem::path& data_dir,
                                               const std::function<void(const std::string&)>& notify = {});

  Result<MatchResult> Lookup(const MatchQuery& query, const MatchOptions& options);
  // Lookup of many queries (a batch of intake), the same results in order,
  // with the exact hashes of all of them looked up together (ListStore::
  // FindActiveMany).
  Result<std::vector<MatchResult>> LookupMany(const std::vector<MatchQuery>& queries, const MatchOptions& options);
  // Reloads the index if the lists changed since it was opened.
  Status Refresh();

  const MatcherOpenInfo& open_info() const { return info_; }
  const PdqIndex& index() const { return index_; }

  static std::filesystem::path IndexPath(const std::filesystem::path& data_dir);

 private:
  Matcher(store::Connection& conn, std::filesystem::path data_dir)
      : conn_(conn), lists_(conn), data_dir_(std::move(data_dir)) {}
  using Finder = std::function<Result<std::vector<StoredEntry>>(std::string_view kind, const std::string& hex)>;
  Result<MatchResult> LookupWith(const MatchQuery& query, const MatchOptions& options, const Finder& find);
  Result<uint64_t> CurrentTag();
  Status Load(const std::function<void(const std::string&)>& notify);

  store::Connection& conn_;
  ListStore lists_;
  std::filesystem::path data_dir_;
  PdqIndex index_;
  MatcherOpenInfo info_;
};

}  // namespace sg::matching
