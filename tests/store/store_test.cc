#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include <unistd.h>

#include "store/migrations.h"
#include "store/open.h"
#include "store/postgres/postgres_connection.h"
#include "store/row_inserter.h"
#include "store/sqlite/sqlite_connection.h"
#include "test_backends.h"

namespace sg::store {
namespace {

using testing::Backend;
using testing::TestDatabase;

int64_t CountRows(Connection& c, const std::string& table) {
  auto q = c.Prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(q.ok());
  EXPECT_TRUE((*q)->Bind({}).ok());
  EXPECT_TRUE(*(*q)->Step());
  return (*q)->Int(0);
}

// The same suite on SQLite and on PostgreSQL (test_backends.h).
class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    SG_SKIP_IF_NO_BACKEND(*db_);
    auto c = db_->Open();
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    conn_ = std::move(c).value();
  }
  void TearDown() override {
    conn_.reset();  // before its schema is dropped
    db_.reset();
  }
  bool postgres() const { return GetParam() == Backend::kPostgres; }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Connection> conn_;
};
SG_INSTANTIATE_BACKENDS(StoreTest);

TEST_P(StoreTest, MigrateIsIdempotentAndRecordsEachStep) {
  Connection* c = conn_.get();
  auto v = Migrate(*c);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, AllMigrations().back().version);
  auto again = Migrate(*c);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *v);
  EXPECT_EQ(CountRows(*c, "schema_migrations"), static_cast<int64_t>(AllMigrations().size()));
}

TEST_P(StoreTest, RefusesANewerSchema) {
  Connection* c = conn_.get();
  ASSERT_TRUE(Migrate(*c).ok());
  ASSERT_TRUE(c->Exec("INSERT INTO schema_migrations VALUES (9999, 'future', 'x')").ok());
  auto v = Migrate(*c);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(v.status().message().find("9999"), std::string::npos);
}

TEST_P(StoreTest, BindsEveryValueTypeAndReadsItBack) {
  Connection* c = conn_.get();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)").ok());
  // SQLite keeps a NUL byte inside text; PostgreSQL text cannot hold one,
  // so that backend refuses it, clearly and before sending anything.
  auto nul = c->Exec("INSERT INTO t VALUES (?, ?, ?, ?)",
                     {int64_t{-5}, 2.5, std::string("héllo\0x", 7), Value{}});
  if (postgres()) {
    ASSERT_FALSE(nul.ok());
    EXPECT_EQ(nul.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(nul.status().message().find("NUL byte"), std::string::npos) << nul.status().message();
    EXPECT_EQ(CountRows(*c, "t"), 0);
  }
  const std::string text = postgres() ? std::string("héllo x") : std::string("héllo\0x", 7);
  auto n = postgres() ? c->Exec("INSERT INTO t VALUES (?, ?, ?, ?)", {int64_t{-5}, 2.5, text, Value{}})
                      : std::move(nul);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  auto q = c->Prepare("SELECT i, r, s, n FROM t");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE((*q)->Bind({}).ok());
  ASSERT_TRUE(*(*q)->Step());
  EXPECT_EQ((*q)->Int(0), -5);
  EXPECT_DOUBLE_EQ((*q)->Real(1), 2.5);
  EXPECT_EQ((*q)->Text(2), text);
  EXPECT_TRUE((*q)->IsNull(3));
  EXPECT_FALSE((*q)->OptText(3).has_value());
  EXPECT_FALSE(*(*q)->Step());
}

TEST_P(StoreTest, WrongParameterCountIsAnError) {
  Connection* c = conn_.get();
  auto n = c->Exec("SELECT ?", {});
  EXPECT_FALSE(n.ok());
}

TEST_P(StoreTest, TransactionRollsBackUnlessCommitted) {
  Connection* c = conn_.get();
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

TEST_P(StoreTest, ConstraintViolationIsAlreadyExists) {
  Connection* c = conn_.get();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (x INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE(c->Exec("INSERT INTO t VALUES (1)").ok());
  auto again = c->Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

TEST(StoreSqliteTest, ResolveDataDirPrecedence) {
  ::setenv("SAFEGUARD_DATA", "/tmp/from-env", 1);
  EXPECT_EQ(ResolveDataDir("/tmp/flag"), "/tmp/flag");
  EXPECT_EQ(ResolveDataDir(""), "/tmp/from-env");
  ::unsetenv("SAFEGUARD_DATA");
  EXPECT_EQ(ResolveDataDir(""), "var");
}

TEST(StoreSqliteTest, OpenStoreCreatesTheDirectoryAndPersists) {
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

TEST(StoreSqliteTest, NotADatabaseIsAClearError) {
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

TEST_P(StoreTest, PrepareOnceBindManyWithOtherStatementsInBetween) {
  Connection* c = conn_.get();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT);"
                            "CREATE TABLE seen (k INTEGER)").ok());
  auto insert = c->Prepare("INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING");
  ASSERT_TRUE(insert.ok()) << insert.status().ToString();
  // (key, rows the insert changes): the second 2 is a conflict.
  const std::vector<std::pair<int64_t, int64_t>> steps = {{1, 1}, {2, 1}, {3, 1}, {2, 0}, {4, 1}, {5, 1}};
  for (const auto& [k, changes] : steps) {
    ASSERT_TRUE((*insert)->Bind({k, "v" + std::to_string(k)}).ok());
    auto row = (*insert)->Step();
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    EXPECT_FALSE(*row);
    EXPECT_EQ((*insert)->Changes(), changes) << k;
    // Another statement between two executions of the first.
    ASSERT_TRUE(c->Exec("UPDATE t SET v = v WHERE k = ?", {k}).ok());
  }
  EXPECT_EQ(CountRows(*c, "t"), 5);
  // Reading rows while other statements run on the same connection.
  auto q = c->Prepare("SELECT k, v FROM t WHERE k >= ? ORDER BY k");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE((*q)->Bind({int64_t{2}}).ok());
  std::vector<int64_t> keys;
  while (true) {
    auto row = (*q)->Step();
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    if (!*row) break;
    keys.push_back((*q)->Int(0));
    EXPECT_EQ((*q)->Text(1), "v" + std::to_string(keys.back()));
    ASSERT_TRUE(c->Exec("INSERT INTO seen VALUES (?)", {keys.back()}).ok());
  }
  EXPECT_EQ(keys, (std::vector<int64_t>{2, 3, 4, 5}));
  EXPECT_EQ(CountRows(*c, "seen"), 4);
  // Bound again, the same statement runs again.
  ASSERT_TRUE((*q)->Bind({int64_t{5}}).ok());
  ASSERT_TRUE(*(*q)->Step());
  EXPECT_EQ((*q)->Int(0), 5);
  EXPECT_FALSE(*(*q)->Step());
}

TEST_P(StoreTest, TheSameTextPreparedAgainAndNestedGivesFreshStatements) {
  Connection* c = conn_.get();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (k INTEGER PRIMARY KEY)").ok());
  for (int64_t k = 1; k <= 3; ++k) ASSERT_TRUE(c->Exec("INSERT INTO t (k) VALUES (?)", {k}).ok());
  const std::string sql = "SELECT k FROM t WHERE k >= ? ORDER BY k";
  // Two statements of one text open at once (a loop inside a loop): each
  // keeps its own bindings and position.
  auto outer = c->Prepare(sql);
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE((*outer)->Bind({int64_t{1}}).ok());
  std::vector<std::pair<int64_t, int64_t>> pairs;
  while (*(*outer)->Step()) {
    auto inner = c->Prepare(sql);
    ASSERT_TRUE(inner.ok());
    ASSERT_TRUE((*inner)->Bind({(*outer)->Int(0)}).ok());
    while (*(*inner)->Step()) pairs.emplace_back((*outer)->Int(0), (*inner)->Int(0));
  }
  EXPECT_EQ(pairs, (std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {1, 2}, {1, 3}, {2, 2}, {2, 3}, {3, 3}}));
  // A statement dropped in the middle of its rows and prepared again starts
  // from the beginning, with no bindings left over.
  {
    auto q = c->Prepare(sql);
    ASSERT_TRUE((*q)->Bind({int64_t{2}}).ok());
    ASSERT_TRUE(*(*q)->Step());
  }
  auto again = c->Prepare(sql);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE((*again)->Bind({}).ok());  // one parameter, none given
  ASSERT_TRUE((*again)->Bind({int64_t{0}}).ok());
  ASSERT_TRUE(*(*again)->Step());
  EXPECT_EQ((*again)->Int(0), 1);
}

TEST(StoreSqliteTest, AStatementDroppedMidReadHoldsNoSnapshot) {
  // Two connections to one file: after the reader drops a half-read
  // statement, it sees what the writer commits next.
  const auto dir = std::filesystem::temp_directory_path() / ("sg_store_snapshot_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto reader = OpenSqlite(dir / "db.sqlite");
  auto writer = OpenSqlite(dir / "db.sqlite");
  ASSERT_TRUE(reader.ok() && writer.ok());
  ASSERT_TRUE((*writer)->ExecScript("CREATE TABLE t (k INTEGER); INSERT INTO t VALUES (1), (2)").ok());
  {
    auto q = (*reader)->Prepare("SELECT k FROM t");
    ASSERT_TRUE((*q)->Bind({}).ok());
    ASSERT_TRUE(*(*q)->Step());  // a read transaction is open here
  }
  ASSERT_TRUE((*writer)->Exec("INSERT INTO t VALUES (3)").ok());
  auto q = (*reader)->Prepare("SELECT k FROM t");
  ASSERT_TRUE((*q)->Bind({}).ok());
  int rows = 0;
  while (*(*q)->Step()) ++rows;
  EXPECT_EQ(rows, 3);
  q->reset();
  reader->reset();
  writer->reset();
  std::filesystem::remove_all(dir);
}

TEST_P(StoreTest, RowInserterWritesEveryRowInFewStatements) {
  Connection* c = conn_.get();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)").ok());
  RowInserter rows(*c, "INSERT INTO t (k, v)", 2, " ON CONFLICT DO NOTHING", 8);
  for (int64_t k = 1; k <= 21; ++k) {
    ASSERT_TRUE(rows.Add({k, k % 2 ? Value("odd") : Value()}).ok());
    EXPECT_LT(rows.pending_rows(), 8u);  // flushed by itself at 8
  }
  EXPECT_EQ(rows.pending_rows(), 5u);
  ASSERT_TRUE(rows.Add({int64_t{3}, "again"}).ok());  // skipped by the tail
  ASSERT_TRUE(rows.Flush().ok());
  EXPECT_EQ(rows.pending_rows(), 0u);
  EXPECT_EQ(CountRows(*c, "t"), 21);
  auto q = c->Prepare("SELECT count(*) FROM t WHERE v = 'odd'");
  ASSERT_TRUE((*q)->Bind({}).ok());
  ASSERT_TRUE(*(*q)->Step());
  EXPECT_EQ((*q)->Int(0), 11);
  auto bad = rows.Add({int64_t{99}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("INSERT INTO t (k, v)"), std::string::npos) << bad.message();
  // A failing row fails the flush, naming the statement's table.
  RowInserter strict(*c, "INSERT INTO t (k, v)", 2);
  ASSERT_TRUE(strict.Add({int64_t{1}, "dup"}).ok());
  EXPECT_EQ(strict.Flush().code(), StatusCode::kAlreadyExists);
}

TEST_P(StoreTest, QuestionMarksInQuotesAndCommentsAreNotPlaceholders) {
  Connection* c = conn_.get();
  ASSERT_TRUE(c->ExecScript(R"sql(CREATE TABLE t ("odd?" TEXT))sql").ok());
  auto n = c->Exec(R"sql(INSERT INTO t ("odd?") VALUES (? /* not ? this */)  -- nor ? this)sql", {"x"});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  auto q = c->Prepare(R"sql(SELECT '?', "odd?", 'it''s ?' FROM t WHERE "odd?" = ?)sql");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_TRUE((*q)->Bind({"x"}).ok());
  ASSERT_TRUE(*(*q)->Step());
  EXPECT_EQ((*q)->Text(0), "?");
  EXPECT_EQ((*q)->Text(1), "x");
  EXPECT_EQ((*q)->Text(2), "it's ?");
}

TEST_P(StoreTest, ABadStatementNamesItsSql) {
  auto q = conn_->Prepare("SELECT nope FROM nowhere_at_all");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("nowhere_at_all"), std::string::npos) << q.status().message();
}

TEST(PostgresTextTest, PlaceholdersBecomeNumberedOutsideQuotesAndComments) {
  int n = 0;
  EXPECT_EQ(TranslatePlaceholders("SELECT ?, ? FROM t WHERE a = ?", &n), "SELECT $1, $2 FROM t WHERE a = $3");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(TranslatePlaceholders("SELECT '?''?', \"a?\"\"b\", ? -- ?\n, ?", &n),
            "SELECT '?''?', \"a?\"\"b\", $1 -- ?\n, $2");
  EXPECT_EQ(n, 2);
  EXPECT_EQ(TranslatePlaceholders("SELECT /* ? /* ? */ ? */ ?", &n), "SELECT /* ? /* ? */ ? */ $1");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(TranslatePlaceholders("SELECT $$ ? $$, $tag$ it's ? $tag$, ?", &n),
            "SELECT $$ ? $$, $tag$ it's ? $tag$, $1");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(TranslatePlaceholders("SELECT E'\\' ?', ?, a$b", &n), "SELECT E'\\' ?', $1, a$b");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(TranslatePlaceholders("SELECT 'unterminated ?", &n), "SELECT 'unterminated ?");
  EXPECT_EQ(n, 0);
}

TEST(PostgresTextTest, RedactionRemovesEveryPassword) {
  EXPECT_EQ(RedactPostgresUrl("postgresql://ann:s3cret@db.example:5433/sg"), "postgresql://ann@db.example:5433/sg");
  EXPECT_EQ(RedactPostgresUrl("postgres://ann:p@ss@db/sg?sslmode=require"), "postgres://ann@db/sg?sslmode=require");
  EXPECT_EQ(RedactPostgresUrl("postgresql://db:5432/sg?user=ann&password=s3cret&sslmode=require"),
            "postgresql://db:5432/sg?user=ann&sslmode=require");
  EXPECT_EQ(RedactPostgresUrl("postgresql://db/sg?password=s3cret"), "postgresql://db/sg");
  EXPECT_EQ(RedactPostgresUrl("postgresql://ann@db/sg"), "postgresql://ann@db/sg");
  EXPECT_EQ(RedactPostgresUrl("host=db password='s3 cret' dbname=sg"), "host=db dbname=sg");
}

TEST(StoreOpenTest, AnUnknownDatabaseUrlIsUnsupported) {
  auto c = OpenStore({std::filesystem::temp_directory_path() / "sg-unused", "mysql://ann:s3cret@db/sg"});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(c.status().message().find("s3cret"), std::string::npos) << c.status().message();
}

}  // namespace
}  // namespace sg::store
