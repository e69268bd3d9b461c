// The SQLite backend: one database file in the data directory, in WAL mode
// with synchronous=FULL, so that a commit that returned has reached the disk
// (a report is acknowledged only once it is durable).
#pragma once

#include <filesystem>
#include <memory>

#include "store/database.h"

namespace sg::store {

// Opens (creating if needed) the database file at `path`. ":memory:" opens a
// private in-memory database (tests).
Result<std::unique_ptr<Connection>> OpenSqlite(const std::filesystem::path& path);

}  // namespace sg::store
