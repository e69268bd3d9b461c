// The storage interface every module above `store` talks to: a connection to
// a SQL database, prepared statements with `?` placeholders, and
// transactions. Two real backends sit behind it: SQLite (embedded, the
// default, in the data directory) and PostgreSQL (for a unit's shared
// server). Modules write portable SQL; where the dialects differ they ask
// `dialect()`.
//
// Values are NULL, 64-bit integers, doubles or UTF-8 text: hashes are stored
// as lowercase hex text so that both backends and a human reading the
// database see the same thing.
//
// Thread safety: a Connection and its Statements belong to one thread at a
// time. Open one connection per thread; the database handles concurrency.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace sg::store {

enum class Dialect { kSqlite, kPostgres };

using Value = std::variant<std::monostate, int64_t, double, std::string>;

// Helpers for optional values: an empty optional binds as NULL.
inline Value Nullable(const std::optional<std::string>& s) {
  return s ? Value(*s) : Value(std::monostate{});
}
inline Value Nullable(const std::optional<int64_t>& i) {
  return i ? Value(*i) : Value(std::monostate{});
}

class Statement {
 public:
  virtual ~Statement() = default;
  // Resets the statement and binds parameters 1..n to the `?` placeholders.
  virtual Status Bind(const std::vector<Value>& params) = 0;
  // Advances to the next row: true if there is one, false when done.
  virtual Result<bool> Step() = 0;
  // Columns of the current row, 0-based.
  virtual bool IsNull(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  // The same text without a copy: valid until the next Step, Bind or reset.
  // For bulk reads of millions of rows (linking's rebuild).
  virtual std::string_view TextView(int col) const = 0;
  std::optional<std::string> OptText(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::string>(Text(col));
  }
  std::optional<int64_t> OptInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<int64_t>(Int(col));
  }
  // Rows changed by the last completed INSERT/UPDATE/DELETE.
  virtual int64_t Changes() const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Where the data lives, for messages ("var/safeguard.db").
  virtual std::string Describe() const = 0;

  virtual Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;
  // Runs one or more statements without parameters (schema scripts).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Transactions. BeginWrite takes the write lock at once (SQLite's BEGIN
  // IMMEDIATE) so that a read-then-write transaction never fails half-way
  // on a lock upgrade.
  virtual Status BeginWrite() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // Convenience: prepare, bind, run to completion; returns rows changed.
  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {});
};

// Rolls back on destruction unless Commit() succeeded: a failed import or
// request leaves nothing half-written.
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& conn);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;
};

}  // namespace sg::store
