#include "store/open.h"

#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

#include "store/migrations.h"
#include "store/postgres/postgres_connection.h"
#include "store/sqlite/sqlite_connection.h"

namespace sg::store {

std::filesystem::path ResolveDataDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("SAFEGUARD_DATA"); env != nullptr && *env != '\0') return env;
  return "var";
}

Result<std::unique_ptr<Connection>> OpenStore(const StoreLocation& where) {
  if (!where.db_url.empty()) {
    if (where.db_url.rfind("postgresql://", 0) != 0 && where.db_url.rfind("postgres://", 0) != 0) {
      return Unsupported(fmt::format(
          "--db {}: not a database URL this safeguard knows (postgresql://user@host:port/db)",
          RedactPostgresUrl(where.db_url)));
    }
    // The data directory still holds derived files (the matching index).
    std::error_code ec;
    std::filesystem::create_directories(where.data_dir, ec);
    if (ec) {
      return IoError(fmt::format("{}: cannot create the data directory: {}",
                                 where.data_dir.string(), ec.message()));
    }
    SG_ASSIGN_OR_RETURN(auto conn, OpenPostgres(where.db_url));
    SG_RETURN_IF_ERROR(Migrate(*conn).status());
    return conn;
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
