#include "store/row_inserter.h"

#include <algorithm>

#include <fmt/format.h>

namespace sg::store {

RowInserter::RowInserter(Connection& conn, std::string head, size_t width, std::string tail, size_t max_rows)
    : conn_(conn), head_(std::move(head)), tail_(std::move(tail)), width_(width), max_rows_(std::max<size_t>(1, max_rows)) {}

Status RowInserter::Add(std::vector<Value> row) {
  if (row.size() != width_) {
    return Internal(fmt::format("{}: a row of {} values, not {}", head_, row.size(), width_));
  }
  for (Value& v : row) values_.push_back(std::move(v));
  if (pending_rows() >= max_rows_) return Flush();
  return Status::Ok();
}

Status RowInserter::Flush() {
  // What is left goes out as one statement: at most max_rows rows wait,
  // so at most max_rows statement texts per inserter are ever prepared.
  while (pending_rows() > 0) SG_RETURN_IF_ERROR(Write(std::min(pending_rows(), max_rows_)));
  values_.clear();
  return Status::Ok();
}

Status RowInserter::Write(size_t rows) {
  std::string one = "(?";
  for (size_t c = 1; c < width_; ++c) one += ", ?";
  one += ")";
  std::string sql = head_ + " VALUES " + one;
  for (size_t r = 1; r < rows; ++r) sql += ", " + one;
  sql += tail_;
  const auto first = values_.begin();
  const auto last = first + static_cast<std::ptrdiff_t>(rows * width_);
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(sql));
  SG_RETURN_IF_ERROR(q->Bind(std::vector<Value>(std::make_move_iterator(first), std::make_move_iterator(last))));
  values_.erase(first, last);
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return Status::Ok();
  }
}

}  // namespace sg::store
