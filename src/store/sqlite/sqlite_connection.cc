// Why SQLite (Debian's libsqlite3): embedded, no server to run on an analyst
// workstation or in a media lab, one file to back up, and WAL mode gives
// concurrent readers with one writer, which is the shape of this workload.
#include "store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace sg::store {
namespace {

Status SqliteError(sqlite3* db, std::string_view what) {
  int code = sqlite3_extended_errcode(db);
  std::string message = fmt::format("{}: {}", what, sqlite3_errmsg(db));
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT: return {StatusCode::kAlreadyExists, message};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return DataLoss(message);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return IoError(message);
    default: return Internal(message);
  }
}

// Compiled statements kept per connection, by SQL text, for reuse: the
// modules prepare the same few hundred statements again and again (every
// intake batch, every request), and compiling one costs as much as running
// a small insert. A released statement is reset, so it holds no read
// snapshot or lock while it waits in the cache.
class StatementCache {
 public:
  static constexpr size_t kMaxStatements = 512;  // in the cache, all texts together
  static constexpr size_t kMaxPerText = 4;       // the same text in use at once, nested

  ~StatementCache() {
    for (auto& [sql, list] : free_) {
      for (sqlite3_stmt* s : list) sqlite3_finalize(s);
    }
  }
  sqlite3_stmt* Take(std::string_view sql) {
    auto it = free_.find(sql);
    if (it == free_.end() || it->second.empty()) return nullptr;
    sqlite3_stmt* s = it->second.back();
    it->second.pop_back();
    --size_;
    return s;
  }
  void Give(sqlite3_stmt* s) {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    auto& list = free_[sqlite3_sql(s)];
    if (size_ >= kMaxStatements || list.size() >= kMaxPerText) {
      sqlite3_finalize(s);
      return;
    }
    list.push_back(s);
    ++size_;
  }

 private:
  std::map<std::string, std::vector<sqlite3_stmt*>, std::less<>> free_;
  size_t size_ = 0;
};

class SqliteStatement : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, StatementCache* cache) : db_(db), stmt_(stmt), cache_(cache) {}
  ~SqliteStatement() override { cache_->Give(stmt_); }

  Status Bind(const std::vector<Value>& params) override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt_)) {
      return Internal(fmt::format("statement takes {} parameters, got {}: {}",
                                  sqlite3_bind_parameter_count(stmt_), params.size(),
                                  sqlite3_sql(stmt_)));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int n = static_cast<int>(i) + 1;
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) return sqlite3_bind_null(stmt_, n);
            else if constexpr (std::is_same_v<T, int64_t>) return sqlite3_bind_int64(stmt_, n, v);
            else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt_, n, v);
            else
              return sqlite3_bind_text64(stmt_, n, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          },
          params[i]);
      if (rc != SQLITE_OK) return SqliteError(db_, "binding a parameter");
    }
    return Status::Ok();
  }

  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      changes_ = sqlite3_changes64(db_);
      return false;
    }
    Status s = SqliteError(db_, "running a statement");
    sqlite3_reset(stmt_);
    return s;
  }

  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const override { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  std::string_view TextView(int col) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, sqlite3_column_bytes(stmt_, col)) : std::string_view();
  }
  int64_t Changes() const override { return changes_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  StatementCache* cache_;
  int64_t changes_ = 0;
};

class SqliteConnection : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::string where) : db_(db), where_(std::move(where)) {}
  ~SqliteConnection() override {
    cache_.reset();  // finalizes the cached statements first
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override { return where_; }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = cache_->Take(sql);
    if (stmt != nullptr) return std::unique_ptr<Statement>(std::make_unique<SqliteStatement>(db_, stmt, cache_.get()));
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return SqliteError(db_, fmt::format("{}: preparing `{}`", where_, sql));
    }
    if (stmt == nullptr) return Internal(fmt::format("{}: `{}` holds no statement", where_, sql));
    return std::unique_ptr<Statement>(std::make_unique<SqliteStatement>(db_, stmt, cache_.get()));
  }

  Status ExecScript(std::string_view sql) override {
    std::string copy(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      sqlite3_free(err);  // the same text sqlite3_errmsg gives
      return SqliteError(db_, where_);
    }
    return Status::Ok();
  }

  Status BeginWrite() override { return ExecScript("BEGIN IMMEDIATE"); }
  Status Commit() override { return ExecScript("COMMIT"); }
  Status Rollback() override { return ExecScript("ROLLBACK"); }

 private:
  sqlite3* db_;
  std::string where_;
  std::unique_ptr<StatementCache> cache_ = std::make_unique<StatementCache>();
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  const std::string name = path.string();
  int rc = sqlite3_open_v2(name.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = IoError(fmt::format("{}: cannot open database: {}", name,
                                   db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return s;
  }
  auto conn = std::make_unique<SqliteConnection>(db, name);
  // busy_timeout first: another process may hold the write lock briefly.
  SG_RETURN_IF_ERROR(conn->ExecScript(
      "PRAGMA busy_timeout = 10000;"
      "PRAGMA foreign_keys = ON;"));
  if (name != ":memory:") {
    SG_RETURN_IF_ERROR(conn->ExecScript("PRAGMA journal_mode = WAL;"));
  }
  // FULL: in WAL mode a commit is fsynced before COMMIT returns.
  SG_RETURN_IF_ERROR(conn->ExecScript("PRAGMA synchronous = FULL;"));
  // Up to 256 MB of page cache (a ceiling, taken only as used): a large
  // list import updates B-trees at random keys, and with SQLite's 2 MB
  // default each insert goes to the disk.
  SG_RETURN_IF_ERROR(conn->ExecScript("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;"));
  // Check the file really is a database now, not at the first query.
  SG_RETURN_IF_ERROR(conn->ExecScript("SELECT count(*) FROM sqlite_schema;"));
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace sg::store
