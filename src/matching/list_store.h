// ListStore: the hash lists in the store (tables hash_lists and
// hash_list_entries, store/schema.cc).
//
// Every change (import, removal, disabling) runs in one transaction that
// also bumps the store's `lists_generation`, so an index built from the
// lists knows when it is stale. An import is all or nothing.
//
// Thread safety: as the Connection it wraps (one thread at a time).
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "matching/line_source.h"
#include "matching/list_types.h"
#include "store/database.h"

namespace sg::matching {

struct StoredEntry {
  int64_t id = 0;
  std::string list;
  ListEntry entry;
  std::string added_at;
  std::optional<std::string> deleted_at;
};

struct ImportOptions {
  std::string name;
  std::string source;  // where the list came from; default: the file name
  ListFormat format = ListFormat::kCsv;
  std::optional<Scheme> scheme;  // default: the list's, or DefaultScheme(format)
};

struct ImportResult {
  int64_t read = 0;             // entries in the file
  int64_t added = 0;            // new entries in the list
  int64_t already_present = 0;  // read - added: duplicates, here or in the file
  ListInfo list;
};

class ListStore {
 public:
  explicit ListStore(store::Connection& conn) : conn_(conn) {}

  // Creates the list if it does not exist. A malformed entry fails the whole
  // import with "FILE:LINE: reason" and nothing is added. An entry already
  // in the list gets its category and metadata refreshed; a removed
  // (tombstoned) entry stays removed.
  Result<ImportResult> Import(const ImportOptions& options, LineSource& source);

  Result<std::vector<ListInfo>> Lists();
  Result<ListInfo> Get(const std::string& name);
  // Deletes the list and all its entries.
  Status Remove(const std::string& name);
  // Tombstones the live entries of `name` that have any of `hashes` (hex of
  // any kind); returns how many were removed.
  Result<int64_t> RemoveEntries(const std::string& name, const std::vector<std::string>& hashes);
  Status SetEnabled(const std::string& name, bool enabled);

  // Calls `fn` for each entry of a list, in insertion order.
  Status ForEachEntry(const std::string& name, bool include_removed,
                      const std::function<Status(const StoredEntry&)>& fn);

  // What the matcher reads: the store generation, the distinct PDQ hashes of
  // live entries in enabled lists, and the live entries with a given hash.
  Result<int64_t> Generation();
  Result<std::string> StoreId();
  Status ForEachActivePdq(const std::function<void(std::string_view hex)>& fn);
  Result<std::vector<StoredEntry>> FindActive(std::string_view kind, const std::string& hex);
  // FindActive for many hashes of one kind at once (a batch of intake): a
  // statement per 64 distinct hashes instead of one per hash, which on
  // PostgreSQL is a round trip each. Keyed by hash; hashes that match
  // nothing are absent. Each list is in FindActive's order.
  Result<std::map<std::string, std::vector<StoredEntry>>> FindActiveMany(std::string_view kind,
                                                                          const std::vector<std::string>& hexes);

 private:
  Result<std::optional<ListInfo>> Find(const std::string& name);
  Status BumpGeneration();

  store::Connection& conn_;
  // FindActive runs for every hash of every scanned file or report: its four
  // statements are prepared once (indexed by hash kind).
  std::array<std::unique_ptr<store::Statement>, 4> find_statements_;
};

}  // namespace sg::matching
