#include "matching/list_store.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/time.h"
#include "matching/list_reader.h"

namespace sg::matching {
namespace {

using store::Value;

constexpr const char* kListColumns =
    "l.id, l.name, l.source, l.scheme, l.enabled, l.created_at, l.updated_at, l.entries, l.removed,"
    " l.pdq_entries";

ListInfo ReadListInfo(const store::Statement& q) {
  ListInfo info;
  info.id = q.Int(0);
  info.name = q.Text(1);
  info.source = q.Text(2);
  info.scheme = ParseScheme(q.Text(3)).value_or(Scheme::kNone);
  info.enabled = q.Int(4) != 0;
  info.created_at = q.Text(5);
  info.updated_at = q.Text(6);
  info.entries = q.Int(7);
  info.tombstones = q.Int(8);
  info.pdq_entries = q.Int(9);
  return info;
}

constexpr const char* kEntryColumns =
    "e.id, l.name, e.md5, e.sha1, e.sha256, e.pdq, e.category, e.series, e.victim_identified,"
    " e.label, e.metadata, e.added_at, e.deleted_at";

StoredEntry ReadEntry(const store::Statement& q) {
  StoredEntry s;
  s.id = q.Int(0);
  s.list = q.Text(1);
  s.entry.md5 = q.OptText(2);
  s.entry.sha1 = q.OptText(3);
  s.entry.sha256 = q.OptText(4);
  s.entry.pdq = q.OptText(5);
  s.entry.category = q.OptText(6);
  s.entry.series = q.OptText(7);
  if (!q.IsNull(8)) s.entry.victim_identified = q.Int(8) != 0;
  s.entry.label = q.OptText(9);
  s.entry.metadata = q.OptText(10).value_or("");
  s.added_at = q.Text(11);
  s.deleted_at = q.OptText(12);
  return s;
}

Status NoSuchList(const std::string& name) {
  return NotFound(fmt::format("no hash list named '{}' (see `safeguard lists ls`)", name));
}

}  // namespace

Result<std::optional<ListInfo>> ListStore::Find(const std::string& name) {
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(fmt::format("SELECT {} FROM hash_lists l WHERE l.name = ?", kListColumns)));
  SG_RETURN_IF_ERROR(q->Bind({name}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<ListInfo>();
  return std::optional<ListInfo>(ReadListInfo(*q));
}

Result<ListInfo> ListStore::Get(const std::string& name) {
  SG_ASSIGN_OR_RETURN(auto found, Find(name));
  if (!found) return NoSuchList(name);
  return *found;
}

Result<std::vector<ListInfo>> ListStore::Lists() {
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(fmt::format("SELECT {} FROM hash_lists l ORDER BY l.name", kListColumns)));
  SG_RETURN_IF_ERROR(q->Bind({}));
  std::vector<ListInfo> out;
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.push_back(ReadListInfo(*q));
  }
  return out;
}

Status ListStore::BumpGeneration() {
  return conn_.Exec(
      "UPDATE store_meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT)"
      " WHERE key = 'lists_generation'").status();
}

Result<int64_t> ListStore::Generation() {
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare("SELECT value FROM store_meta WHERE key = 'lists_generation'"));
  SG_RETURN_IF_ERROR(q->Bind({}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return DataLoss(fmt::format("{}: store_meta has no lists_generation", conn_.Describe()));
  return std::stoll(q->Text(0));
}

Result<std::string> ListStore::StoreId() {
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare("SELECT value FROM store_meta WHERE key = 'store_id'"));
  SG_RETURN_IF_ERROR(q->Bind({}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return DataLoss(fmt::format("{}: store_meta has no store_id", conn_.Describe()));
  return q->Text(0);
}

Result<ImportResult> ListStore::Import(const ImportOptions& options, LineSource& source) {
  if (options.name.empty()) return InvalidArgument("a list needs a name (--name)");
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  SG_ASSIGN_OR_RETURN(auto existing, Find(options.name));
  const std::string now = NowUtc();
  int64_t list_id = 0;
  Scheme scheme = options.scheme.value_or(existing ? existing->scheme : DefaultScheme(options.format));
  if (existing) {
    if (options.scheme && *options.scheme != existing->scheme) {
      return InvalidArgument(fmt::format("list '{}' uses the {} scheme, not {}", options.name,
                                         SchemeName(existing->scheme), SchemeName(*options.scheme)));
    }
    list_id = existing->id;
  } else {
    SG_RETURN_IF_ERROR(conn_.Exec(
        "INSERT INTO hash_lists (name, source, scheme, enabled, created_at, updated_at)"
        " VALUES (?, ?, ?, 1, ?, ?)",
        {options.name, options.source, std::string(SchemeName(scheme)), now, now}).status());
    SG_ASSIGN_OR_RETURN(auto created, Find(options.name));
    if (!created) return Internal("the new list vanished inside its own transaction");
    list_id = created->id;
  }
  SG_ASSIGN_OR_RETURN(auto insert, conn_.Prepare(
      "INSERT INTO hash_list_entries (list_id, entry_key, md5, sha1, sha256, pdq, category, series,"
      " victim_identified, label, metadata, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (list_id, entry_key) DO NOTHING"));
  // An entry the list already holds gets what the list now says about it;
  // a tombstone is left alone (a removal is a decision, not a stale copy).
  SG_ASSIGN_OR_RETURN(auto refresh, conn_.Prepare(
      "UPDATE hash_list_entries SET category = ?, series = ?, victim_identified = ?, label = ?, metadata = ?"
      " WHERE list_id = ? AND entry_key = ? AND deleted_at IS NULL"));
  ImportResult result;
  int64_t added_pdq = 0;
  Status read = ReadList(options.format, source, [&](ListEntry&& e, int64_t) -> Status {
    if (e.category) {
      auto category = NormalizeCategory(scheme, *e.category);
      if (!category.ok()) return category.status();
      e.category = *category;
    }
    ++result.read;
    std::optional<int64_t> victim;
    if (e.victim_identified) victim = *e.victim_identified ? 1 : 0;
    const std::string key = EntryKey(e);
    const Value metadata = e.metadata.empty() ? Value{} : Value{e.metadata};
    SG_RETURN_IF_ERROR(insert->Bind({
        list_id, key, store::Nullable(e.md5), store::Nullable(e.sha1), store::Nullable(e.sha256),
        store::Nullable(e.pdq), store::Nullable(e.category), store::Nullable(e.series),
        store::Nullable(victim), store::Nullable(e.label), metadata, now}));
    SG_ASSIGN_OR_RETURN(bool row, insert->Step());
    (void)row;  // an INSERT returns no rows
    if (insert->Changes() == 1) {
      ++result.added;
      if (e.pdq) ++added_pdq;
      return Status::Ok();
    }
    SG_RETURN_IF_ERROR(refresh->Bind({store::Nullable(e.category), store::Nullable(e.series),
                                      store::Nullable(victim), store::Nullable(e.label), metadata, list_id, key}));
    SG_ASSIGN_OR_RETURN(row, refresh->Step());
    return Status::Ok();
  });
  SG_RETURN_IF_ERROR(read);
  insert.reset();
  refresh.reset();
  SG_RETURN_IF_ERROR(conn_.Exec("UPDATE hash_lists SET updated_at = ?, entries = entries + ?,"
                                " pdq_entries = pdq_entries + ? WHERE id = ?",
                                {now, result.added, added_pdq, list_id}).status());
  SG_RETURN_IF_ERROR(BumpGeneration());
  SG_ASSIGN_OR_RETURN(auto after, Find(options.name));
  if (!after) return Internal("the list vanished inside its own transaction");
  result.list = *after;
  result.already_present = result.read - result.added;
  SG_RETURN_IF_ERROR(tx.Commit());
  return result;
}

Status ListStore::Remove(const std::string& name) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  SG_ASSIGN_OR_RETURN(auto existing, Find(name));
  if (!existing) return NoSuchList(name);
  SG_RETURN_IF_ERROR(conn_.Exec("DELETE FROM hash_list_entries WHERE list_id = ?", {existing->id}).status());
  SG_RETURN_IF_ERROR(conn_.Exec("DELETE FROM hash_lists WHERE id = ?", {existing->id}).status());
  SG_RETURN_IF_ERROR(BumpGeneration());
  return tx.Commit();
}

Result<int64_t> ListStore::RemoveEntries(const std::string& name, const std::vector<std::string>& hashes) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  SG_ASSIGN_OR_RETURN(auto existing, Find(name));
  if (!existing) return NoSuchList(name);
  const std::string now = NowUtc();
  int64_t removed = 0;
  for (const std::string& raw : hashes) {
    std::string kind = raw.size() == 32 ? "md5" : raw.size() == 40 ? "sha1" : "pdq";
    SG_ASSIGN_OR_RETURN(std::string hex, NormalizeHashHex(kind, raw));
    // 64 hex digits may be a SHA-256 or a PDQ hash: tombstone either.
    const char* where = kind == "md5"    ? "md5 = ?"
                        : kind == "sha1" ? "sha1 = ?"
                                         : "(sha256 = ? OR pdq = ?)";
    std::vector<Value> params = {existing->id, hex};
    if (kind == "pdq") params.push_back(hex);
    // Count first (the list keeps its counts), then tombstone.
    SG_ASSIGN_OR_RETURN(auto count, conn_.Prepare(fmt::format(
        "SELECT count(*), count(pdq) FROM hash_list_entries WHERE list_id = ? AND deleted_at IS NULL AND {}", where)));
    SG_RETURN_IF_ERROR(count->Bind(params));
    SG_ASSIGN_OR_RETURN(bool row, count->Step());
    const int64_t n = row ? count->Int(0) : 0, n_pdq = row ? count->Int(1) : 0;
    count.reset();
    if (n == 0) continue;
    params.insert(params.begin(), now);
    SG_RETURN_IF_ERROR(conn_.Exec(fmt::format("UPDATE hash_list_entries SET deleted_at = ?"
                                              " WHERE list_id = ? AND deleted_at IS NULL AND {}", where),
                                  params).status());
    SG_RETURN_IF_ERROR(conn_.Exec("UPDATE hash_lists SET updated_at = ?, entries = entries - ?, removed = removed + ?,"
                                  " pdq_entries = pdq_entries - ? WHERE id = ?",
                                  {now, n, n, n_pdq, existing->id}).status());
    removed += n;
  }
  if (removed > 0) SG_RETURN_IF_ERROR(BumpGeneration());
  SG_RETURN_IF_ERROR(tx.Commit());
  return removed;
}

Status ListStore::SetEnabled(const std::string& name, bool enabled) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  SG_ASSIGN_OR_RETURN(auto existing, Find(name));
  if (!existing) return NoSuchList(name);
  SG_RETURN_IF_ERROR(conn_.Exec("UPDATE hash_lists SET enabled = ?, updated_at = ? WHERE id = ?",
                                {int64_t{enabled ? 1 : 0}, NowUtc(), existing->id}).status());
  SG_RETURN_IF_ERROR(BumpGeneration());
  return tx.Commit();
}

Status ListStore::ForEachEntry(const std::string& name, bool include_removed,
                               const std::function<Status(const StoredEntry&)>& fn) {
  SG_ASSIGN_OR_RETURN(auto existing, Find(name));
  if (!existing) return NoSuchList(name);
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(fmt::format(
      "SELECT {} FROM hash_list_entries e JOIN hash_lists l ON l.id = e.list_id"
      " WHERE e.list_id = ? {} ORDER BY e.id", kEntryColumns, include_removed ? "" : "AND e.deleted_at IS NULL")));
  SG_RETURN_IF_ERROR(q->Bind({existing->id}));
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    SG_RETURN_IF_ERROR(fn(ReadEntry(*q)));
  }
  return Status::Ok();
}

Status ListStore::ForEachActivePdq(const std::function<void(std::string_view hex)>& fn) {
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(
      "SELECT DISTINCT e.pdq FROM hash_list_entries e JOIN hash_lists l ON l.id = e.list_id"
      " WHERE e.pdq IS NOT NULL AND e.deleted_at IS NULL AND l.enabled = 1 ORDER BY e.pdq"));
  SG_RETURN_IF_ERROR(q->Bind({}));
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    fn(q->Text(0));
  }
  return Status::Ok();
}

namespace {

constexpr const char* kHashColumns[] = {"md5", "sha1", "sha256", "pdq"};
size_t HashColumn(std::string_view kind) { return kind == "md5" ? 0 : kind == "sha1" ? 1 : kind == "sha256" ? 2 : 3; }

}  // namespace

Result<std::map<std::string, std::vector<StoredEntry>>> ListStore::FindActiveMany(
    std::string_view kind, const std::vector<std::string>& hexes) {
  constexpr size_t kMaxIn = 64;
  const size_t k = HashColumn(kind);
  std::vector<std::string> distinct = hexes;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::map<std::string, std::vector<StoredEntry>> out;
  for (size_t at = 0; at < distinct.size(); at += kMaxIn) {
    const size_t n = std::min(kMaxIn, distinct.size() - at);
    // IN lists of 1, 2, 4, ..., 64 (the last hash repeated): few texts to prepare.
    size_t width = 1;
    while (width < n) width *= 2;
    std::vector<store::Value> params(distinct.begin() + static_cast<std::ptrdiff_t>(at),
                                     distinct.begin() + static_cast<std::ptrdiff_t>(at + n));
    while (params.size() < width) params.push_back(distinct[at + n - 1]);
    std::string marks = "?";
    for (size_t i = 1; i < width; ++i) marks += ", ?";
    SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(fmt::format(
        "SELECT {} FROM hash_list_entries e JOIN hash_lists l ON l.id = e.list_id"
        " WHERE e.{} IN ({}) AND e.deleted_at IS NULL AND l.enabled = 1 ORDER BY l.name, e.id",
        kEntryColumns, kHashColumns[k], marks)));
    SG_RETURN_IF_ERROR(q->Bind(params));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      out[q->Text(2 + static_cast<int>(k))].push_back(ReadEntry(*q));
    }
  }
  return out;
}

Result<std::vector<StoredEntry>> ListStore::FindActive(std::string_view kind, const std::string& hex) {
  const size_t k = HashColumn(kind);
  auto& q = find_statements_[k];
  if (!q) {
    SG_ASSIGN_OR_RETURN(q, conn_.Prepare(fmt::format(
        "SELECT {} FROM hash_list_entries e JOIN hash_lists l ON l.id = e.list_id"
        " WHERE e.{} = ? AND e.deleted_at IS NULL AND l.enabled = 1 ORDER BY l.name, e.id",
        kEntryColumns, kHashColumns[k])));
  }
  SG_RETURN_IF_ERROR(q->Bind({hex}));
  std::vector<StoredEntry> out;
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.push_back(ReadEntry(*q));
  }
  return out;
}

}  // namespace sg::matching
