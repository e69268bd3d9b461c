#include "store/database.h"

namespace sg::store {

Result<int64_t> Connection::Exec(std::string_view sql, const std::vector<Value>& params) {
  SG_ASSIGN_OR_RETURN(auto stmt, Prepare(sql));
  SG_RETURN_IF_ERROR(stmt->Bind(params));
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
  }
  return stmt->Changes();
}

Result<Transaction> Transaction::Begin(Connection& conn) {
  SG_RETURN_IF_ERROR(conn.BeginWrite());
  return Transaction(&conn);
}

Transaction::Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }

Transaction::~Transaction() {
  if (conn_ != nullptr) (void)conn_->Rollback();
}

Status Transaction::Commit() {
  if (conn_ == nullptr) return Internal("transaction already finished");
  Status s = conn_->Commit();
  if (s.ok()) conn_ = nullptr;
  return s;
}

}  // namespace sg::store
