// Why libpq (Debian's libpq-dev): it is PostgreSQL's own client library, the
// one every other driver is measured against; it speaks the extended query
// protocol (server-side prepared statements, parameters sent apart from the
// SQL, so no quoting of values), streams rows in single-row mode, and reads
// the same URLs and PG* environment variables as psql. A C++ wrapper
// (libpqxx) would add a dependency and exceptions for no gain behind our own
// Connection interface.
#include "store/postgres/postgres_connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <deque>
#include <unordered_map>

#include <fmt/format.h>

namespace sg::store {
namespace {

// Prepared statements kept per connection, by SQL text. The SQL the modules
// write comes from a fixed set of templates, so this is never reached in
// practice; past it, statements are parsed on each execution instead.
constexpr size_t kMaxPrepared = 1000;

// Advisory lock keys (first half): "SG" "W"rite. The second half is a hash
// of the schema, so databases in different schemas (tests) do not contend.
constexpr int kWriteLockKey = 0x53475701;

// As SQLite's busy timeout: a lock wait gives up after this long.
constexpr const char* kLockTimeout = "10s";

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  std::string out;
  for (char c : s) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

StatusCode CodeForSqlState(std::string_view state) {
  if (state.size() != 5) return StatusCode::kIoError;  // no SQLSTATE: the connection failed
  const std::string_view cls = state.substr(0, 2);
  if (cls == "23") return StatusCode::kAlreadyExists;  // integrity constraints, as SQLite maps them
  if (cls == "08" || cls == "53" || cls == "57" || cls == "58") return StatusCode::kIoError;
  if (state == "55P03" || cls == "40") return StatusCode::kIoError;  // lock timeout, deadlock, serialisation
  if (cls == "22") return StatusCode::kInvalidArgument;  // bad text, numbers, encoding
  if (cls == "XX") return StatusCode::kDataLoss;
  return StatusCode::kInternal;
}

class PostgresConnection;

class PostgresStatement : public Statement {
 public:
  PostgresStatement(PostgresConnection* conn, std::string sql, std::string name, int params)
      : conn_(conn), sql_(std::move(sql)), name_(std::move(name)), param_count_(params) {}
  ~PostgresStatement() override;

  Status Bind(const std::vector<Value>& params) override;
  Result<bool> Step() override;

  bool IsNull(int col) const override { return Field(col) == nullptr; }
  int64_t Int(int col) const override;
  double Real(int col) const override;
  std::string Text(int col) const override;
  std::string_view TextView(int col) const override;
  int64_t Changes() const override { return changes_; }

  // Reads every remaining result of this statement into memory, so that the
  // connection is free for another command.
  void Buffer();

 private:
  enum class State { kIdle, kBound, kStreaming, kBuffered, kDone };
  const char* Field(int col) const;
  Status Start();
  // Handles one result of the running command: a row (true), the end of the
  // command (false), or an error.
  Result<bool> Take(PGresult* res);
  void ClearRows();

  PostgresConnection* conn_;
  const std::string sql_;   // translated, for messages and unnamed execution
  const std::string name_;  // server-side prepared statement; empty: unnamed
  const int param_count_;
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  State state_ = State::kIdle;
  PGresult* row_ = nullptr;
  std::deque<PGresult*> buffered_;
  Status buffered_error_;
  int64_t changes_ = 0;
};

class PostgresConnection : public Connection {
 public:
  PostgresConnection(PGconn* conn, std::string described, std::string password)
      : conn_(conn), described_(std::move(described)), password_(std::move(password)) {}
  // Statements must be destroyed first, as with SQLite.
  ~PostgresConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override { return described_; }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    int params = 0;
    std::string translated = TranslatePlaceholders(sql, &params);
    FreeConnection();
    std::string name;
    if (auto it = prepared_.find(translated); it != prepared_.end()) {
      name = it->second;
    } else if (prepared_.size() < kMaxPrepared) {
      std::string candidate = fmt::format("sg_{}", prepared_.size() + 1);
      PGresult* res = PQprepare(conn_, candidate.c_str(), translated.c_str(), 0, nullptr);
      if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        Status s = Error(res, fmt::format("preparing `{}`", sql));
        PQclear(res);
        return s;
      }
      PQclear(res);
      prepared_.emplace(translated, candidate);
      name = std::move(candidate);
    }
    return std::unique_ptr<Statement>(
        std::make_unique<PostgresStatement>(this, std::move(translated), std::move(name), params));
  }

  Status ExecScript(std::string_view sql) override {
    FreeConnection();
    // The simple query protocol: several statements in one string.
    PGresult* res = PQexec(conn_, std::string(sql).c_str());
    const ExecStatusType st = PQresultStatus(res);
    Status s;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
      s = Error(res, fmt::format("running `{}`", OneLine(std::string(sql.substr(0, 200)))));
    }
    PQclear(res);
    return s;
  }

  Status BeginWrite() override {
    // One round trip: BEGIN and the write lock of this schema.
    Status s = ExecScript(fmt::format(
        "BEGIN; SELECT pg_advisory_xact_lock({}, hashtext(current_schema()))", kWriteLockKey));
    if (!s.ok() && PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)ExecScript("ROLLBACK");
    return s;
  }

  Status Commit() override {
    // A failed statement has aborted the transaction; COMMIT would quietly
    // roll it back and report success. Say so instead.
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
      (void)ExecScript("ROLLBACK");
      return Internal(fmt::format(
          "{}: the transaction was rolled back: a statement in it had failed", described_));
    }
    return ExecScript("COMMIT");
  }

  Status Rollback() override { return ExecScript("ROLLBACK"); }

  PGconn* raw() { return conn_; }

  // Before another command: a statement still receiving rows buffers them.
  void FreeConnection() {
    if (streaming_ != nullptr) streaming_->Buffer();
    streaming_ = nullptr;
  }
  void SetStreaming(PostgresStatement* s) { streaming_ = s; }
  void DoneStreaming(PostgresStatement* s) {
    if (streaming_ == s) streaming_ = nullptr;
  }

  // A Status from a failed result (or the connection's own error when `res`
  // is null): the server's message, what we were doing, never the password.
  Status Error(const PGresult* res, std::string_view what) const {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
    std::string message = primary ? primary : PQerrorMessage(conn_);
    if (detail) message += fmt::format(" ({})", detail);
    StatusCode code = CodeForSqlState(state ? state : "");
    if (PQstatus(conn_) == CONNECTION_BAD) code = StatusCode::kIoError;
    std::string text = Scrub(OneLine(fmt::format("{}: {}: {}{}", described_, what, message,
                                                 state ? fmt::format(" [SQLSTATE {}]", state) : "")));
    return {code, std::move(text)};
  }

  std::string Scrub(std::string text) const { return ScrubPassword(std::move(text), password_); }

  static std::string ScrubPassword(std::string text, const std::string& password) {
    // Defence in depth: libpq's messages do not quote passwords, but nothing
    // we return may ever contain one.
    if (password.size() < 4) return text;
    for (size_t p; (p = text.find(password)) != std::string::npos;) text.replace(p, password.size(), "***");
    return text;
  }

 private:
  PGconn* conn_;
  const std::string described_;
  const std::string password_;  // only to scrub messages; never printed
  PostgresStatement* streaming_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
};

PostgresStatement::~PostgresStatement() {
  if (state_ == State::kStreaming) {
    // Read and drop the rest: the connection must be idle for the next command.
    while (PGresult* res = PQgetResult(conn_->raw())) PQclear(res);
    conn_->DoneStreaming(this);
  }
  ClearRows();
}

void PostgresStatement::ClearRows() {
  PQclear(row_);
  row_ = nullptr;
  for (PGresult* r : buffered_) PQclear(r);
  buffered_.clear();
  buffered_error_ = Status::Ok();
}

Status PostgresStatement::Bind(const std::vector<Value>& params) {
  if (state_ == State::kStreaming) {
    while (PGresult* res = PQgetResult(conn_->raw())) PQclear(res);
    conn_->DoneStreaming(this);
  }
  ClearRows();
  state_ = State::kIdle;
  if (static_cast<int>(params.size()) != param_count_) {
    return Internal(fmt::format("statement takes {} parameters, got {}: {}", param_count_,
                                params.size(), sql_));
  }
  values_.assign(params.size(), std::string());
  nulls_.assign(params.size(), false);
  for (size_t i = 0; i < params.size(); ++i) {
    Status s = std::visit(
        [&](const auto& v) -> Status {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            nulls_[i] = true;
          } else if constexpr (std::is_same_v<T, int64_t>) {
            values_[i] = fmt::format("{}", v);
          } else if constexpr (std::is_same_v<T, double>) {
            values_[i] = fmt::format("{}", v);  // shortest text that reads back exactly
          } else {
            if (v.find('\0') != std::string::npos) {
              return InvalidArgument(fmt::format(
                  "{}: parameter {} holds a NUL byte, which PostgreSQL text cannot store: {}",
                  conn_->Describe(), i + 1, sql_));
            }
            values_[i] = v;
          }
          return Status::Ok();
        },
        params[i]);
    if (!s.ok()) return s;
  }
  state_ = State::kBound;
  return Status::Ok();
}

Status PostgresStatement::Start() {
  conn_->FreeConnection();
  std::vector<const char*> values(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) values[i] = nulls_[i] ? nullptr : values_[i].c_str();
  const int n = static_cast<int>(values.size());
  PGconn* pg = conn_->raw();
  const int sent = name_.empty()
                       ? PQsendQueryParams(pg, sql_.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0)
                       : PQsendQueryPrepared(pg, name_.c_str(), n, values.data(), nullptr, nullptr, 0);
  if (sent == 0) {
    state_ = State::kDone;
    return conn_->Error(nullptr, fmt::format("sending `{}`", sql_));
  }
  if (PQsetSingleRowMode(pg) == 0) {  // only fails if not called right after sending
    while (PGresult* res = PQgetResult(pg)) PQclear(res);
    state_ = State::kDone;
    return Internal(fmt::format("{}: cannot stream the rows of `{}`", conn_->Describe(), sql_));
  }
  state_ = State::kStreaming;
  conn_->SetStreaming(this);
  changes_ = 0;
  return Status::Ok();
}

Result<bool> PostgresStatement::Take(PGresult* res) {
  switch (PQresultStatus(res)) {
    case PGRES_SINGLE_TUPLE:
      row_ = res;
      return true;
    case PGRES_TUPLES_OK:  // the end of the rows: in single-row mode it holds none
      [[fallthrough]];
    case PGRES_COMMAND_OK: {
      const char* n = PQcmdTuples(res);
      changes_ = (n != nullptr && *n != '\0') ? std::strtoll(n, nullptr, 10) : 0;
      PQclear(res);
      return false;
    }
    default: {
      Status s = conn_->Error(res, fmt::format("running `{}`", sql_));
      PQclear(res);
      return s;
    }
  }
}

Result<bool> PostgresStatement::Step() {
  PQclear(row_);
  row_ = nullptr;
  if (state_ == State::kIdle && param_count_ == 0) state_ = State::kBound;
  if (state_ == State::kBound) SG_RETURN_IF_ERROR(Start());
  if (state_ == State::kBuffered) {
    while (!buffered_.empty()) {
      PGresult* res = buffered_.front();
      buffered_.pop_front();
      SG_ASSIGN_OR_RETURN(bool row, Take(res));
      if (row) return true;
    }
    state_ = State::kDone;
    if (!buffered_error_.ok()) {
      Status s = buffered_error_;
      buffered_error_ = Status::Ok();
      return s;
    }
    return false;
  }
  if (state_ != State::kStreaming) return false;
  PGconn* pg = conn_->raw();
  while (true) {
    PGresult* res = PQgetResult(pg);
    if (res == nullptr) {
      state_ = State::kDone;
      conn_->DoneStreaming(this);
      return false;
    }
    Result<bool> r = Take(res);
    if (!r.ok() || *r) {
      if (!r.ok()) {
        // Drain to the end of this command before reporting.
        while (PGresult* rest = PQgetResult(pg)) PQclear(rest);
        state_ = State::kDone;
        conn_->DoneStreaming(this);
      }
      return r;
    }
    // The command completed; PQgetResult returns null next.
  }
}

void PostgresStatement::Buffer() {
  if (state_ != State::kStreaming) return;
  PGconn* pg = conn_->raw();
  while (PGresult* res = PQgetResult(pg)) buffered_.push_back(res);
  state_ = State::kBuffered;
  conn_->DoneStreaming(this);
}

const char* PostgresStatement::Field(int col) const {
  if (row_ == nullptr || col < 0 || col >= PQnfields(row_) || PQntuples(row_) < 1) return nullptr;
  if (PQgetisnull(row_, 0, col)) return nullptr;
  return PQgetvalue(row_, 0, col);
}

int64_t PostgresStatement::Int(int col) const {
  const char* v = Field(col);
  if (v == nullptr) return 0;
  if (v[0] == 't' && v[1] == '\0') return 1;  // boolean
  if (v[0] == 'f' && v[1] == '\0') return 0;
  char* end = nullptr;
  long long i = std::strtoll(v, &end, 10);
  if (*end == '.' || *end == 'e' || *end == 'E') return static_cast<int64_t>(std::strtod(v, nullptr));
  return i;
}

double PostgresStatement::Real(int col) const {
  const char* v = Field(col);
  return v == nullptr ? 0.0 : std::strtod(v, nullptr);
}

std::string PostgresStatement::Text(int col) const { return std::string(TextView(col)); }

std::string_view PostgresStatement::TextView(int col) const {
  const char* v = Field(col);
  return v == nullptr ? std::string_view() : std::string_view(v, PQgetlength(row_, 0, col));
}

// The password of `url`, to scrub it from messages.
std::string PasswordOf(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  PQfreemem(err);
  std::string password;
  for (PQconninfoOption* o = opts; o != nullptr && o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val != nullptr) password = o->val;
  }
  PQconninfoFree(opts);
  return password;
}

}  // namespace

Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url) {
  const std::string described = RedactPostgresUrl(url);
  const std::string password = PasswordOf(url);
  // Defaults first, so the URL overrides them; client_encoding last, so it
  // cannot: every value in and out is UTF-8.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
  const char* values[] = {"10", "safeguard", url.c_str(), "UTF8", nullptr};
  PGconn* pg = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (pg == nullptr) return ResourceExhausted(fmt::format("{}: out of memory connecting", described));
  if (PQstatus(pg) != CONNECTION_OK) {
    std::string why = PostgresConnection::ScrubPassword(OneLine(PQerrorMessage(pg)), password);
    PQfinish(pg);
    return IoError(fmt::format("{}: cannot connect to PostgreSQL: {}", described, why));
  }
  // The server's notices and warnings ("relation already exists, skipping")
  // are not errors, and library code does not print.
  PQsetNoticeProcessor(pg, [](void*, const char*) {}, nullptr);
  auto conn = std::make_unique<PostgresConnection>(pg, described, password);
  SG_RETURN_IF_ERROR(conn->ExecScript(fmt::format("SET lock_timeout = '{}'", kLockTimeout)));
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace sg::store
