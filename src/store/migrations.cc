#include "store/migrations.h"

#include <fmt/format.h>

#include "core/time.h"

namespace sg::store {

namespace {

// PostgreSQL: a session advisory lock held around the whole of Migrate, so
// that processes starting at once on one database migrate one after the
// other (CREATE TABLE IF NOT EXISTS alone is not safe against a concurrent
// create there). Keyed by schema, as the write lock is. A migration may be
// long, so the wait for it is too. SQLite needs none: BEGIN IMMEDIATE
// serialises, and its CREATE IF NOT EXISTS runs under the database lock.
constexpr int kMigrationLockKey = 0x5347574d;  // "SG" "W" "M"

class MigrationLock {
 public:
  static Result<MigrationLock> Take(Connection& conn) {
    if (conn.dialect() != Dialect::kPostgres) return MigrationLock(nullptr);
    SG_RETURN_IF_ERROR(conn.ExecScript(fmt::format(
        "SET lock_timeout = '10min'; SELECT pg_advisory_lock({}, hashtext(current_schema()));"
        " SET lock_timeout = '10s'",
        kMigrationLockKey)).WithContext("waiting for another process's migrations"));
    return MigrationLock(&conn);
  }
  MigrationLock(MigrationLock&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  MigrationLock& operator=(MigrationLock&&) = delete;
  ~MigrationLock() {
    if (conn_ == nullptr) return;
    // Any transaction of a failed step has been rolled back by now.
    (void)conn_->ExecScript(fmt::format(
        "SELECT pg_advisory_unlock({}, hashtext(current_schema()))", kMigrationLockKey));
  }

 private:
  explicit MigrationLock(Connection* conn) : conn_(conn) {}
  Connection* conn_;
};

}  // namespace

Result<int> Migrate(Connection& conn) {
  SG_ASSIGN_OR_RETURN(MigrationLock lock, MigrationLock::Take(conn));
  SG_RETURN_IF_ERROR(conn.ExecScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
  const auto& steps = AllMigrations();
  const int known = steps.empty() ? 0 : steps.back().version;
  int current = 0;
  for (const Migration& m : steps) {
    SG_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(conn));
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    SG_RETURN_IF_ERROR(q->Bind({}));
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    current = row ? static_cast<int>(q->Int(0)) : 0;
    q.reset();
    if (current > known) {
      return Unsupported(fmt::format(
          "{}: the database schema is version {}, newer than this safeguard knows ({}); "
          "upgrade safeguard",
          conn.Describe(), current, known));
    }
    if (m.version <= current) continue;
    const char* sql = conn.dialect() == Dialect::kSqlite ? m.sqlite_sql : m.postgres_sql;
    Status s = conn.ExecScript(sql);
    if (!s.ok()) return s.WithContext(fmt::format("migration {} ({})", m.version, m.name));
    SG_RETURN_IF_ERROR(conn.Exec(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        {int64_t{m.version}, std::string(m.name), NowUtc()}).status());
    SG_RETURN_IF_ERROR(tx.Commit());
    current = m.version;
  }
  return current;
}

}  // namespace sg::store
