// What the commands that use the store share: the --data option (default
// $SAFEGUARD_DATA, else ./var) and opening the store with a clear error.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "store/database.h"
#include "store/open.h"

namespace sg::cli {

void AddDataOption(CLI::App& app, std::string* data);
// --db URL: a PostgreSQL database (postgresql://...) instead of SQLite in
// the data directory.
void AddDbOption(CLI::App& app, std::string* db);

// Opens the store in the resolved data directory; on failure prints
// "safeguard COMMAND: reason" and returns null.
std::unique_ptr<store::Connection> OpenStoreOrReport(std::string_view command, const std::string& data_flag,
                                                     std::filesystem::path* data_dir);
// The same with a --db URL ("" for SQLite in the data directory).
std::unique_ptr<store::Connection> OpenStoreOrReport(std::string_view command, const std::string& data_flag,
                                                     const std::string& db_url, std::filesystem::path* data_dir);

// Who runs this command, for the audit log: "cli:" + the OS user name (of
// the effective uid; its number if it has no name).
std::string CliActorName();

// "safeguard COMMAND: message" on stderr.
void ReportError(std::string_view command, std::string_view message);

}  // namespace sg::cli
