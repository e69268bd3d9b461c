#include "cli/store_access.h"

#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

namespace sg::cli {

void AddDataOption(CLI::App& app, std::string* data) {
  app.add_option("--data", *data, "data directory (default: $SAFEGUARD_DATA, else ./var)");
}

void ReportError(std::string_view command, std::string_view message) {
  std::fflush(stdout);
  fmt::print(stderr, "safeguard {}: {}\n", command, message);
}

std::string CliActorName() {
  // getpwuid_r, not $USER: the environment is the caller's to set.
  const uid_t uid = ::geteuid();
  struct passwd pw;
  struct passwd* found = nullptr;
  char buf[4096];
  if (::getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found != nullptr && found->pw_name != nullptr) {
    return fmt::format("cli:{}", found->pw_name);
  }
  return fmt::format("cli:uid{}", uid);
}

void AddDbOption(CLI::App& app, std::string* db) {
  app.add_option("--db", *db, "PostgreSQL database URL (postgresql://user@host:port/db); default: SQLite in the data directory");
}

std::unique_ptr<store::Connection> OpenStoreOrReport(std::string_view command, const std::string& data_flag,
                                                     std::filesystem::path* data_dir) {
  return OpenStoreOrReport(command, data_flag, "", data_dir);
}

std::unique_ptr<store::Connection> OpenStoreOrReport(std::string_view command, const std::string& data_flag,
                                                     const std::string& db_url, std::filesystem::path* data_dir) {
  *data_dir = store::ResolveDataDir(data_flag);
  auto conn = store::OpenStore({*data_dir, db_url});
  if (!conn.ok()) {
    ReportError(command, conn.status().message());
    return nullptr;
  }
  return std::move(conn).value();
}

}  // namespace sg::cli
