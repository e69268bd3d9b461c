// A migrated, empty store per test, on SQLite and on PostgreSQL
// (tests/store/test_backends.h).
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "../store/test_backends.h"
#include "store/audit.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_connection.h"

namespace sg::security {

class SecurityTest : public store::testing::MigratedStoreTest {
 protected:

  // The last audit entry, which must exist.
  store::StoredAuditEntry LastAudit() {
    auto v = store::VerifyAudit(*conn_);
    EXPECT_TRUE(v.ok());
    EXPECT_FALSE(v->first_bad_id) << v->reason;
    auto e = store::ReadAuditEntry(*conn_, v->entries);
    EXPECT_TRUE(e.ok() && e->has_value());
    return e.ok() && e->has_value() ? **e : store::StoredAuditEntry{};
  }
  // Two more connections to one database, as two server processes have:
  // PostgreSQL, this test's schema; SQLite, a migrated temporary file
  // (an in-memory database is private to its connection).
  void OpenTwo(std::unique_ptr<store::Connection>* a, std::unique_ptr<store::Connection>* b) {
    if (postgres()) {
      auto o1 = db_->Open(), o2 = db_->Open();
      ASSERT_TRUE(o1.ok() && o2.ok());
      *a = std::move(o1).value();
      *b = std::move(o2).value();
      return;
    }
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info->name();  // "Test/0": no slash in a file name
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    temp_db_ = ::testing::TempDir() + "sg_security_" + std::to_string(::getpid()) + "_" + name + ".db";
    RemoveTempDb();
    auto o1 = store::OpenSqlite(temp_db_), o2 = store::OpenSqlite(temp_db_);
    ASSERT_TRUE(o1.ok() && o2.ok());
    *a = std::move(o1).value();
    *b = std::move(o2).value();
    ASSERT_TRUE(store::Migrate(**a).ok());
  }
  void RemoveTempDb() {
    if (temp_db_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((temp_db_ + suffix).c_str());
  }
  ~SecurityTest() override { RemoveTempDb(); }

  int64_t AuditCount() {
    auto v = store::VerifyAudit(*conn_);
    return v.ok() ? v->entries : -1;
  }

  std::string temp_db_;
};

}  // namespace sg::security
