// Schema migrations: an ordered list of numbered steps, each run once in its
// own transaction and recorded in `schema_migrations`. Every process runs
// Migrate() at start; it is safe when several start at once (SQLite: the
// write lock serialises them and each step re-checks what is applied;
// PostgreSQL: an advisory lock is held around the whole run as well).
//
// Never edit a released step: add a new one. A database whose version is
// newer than this program knows is refused rather than used.
#pragma once

#include "store/database.h"

namespace sg::store {

struct Migration {
  int version;
  const char* name;
  const char* sqlite_sql;
  const char* postgres_sql;
};

// All steps, in order (migrations.cc).
const std::vector<Migration>& AllMigrations();

// Applies the steps not yet applied. Returns the schema version afterwards.
Result<int> Migrate(Connection& conn);

}  // namespace sg::store
