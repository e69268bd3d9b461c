// What only the PostgreSQL backend has: a server to reach, a password to
// keep out of messages, several processes sharing one database. Runs against
// $SG_TEST_POSTGRES_URL (scripts/with-postgres); skipped without it.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "store/migrations.h"
#include "store/open.h"
#include "store/postgres/postgres_connection.h"
#include "test_backends.h"

namespace sg::store {
namespace {

using testing::Backend;
using testing::TestDatabase;

// The password in the test server's URL (postgresql://user:PASSWORD@...).
std::string PasswordOf(const std::string& url) {
  const size_t start = url.find("://") + 3;
  const size_t at = url.find('@', start);
  const size_t colon = url.find(':', start);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return "";
  return url.substr(colon + 1, at - colon - 1);
}

// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

int64_t Count(Connection& c, const std::string& sql) {
  auto q = c.Prepare(sql);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  if (!q.ok()) return -1;
  EXPECT_TRUE((*q)->Bind({}).ok());
  auto row = (*q)->Step();
  EXPECT_TRUE(row.ok() && *row);
  return (*q)->Int(0);
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(Backend::kPostgres);
    SG_SKIP_IF_NO_BACKEND(*db_);
    password_ = PasswordOf(testing::PostgresTestUrl());
    ASSERT_GE(password_.size(), 8u) << "the test server's URL should carry a password";
  }
  std::unique_ptr<TestDatabase> db_;
  std::string password_;
};

TEST_F(PostgresTest, ThePasswordNeverAppearsInDescribeOrErrors) {
  auto c = db_->Open();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const std::string described = (*c)->Describe();
  EXPECT_EQ(described.find(password_), std::string::npos) << described;
  EXPECT_NE(described.find("postgresql://sg_test@127.0.0.1:"), std::string::npos) << described;
  auto bad = (*c)->Exec("SELECT * FROM no_such_table");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find(password_), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("no_such_table"), std::string::npos) << bad.status().message();

  // A wrong password: refused by the server, named by neither message.
  std::string url = db_->url();
  const std::string wrong = "wrong-" + password_;
  url.replace(url.find(password_), password_.size(), wrong);
  auto refused = OpenPostgres(url);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kIoError);
  const std::string& m = refused.status().message();
  EXPECT_EQ(m.find(password_), std::string::npos) << m;
  EXPECT_NE(m.find("password authentication failed"), std::string::npos) << m;
  auto store = OpenStore({std::filesystem::temp_directory_path() / "sg-pg-unused", url});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().message().find(password_), std::string::npos) << store.status().message();
}

TEST_F(PostgresTest, AnUnreachableServerIsAnIoErrorNamingHostAndPort) {
  const int port = ClosedPort();
  auto c = OpenPostgres(fmt::format("postgresql://ann:s3cret-pw@127.0.0.1:{}/sg", port));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kIoError);
  const std::string& m = c.status().message();
  EXPECT_NE(m.find(fmt::format("127.0.0.1:{}", port)), std::string::npos) << m;
  EXPECT_NE(m.find("cannot connect"), std::string::npos) << m;
  EXPECT_EQ(m.find("s3cret-pw"), std::string::npos) << m;
}

TEST_F(PostgresTest, ABadUrlIsAClearIoError) {
  auto c = OpenPostgres("postgresql://ann:s3cret-pw@127.0.0.1:notaport/sg");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kIoError);
  const std::string& m = c.status().message();
  EXPECT_NE(m.find("127.0.0.1:notaport"), std::string::npos) << m;
  EXPECT_NE(m.find("notaport"), m.rfind("notaport")) << "libpq's reason names the port too: " << m;
  EXPECT_EQ(m.find("s3cret-pw"), std::string::npos) << m;
}

TEST_F(PostgresTest, AUniqueViolationIsAlreadyExistsAndNamesTheConstraint) {
  auto c = db_->Open();
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->ExecScript("CREATE TABLE t (name TEXT CONSTRAINT t_name_key UNIQUE)").ok());
  ASSERT_TRUE((*c)->Exec("INSERT INTO t VALUES (?)", {"a"}).ok());
  auto again = (*c)->Exec("INSERT INTO t VALUES (?)", {"a"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("t_name_key"), std::string::npos) << again.status().message();
  EXPECT_NE(again.status().message().find("23505"), std::string::npos) << again.status().message();
}

TEST_F(PostgresTest, ProcessesMigratingAtOnceAllSucceed) {
  // Several rounds, each on a fresh schema, four openers at once: without
  // the migration lock, concurrent CREATE TABLEs collide in the catalogue.
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("sg-pg-migrate-{}", ::getpid());
  for (int round = 0; round < 3; ++round) {
    TestDatabase db(Backend::kPostgres);
    ASSERT_TRUE(db.error().empty()) << db.error();
    constexpr int kOpeners = 4;
    std::vector<Status> results(kOpeners);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kOpeners; ++i) {
      threads.emplace_back([&, i] {
        ++ready;
        while (ready.load() < kOpeners) std::this_thread::yield();
        auto c = OpenStore({dir, db.url()});
        results[i] = c.status();
      });
    }
    for (auto& t : threads) t.join();
    for (int i = 0; i < kOpeners; ++i) EXPECT_TRUE(results[i].ok()) << "round " << round << ": " << results[i].ToString();
    auto c = db.Open();
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(Count(**c, "SELECT count(*) FROM schema_migrations"), static_cast<int64_t>(AllMigrations().size()));
    EXPECT_EQ(Count(**c, "SELECT count(*) FROM store_meta WHERE key = 'store_id'"), 1);
  }
  std::filesystem::remove_all(dir);
}

TEST_F(PostgresTest, WriteTransactionsAreSerialisedReadersAreNot) {
  auto a = db_->Open();
  auto b = db_->Open();
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->ExecScript("CREATE TABLE t (x INTEGER)").ok());
  auto tx = Transaction::Begin(**a);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE((*a)->Exec("INSERT INTO t VALUES (1)").ok());
  // A reader is not blocked, and does not see the uncommitted row.
  EXPECT_EQ(Count(**b, "SELECT count(*) FROM t"), 0);
  std::atomic<bool> began{false};
  Status second;
  std::thread writer([&] {
    auto tx2 = Transaction::Begin(**b);
    began = true;
    if (!tx2.ok()) {
      second = tx2.status();
      return;
    }
    // Read, then write: the count it read is still true when it writes.
    int64_t n = Count(**b, "SELECT count(*) FROM t");
    auto ins = (*b)->Exec("INSERT INTO t VALUES (?)", {n + 1});
    second = ins.ok() ? tx2->Commit() : ins.status();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(began.load()) << "a second writer began while the first held the write lock";
  ASSERT_TRUE(tx->Commit().ok());
  writer.join();
  EXPECT_TRUE(second.ok()) << second.ToString();
  EXPECT_EQ(Count(**a, "SELECT max(x) FROM t"), 2);
}

TEST_F(PostgresTest, AFailedStatementAbortsTheTransactionAndCommitSaysSo) {
  auto c = db_->Open();
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->ExecScript("CREATE TABLE t (x INTEGER PRIMARY KEY)").ok());
  auto tx = Transaction::Begin(**c);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE((*c)->Exec("INSERT INTO t VALUES (1)").ok());
  EXPECT_EQ((*c)->Exec("INSERT INTO t VALUES (1)").status().code(), StatusCode::kAlreadyExists);
  Status commit = tx->Commit();
  EXPECT_FALSE(commit.ok());
  EXPECT_NE(commit.message().find("rolled back"), std::string::npos) << commit.ToString();
  EXPECT_EQ(Count(**c, "SELECT count(*) FROM t"), 0);  // and the connection works again
}

TEST_F(PostgresTest, OpenStoreMigratesAndPersistsAcrossConnections) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("sg-pg-store-{}", ::getpid());
  {
    auto c = OpenStore({dir, db_->url()});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ((*c)->dialect(), Dialect::kPostgres);
    ASSERT_TRUE((*c)->Exec("UPDATE store_meta SET value = '7' WHERE key = 'lists_generation'").ok());
  }
  auto c = OpenStore({dir, db_->url()});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto q = (*c)->Prepare("SELECT value FROM store_meta WHERE key = 'lists_generation'");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE((*q)->Bind({}).ok());
  ASSERT_TRUE(*(*q)->Step());
  EXPECT_EQ((*q)->Text(0), "7");
  EXPECT_TRUE(std::filesystem::is_directory(dir)) << "the data directory holds derived files";
  std::filesystem::remove_all(dir);
}

TEST_F(PostgresTest, ALostConnectionIsAnIoError) {
  auto a = db_->Open();
  auto b = db_->Open();
  ASSERT_TRUE(a.ok() && b.ok());
  const int64_t pid = Count(**a, "SELECT pg_backend_pid()");
  ASSERT_TRUE((*b)->Exec("SELECT pg_terminate_backend(CAST(? AS INTEGER), 5000)", {pid}).ok());
  auto after = (*a)->Exec("SELECT 1");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), StatusCode::kIoError) << after.status().ToString();
  EXPECT_EQ(after.status().message().find(password_), std::string::npos);
}

TEST_F(PostgresTest, AnAbandonedQueryLeavesTheConnectionUsable) {
  auto c = db_->Open();
  ASSERT_TRUE(c.ok());
  {
    auto q = (*c)->Prepare("SELECT g FROM generate_series(1, 10000) g");
    ASSERT_TRUE(q.ok());
    ASSERT_TRUE((*q)->Bind({}).ok());
    ASSERT_TRUE(*(*q)->Step());
    EXPECT_EQ((*q)->Int(0), 1);
  }  // dropped after one row
  EXPECT_EQ(Count(**c, "SELECT count(*) FROM generate_series(1, 3)"), 3);
}

}  // namespace
}  // namespace sg::store
