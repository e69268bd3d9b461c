#include "store/migrations.h"

#include <fmt/format.h>

#include "core/time.h"

namespace sg::store {

Result<int> Migrate(Connection& conn) {
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
