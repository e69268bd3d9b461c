#include "store/open.h"

#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

#include "store/migrations.h"
#include "store/sqlite/sqlite_connection.h"

namespace sg::store {

std::filesystem::path ResolveDataDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("SAFEGUARD_DATA"); env != nullptr && *env != '\0') return env;
  return "var";
}

Result<std::unique_ptr<Connection>> OpenStore(const StoreLocation& where) {
  if (!where.db_url.empty()) {
    return Unsupported(fmt::format("--db {}: only the embedded SQLite store is available yet",
                                   where.db_url));
  }
  std::error_code ec;
  std::filesystem::create_directories(where.data_dir, ec);
  if (ec) {
    return IoError(fmt::format("{}: cannot create the data directory: {}", where.data_dir.string(),
                               ec.message()));
  }
  SG_ASSIGN_OR_RETURN(auto conn, OpenSqlite(where.data_dir / "safeguard.db"));
  SG_RETURN_IF_ERROR(Migrate(*conn).status());
  return conn;
}

}  // namespace sg::store
