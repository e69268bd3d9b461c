// Hash lists: what a list and an entry are, the category schemes and the
// import/export formats. Plain value types; the store is list_store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::matching {

// How a list categorises its entries.
//   uk:       A, B, C (the UK's categories of indecent images)
//   industry: A1, A2, B1, B2 (the industry classification platforms report)
//   vics:     Project VIC's numeric category, kept as given
//   none:     no scheme; a category, if any, is kept as free text
enum class Scheme { kUk, kIndustry, kVics, kNone };

enum class ListFormat { kVics, kCsv, kTe, kHex, kMd5, kSha1, kSha256 };

std::string_view SchemeName(Scheme s);
std::optional<Scheme> ParseScheme(std::string_view name);
std::string_view FormatName(ListFormat f);
std::optional<ListFormat> ParseFormat(std::string_view name);
// The scheme a new list gets when --scheme is not given.
Scheme DefaultScheme(ListFormat f);

// Checks `raw` against the scheme and returns its canonical spelling
// ("a" -> "A" for uk; "03" -> "3" for vics). Empty input means no category.
Result<std::optional<std::string>> NormalizeCategory(Scheme scheme, std::string_view raw);

// One entry of a list. Hashes are lowercase hex; at least one is set.
struct ListEntry {
  std::optional<std::string> md5, sha1, sha256, pdq;
  std::optional<std::string> category, series, label;
  std::optional<bool> victim_identified;
  std::string metadata;  // a JSON object as text, or empty

  bool has_hash() const { return md5 || sha1 || sha256 || pdq; }
};

// Validates and lowercases a hash of the given kind ("md5", "sha1",
// "sha256", "pdq"); the error says what was expected.
Result<std::string> NormalizeHashHex(std::string_view kind, std::string_view text);

// A stable 128-bit key (32 hex digits) over the entry's hashes: one row per
// distinct entry in a list, so importing the same file twice adds nothing.
std::string EntryKey(const ListEntry& e);

struct ListInfo {
  int64_t id = 0;
  std::string name, source;
  Scheme scheme = Scheme::kNone;
  bool enabled = true;
  int64_t entries = 0;     // live entries
  int64_t tombstones = 0;  // removed entries kept for the record
  int64_t pdq_entries = 0;
  std::string created_at, updated_at;
};

}  // namespace sg::matching
