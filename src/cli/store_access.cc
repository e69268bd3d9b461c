#include "cli/store_access.h"

#include <fmt/format.h>

namespace sg::cli {

void AddDataOption(CLI::App& app, std::string* data) {
  app.add_option("--data", *data, "data directory (default: $SAFEGUARD_DATA, else ./var)");
}

void ReportError(std::string_view command, std::string_view message) {
  std::fflush(stdout);
  fmt::print(stderr, "safeguard {}: {}\n", command, message);
}

std::unique_ptr<store::Connection> OpenStoreOrReport(std::string_view command, const std::string& data_flag,
                                                     std::filesystem::path* data_dir) {
  *data_dir = store::ResolveDataDir(data_flag);
  auto conn = store::OpenStore({*data_dir, ""});
  if (!conn.ok()) {
    ReportError(command, conn.status().message());
    return nullptr;
  }
  return std::move(conn).value();
}

}  // namespace sg::cli
