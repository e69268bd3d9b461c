// The store backends the storage-level test suites run against: SQLite (in
// memory) and PostgreSQL (the server named by $SG_TEST_POSTGRES_URL, which
// `make test` starts with scripts/with-postgres). Without that variable the
// PostgreSQL instances are skipped, so the unit tests still run anywhere.
//
// Each PostgreSQL test gets a schema of its own (created empty, selected by
// search_path, dropped afterwards), so tests are independent and may run in
// parallel (ctest -j) on one server.
//
// Use: derive a fixture from MigratedStoreTest (a migrated database of each
// backend in db_ and conn_), or from ::testing::TestWithParam<Backend> and
// call `SG_SKIP_IF_NO_BACKEND(db_)` after constructing a TestDatabase in
// SetUp; the file instantiates it with SG_INSTANTIATE_BACKENDS(Fixture).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <random>
#include <string>

#include <fmt/format.h>

#include "store/database.h"
#include "store/migrations.h"
#include "store/postgres/postgres_connection.h"
#include "store/sqlite/sqlite_connection.h"

namespace sg::store::testing {

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}
inline void PrintTo(Backend b, std::ostream* os) { *os << (b == Backend::kSqlite ? "Sqlite" : "Postgres"); }

// $SG_TEST_POSTGRES_URL, or "" when unset.
inline std::string PostgresTestUrl() {
  const char* url = std::getenv("SG_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

inline constexpr const char* kNoPostgresMessage =
    "SG_TEST_POSTGRES_URL is not set: skipping the PostgreSQL instance (`make test`, or "
    "scripts/with-postgres COMMAND, provides a throwaway server)";

// `url` with `-c search_path=schema` added to its server options.
inline std::string WithSearchPath(const std::string& url, const std::string& schema) {
  const char sep = url.find('?') == std::string::npos ? '?' : '&';
  return fmt::format("{}{}options=-c%20search_path%3D{}", url, sep, schema);
}

// One fresh, empty database for one test.
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {
    if (backend_ != Backend::kPostgres) return;
    const std::string base = PostgresTestUrl();
    if (base.empty()) {
      skipped_ = true;
      return;
    }
    static std::atomic<int> counter{0};
    std::random_device rd;
    schema_ = fmt::format("sgt_{}_{}_{:08x}", ::getpid(), counter++, rd());
    auto admin = OpenPostgres(base);
    if (!admin.ok()) {
      error_ = admin.status().ToString();
      return;
    }
    Status s = (*admin)->ExecScript(fmt::format("CREATE SCHEMA {}", schema_));
    if (!s.ok()) error_ = s.ToString();
    url_ = WithSearchPath(base, schema_);
  }

  ~TestDatabase() {
    if (schema_.empty()) return;
    auto admin = OpenPostgres(PostgresTestUrl());
    if (admin.ok()) (void)(*admin)->ExecScript(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", schema_));
  }

  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Backend backend() const { return backend_; }
  bool skipped() const { return skipped_; }
  // Why the database could not be made ("" if it was).
  const std::string& error() const { return error_; }
  // PostgreSQL: the URL of this test's schema (for OpenStore and for more
  // connections). "" for SQLite.
  const std::string& url() const { return url_; }

  // A connection to this database. SQLite: a private in-memory database, so
  // call once; PostgreSQL: as many as wanted, all seeing the same schema.
  Result<std::unique_ptr<Connection>> Open() const {
    if (backend_ == Backend::kSqlite) return OpenSqlite(":memory:");
    return OpenPostgres(url_);
  }

 private:
  Backend backend_;
  bool skipped_ = false;
  std::string schema_;
  std::string url_;
  std::string error_;
};

}  // namespace sg::store::testing

// In SetUp, after making `db` (a TestDatabase): skip without a server, fail
// if the database could not be made.
#define SG_SKIP_IF_NO_BACKEND(db)                                        \
  do {                                                                   \
    if ((db).skipped()) GTEST_SKIP() << ::sg::store::testing::kNoPostgresMessage; \
    ASSERT_TRUE((db).error().empty()) << (db).error();                   \
  } while (0)

namespace sg::store::testing {

// A fresh, migrated database of the test's backend: db_ and conn_. A derived
// SetUp calls this one first and returns at once when it skipped or failed
// (`if (IsSkipped() || HasFatalFailure()) return;`); a derived TearDown
// drops what uses conn_ before calling this one.
class MigratedStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    SG_SKIP_IF_NO_BACKEND(*db_);
    auto c = db_->Open();
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    conn_ = std::move(c).value();
    auto migrated = Migrate(*conn_);
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  }
  void TearDown() override {
    conn_.reset();  // before the test's database is dropped
    db_.reset();
  }
  bool postgres() const { return GetParam() == Backend::kPostgres; }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace sg::store::testing

#define SG_INSTANTIATE_BACKENDS(fixture)                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, fixture,                                              \
                           ::testing::Values(::sg::store::testing::Backend::kSqlite,       \
                                             ::sg::store::testing::Backend::kPostgres),    \
                           ::sg::store::testing::BackendName)
