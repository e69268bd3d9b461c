// Where the data lives, and opening the store there.
//
// The data directory is `--data DIR` if given, else $SAFEGUARD_DATA, else
// ./var. It holds the SQLite database (safeguard.db) and derived files such
// as the matching index, which can always be rebuilt from the database.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "store/database.h"

namespace sg::store {

struct StoreLocation {
  std::filesystem::path data_dir;
  std::string db_url;  // empty: SQLite in data_dir; else postgresql://... (or postgres://)
};

// Applies the precedence above. `flag` is the --data value ("" if not given).
std::filesystem::path ResolveDataDir(const std::string& flag);

// Creates the data directory if needed (it holds derived files with either
// backend), opens the database and runs the migrations. Errors name the
// directory or database (a PostgreSQL URL without its password).
Result<std::unique_ptr<Connection>> OpenStore(const StoreLocation& where);

}  // namespace sg::store
