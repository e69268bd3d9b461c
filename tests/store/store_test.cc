#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "store/migrations.h"
#include "store/open.h"
#include "store/sqlite/sqlite_connection.h"

namespace sg::store {
namespace {

std::unique_ptr<Connection> Memory() {
  auto conn = OpenSqlite(":memory:");
  EXPECT_TRUE(conn.ok()) << conn.status().ToString();
  return std::move(conn).value();
}

int64_t CountRows(Connection& c, const std::string& table) {
  auto q = c.Prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(q.ok());
  EXPECT_TRUE((*q)->Bind({}).ok());
  EXPECT_TRUE(*(*q)->Step());
  return (*q)->Int(0);
}

TEST(StoreTest, MigrateIsIdempotentAndRecordsEachStep) {
  auto c = Memory();
  auto v = Migrate(*c);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, AllMigrations().back().version);
  auto again = Migrate(*c);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *v);
  EXPECT_EQ(CountRows(*c, "schema_migrations"), static_cast<int64_t>(AllMigrations().size()));
}

TEST(StoreTest, RefusesANewerSchema) {
  auto c = Memory();
  ASSERT_TRUE(Migrate(*c).ok());
  ASSERT_TRUE(c->Exec("INSERT INTO schema_migrations VALUES (9999, 'future', 'x')").ok());
  auto v = Migrate(*c);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(v.status().message().find("9999"), std::string::npos);
}

TEST(StoreTest, BindsEveryValueTypeAndReadsItBack) {
  auto c = Memory();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)").ok());
  auto n = c->Exec("INSERT INTO t VALUES (?, ?, ?, ?)",
                   {int64_t{-5}, 2.5, std::string("héllo\0x", 7), Value{}});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  auto q = c->Prepare("SELECT i, r, s, n FROM t");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE((*q)->Bind({}).ok());
  ASSERT_TRUE(*(*q)->Step());
  EXPECT_EQ((*q)->Int(0), -5);
  EXPECT_DOUBLE_EQ((*q)->Real(1), 2.5);
  EXPECT_EQ((*q)->Text(2), std::string("héllo\0x", 7));
  EXPECT_TRUE((*q)->IsNull(3));
  EXPECT_FALSE((*q)->OptText(3).has_value());
  EXPECT_FALSE(*(*q)->Step());
}

TEST(StoreTest, WrongParameterCountIsAnError) {
  auto c = Memory();
  auto n = c->Exec("SELECT ?", {});
  EXPECT_FALSE(n.ok());
}

TEST(StoreTest, TransactionRollsBackUnlessCommitted) {
  auto c = Memory();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (x INTEGER)").ok());
  {
    auto tx = Transaction::Begin(*c);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(c->Exec("INSERT INTO t VALUES (1)").ok());
  }  // dropped: rolled back
  EXPECT_EQ(CountRows(*c, "t"), 0);
  {
    auto tx = Transaction::Begin(*c);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(c->Exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(CountRows(*c, "t"), 1);
}

TEST(StoreTest, ConstraintViolationIsAlreadyExists) {
  auto c = Memory();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (x INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE(c->Exec("INSERT INTO t VALUES (1)").ok());
  auto again = c->Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

TEST(StoreTest, ResolveDataDirPrecedence) {
  ::setenv("SAFEGUARD_DATA", "/tmp/from-env", 1);
  EXPECT_EQ(ResolveDataDir("/tmp/flag"), "/tmp/flag");
  EXPECT_EQ(ResolveDataDir(""), "/tmp/from-env");
  ::unsetenv("SAFEGUARD_DATA");
  EXPECT_EQ(ResolveDataDir(""), "var");
}

TEST(StoreTest, OpenStoreCreatesTheDirectoryAndPersists) {
  auto dir = std::filesystem::temp_directory_path() / ("sg-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto c = OpenStore({dir / "nested", ""});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_TRUE((*c)->Exec("UPDATE store_meta SET value = '7' WHERE key = 'lists_generation'").ok());
  }
  auto c = OpenStore({dir / "nested", ""});
  ASSERT_TRUE(c.ok());
  auto q = (*c)->Prepare("SELECT value FROM store_meta WHERE key = 'lists_generation'");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE((*q)->Bind({}).ok());
  ASSERT_TRUE(*(*q)->Step());
  EXPECT_EQ((*q)->Text(0), "7");
  std::filesystem::remove_all(dir);
}

TEST(StoreTest, NotADatabaseIsAClearError) {
  auto dir = std::filesystem::temp_directory_path() / ("sg-notdb-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    FILE* f = std::fopen((dir / "safeguard.db").c_str(), "w");
    std::fputs("this is not a database, just some text that is long enough to be read", f);
    std::fclose(f);
  }
  auto c = OpenStore({dir, ""});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("safeguard.db"), std::string::npos) << c.status().ToString();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sg::store
