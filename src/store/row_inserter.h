// RowInserter: rows gathered in memory and written as multi-row INSERTs.
//
// On PostgreSQL every statement is a round trip to the server, and on both
// backends a statement has a fixed cost, so writing N rows as one
// statement of N rows instead of N statements is what makes a batch of
// intake, a rebuild or a chat log cheap. Rows go out in statements of
// max_rows, the rest in one statement of its own size: at most max_rows
// statement texts per table (each prepared once and cached by the
// connection).
//
// Usage, inside the caller's transaction:
//   RowInserter files(conn, "INSERT INTO report_files (report_id, file_index)", 2);
//   SG_RETURN_IF_ERROR(files.Add({id, int64_t{0}}));
//   SG_RETURN_IF_ERROR(files.Flush());
// Add flushes by itself once max_rows rows wait. `tail` follows the VALUES
// list (" ON CONFLICT DO NOTHING"). Thread safety: as the Connection.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "store/database.h"

namespace sg::store {

class RowInserter {
 public:
  static constexpr size_t kDefaultMaxRows = 32;

  RowInserter(Connection& conn, std::string head, size_t width, std::string tail = "",
              size_t max_rows = kDefaultMaxRows);

  // One row of exactly `width` values (kInternal otherwise).
  Status Add(std::vector<Value> row);
  // Writes every row waiting.
  Status Flush();
  size_t pending_rows() const { return values_.size() / width_; }

 private:
  Status Write(size_t rows);  // the first `rows` waiting rows, one statement

  Connection& conn_;
  std::string head_, tail_;
  size_t width_, max_rows_;
  std::vector<Value> values_;  // row after row
};

}  // namespace sg::store
