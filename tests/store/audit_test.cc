// The hash-chained audit log on SQLite and PostgreSQL (test_backends.h).
#include <gtest/gtest.h>

#include <openssl/sha.h>

#include <cstdio>
#include <string>
#include <thread>

#include "core/hex.h"
#include "store/audit.h"
#include "store/migrations.h"
#include "test_backends.h"

namespace sg::store {
namespace {

using testing::Backend;
using testing::MigratedStoreTest;

// The encoding documented in audit.cc, written again from its description:
// pins the format, so a change to it cannot pass unnoticed.
std::string ReferenceHash(const StoredAuditEntry& e) {
  std::string msg = "sg-audit-v1";
  for (const std::string& f : {e.prev_hash, std::to_string(e.id), e.time, e.entry.actor, e.entry.action,
                               e.entry.object_type, e.entry.object_id, e.entry.address, e.entry.details}) {
    for (int byte = 7; byte >= 0; --byte) msg.push_back(static_cast<char>((uint64_t{f.size()} >> (8 * byte)) & 0xff));
    msg += f;
  }
  unsigned char digest[32];
  SHA256(reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), digest);
  return HexEncode(digest);
}

AuditEntry Entry(int n) {
  return {"user:analyst" + std::to_string(n % 3), "report.read", "report", std::to_string(100 + n),
          "192.0.2." + std::to_string(n % 250), n % 2 == 0 ? "" : R"({"why":"triage"})"};
}

class AuditTest : public MigratedStoreTest {
 protected:

  static int64_t Append(Connection& c, const AuditEntry& e) {
    auto tx = Transaction::Begin(c);
    EXPECT_TRUE(tx.ok()) << tx.status().ToString();
    auto id = AppendAudit(c, e);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_TRUE(tx->Commit().ok());
    return id.ok() ? *id : -1;
  }
  void AppendN(int n) {
    for (int i = 1; i <= n; ++i) ASSERT_EQ(Append(*conn_, Entry(i)), i);
  }

  // What an attacker with database access does first.
  void DropGuards() {
    if (postgres()) {
      ASSERT_TRUE(conn_->ExecScript("DROP TRIGGER audit_log_no_change ON audit_log").ok());
    } else {
      ASSERT_TRUE(conn_->ExecScript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete").ok());
    }
  }

  AuditVerification Verify() {
    auto v = VerifyAudit(*conn_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AuditVerification{};
  }

};
SG_INSTANTIATE_BACKENDS(AuditTest);

TEST_P(AuditTest, EmptyLogVerifies) {
  AuditVerification v = Verify();
  EXPECT_EQ(v.entries, 0);
  EXPECT_FALSE(v.first_bad_id);
}

TEST_P(AuditTest, AppendsFormAChainThatVerifies) {
  AppendN(5);
  AuditVerification v = Verify();
  EXPECT_EQ(v.entries, 5);
  EXPECT_FALSE(v.first_bad_id) << v.reason;

  auto first = ReadAuditEntry(*conn_, 1);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->prev_hash, std::string(64, '0'));
  EXPECT_EQ((*first)->entry.actor, "user:analyst1");
  EXPECT_EQ((*first)->entry.details, R"({"why":"triage"})");
  EXPECT_EQ((*first)->time.size(), 24u);  // 2026-11-29T15:49:30.123Z
  auto second = ReadAuditEntry(*conn_, 2);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->prev_hash, (*first)->hash);
  EXPECT_EQ((*second)->hash.size(), 64u);
  EXPECT_NE((*second)->hash, (*first)->hash);
  auto none = ReadAuditEntry(*conn_, 99);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(AuditTest, RefusesAnEntryWithoutActorOrAction) {
  auto tx = Transaction::Begin(*conn_);
  ASSERT_TRUE(tx.ok());
  AuditEntry e = Entry(1);
  e.actor = "";
  auto id = AppendAudit(*conn_, e);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
}

TEST_P(AuditTest, EntriesAppendedAloneAreAllOrNone) {
  AppendN(2);
  AuditEntry bad = Entry(4);
  bad.action = "";
  EXPECT_EQ(AppendAuditEntries(*conn_, {Entry(3), bad}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Verify().entries, 2);  // the good one was rolled back with the bad one
  ASSERT_TRUE(AppendAuditEntries(*conn_, {Entry(3), Entry(4)}).ok());
  ASSERT_TRUE(AppendAuditEntries(*conn_, {}).ok());
  const AuditVerification v = Verify();
  EXPECT_EQ(v.entries, 4);
  EXPECT_FALSE(v.first_bad_id.has_value()) << v.reason;
}

TEST_P(AuditTest, TheTableRefusesUpdatesAndDeletes) {
  AppendN(2);
  EXPECT_FALSE(conn_->Exec("UPDATE audit_log SET actor = 'user:someone' WHERE id = 1").ok());
  EXPECT_FALSE(conn_->Exec("DELETE FROM audit_log WHERE id = 2").ok());
  if (postgres()) {
    EXPECT_FALSE(conn_->ExecScript("TRUNCATE audit_log").ok());
  }
  AuditVerification v = Verify();
  EXPECT_EQ(v.entries, 2);
  EXPECT_FALSE(v.first_bad_id);
}

TEST_P(AuditTest, NamesAnEntryWhoseFieldWasAltered) {
  AppendN(6);
  DropGuards();
  for (const char* column : {"actor", "action", "object_id", "address", "details", "time"}) {
    SCOPED_TRACE(column);
    auto before = ReadAuditEntry(*conn_, 4);
    ASSERT_TRUE(before.ok() && before->has_value());
    ASSERT_TRUE(conn_->Exec(fmt::format("UPDATE audit_log SET {0} = {0} || 'x' WHERE id = 4", column)).ok());
    AuditVerification v = Verify();
    EXPECT_EQ(v.entries, 6);
    ASSERT_TRUE(v.first_bad_id);
    EXPECT_EQ(*v.first_bad_id, 4);
    EXPECT_EQ(v.reason.rfind("altered", 0), 0u) << v.reason;
    // Put it back: the chain verifies again.
    ASSERT_TRUE(conn_->Exec(fmt::format("UPDATE audit_log SET {} = ? WHERE id = 4", column),
                            {std::string(column) == "actor"       ? (*before)->entry.actor
                             : std::string(column) == "action"    ? (*before)->entry.action
                             : std::string(column) == "object_id" ? (*before)->entry.object_id
                             : std::string(column) == "address"   ? (*before)->entry.address
                             : std::string(column) == "details"   ? (*before)->entry.details
                                                                  : (*before)->time})
                    .ok());
    EXPECT_FALSE(Verify().first_bad_id);
  }
}

TEST_P(AuditTest, HashesAreTheDocumentedEncoding) {
  AppendN(3);
  for (int64_t id = 1; id <= 3; ++id) {
    auto e = ReadAuditEntry(*conn_, id);
    ASSERT_TRUE(e.ok() && e->has_value());
    EXPECT_EQ(ReferenceHash(**e), (*e)->hash) << "entry " << id;
  }
}

TEST_P(AuditTest, NamesTheNextEntryWhenOneWasAlteredAndRehashed) {
  AppendN(4);
  DropGuards();
  // The encoding is public: an attacker can alter entry 2 and store its
  // correct new hash. Entry 2 is then self-consistent, but entry 3 still
  // points at the old hash, and is named.
  auto e = ReadAuditEntry(*conn_, 2);
  ASSERT_TRUE(e.ok() && e->has_value());
  StoredAuditEntry forged = **e;
  forged.entry.actor = "user:someone-else";
  ASSERT_TRUE(conn_->Exec("UPDATE audit_log SET actor = ?, hash = ? WHERE id = 2",
                          {forged.entry.actor, ReferenceHash(forged)})
                  .ok());
  AuditVerification v = Verify();
  ASSERT_TRUE(v.first_bad_id);
  EXPECT_EQ(*v.first_bad_id, 3);
  EXPECT_EQ(v.reason.rfind("relinked", 0), 0u) << v.reason;
}

TEST_P(AuditTest, NamesABrokenLink) {
  AppendN(4);
  DropGuards();
  // Entry 3 claims another predecessor: its own hash no longer recomputes
  // either (prev_hash is hashed), and it is the first bad entry.
  ASSERT_TRUE(conn_->Exec("UPDATE audit_log SET prev_hash = ? WHERE id = 3", {std::string(64, '0')}).ok());
  AuditVerification v = Verify();
  ASSERT_TRUE(v.first_bad_id);
  EXPECT_EQ(*v.first_bad_id, 3);
}

TEST_P(AuditTest, NamesADeletedMiddleEntry) {
  AppendN(5);
  DropGuards();
  ASSERT_TRUE(conn_->Exec("DELETE FROM audit_log WHERE id = 3").ok());
  AuditVerification v = Verify();
  EXPECT_EQ(v.entries, 4);
  ASSERT_TRUE(v.first_bad_id);
  EXPECT_EQ(*v.first_bad_id, 3);
  EXPECT_EQ(v.reason, "missing: the ids jump from 2 to 4 (deleted)");
}

TEST_P(AuditTest, NamesDeletedFirstEntries) {
  AppendN(3);
  DropGuards();
  ASSERT_TRUE(conn_->Exec("DELETE FROM audit_log WHERE id <= 2").ok());
  AuditVerification v = Verify();
  ASSERT_TRUE(v.first_bad_id);
  EXPECT_EQ(*v.first_bad_id, 1);
}

TEST_P(AuditTest, AnEntryRolledBackLeavesNoGap) {
  AppendN(2);
  {
    auto tx = Transaction::Begin(*conn_);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(AppendAudit(*conn_, Entry(3)).ok());
    // No commit: the change it recorded did not happen, nor does the entry.
  }
  EXPECT_EQ(Append(*conn_, Entry(4)), 3);
  AuditVerification v = Verify();
  EXPECT_EQ(v.entries, 3);
  EXPECT_FALSE(v.first_bad_id) << v.reason;
}

TEST_P(AuditTest, AnAppenderChainsManyEntriesInOneTransactionAsAppendAuditDoes) {
  AppendN(2);
  {
    auto tx = Transaction::Begin(*conn_);
    ASSERT_TRUE(tx.ok());
    AuditAppender appender(*conn_);
    for (int i = 3; i <= 7; ++i) {
      auto id = appender.Append(Entry(i));
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      EXPECT_EQ(*id, i);
    }
    // A refused entry leaves the head where it was.
    EXPECT_FALSE(appender.Append(AuditEntry{}).ok());
    ASSERT_EQ(*appender.Append(Entry(8)), 8);
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(Append(*conn_, Entry(9)), 9);  // AppendAudit continues the chain
  AuditVerification v = Verify();
  EXPECT_EQ(v.entries, 9);
  EXPECT_FALSE(v.first_bad_id) << v.reason;
  for (int id = 1; id <= 9; ++id) {
    auto e = ReadAuditEntry(*conn_, id);
    ASSERT_TRUE(e.ok() && e->has_value());
    EXPECT_EQ((*e)->hash, ReferenceHash(**e)) << id;
    EXPECT_EQ((*e)->entry.object_id, std::to_string(100 + id)) << id;
  }
}

TEST_P(AuditTest, ConcurrentAppendsFromTwoConnectionsKeepOneChain) {
  std::unique_ptr<Connection> a, b;
  std::string path;
  if (postgres()) {
    auto o1 = db_->Open(), o2 = db_->Open();
    ASSERT_TRUE(o1.ok() && o2.ok());
    a = std::move(o1).value();
    b = std::move(o2).value();
  } else {
    // An in-memory SQLite database is private to its connection; a file
    // shared by two connections (as by two processes) is the real case.
    path = ::testing::TempDir() + "audit_two_conns_" + std::to_string(::getpid()) + ".db";
    std::remove(path.c_str());
    auto o1 = OpenSqlite(path), o2 = OpenSqlite(path);
    ASSERT_TRUE(o1.ok() && o2.ok());
    a = std::move(o1).value();
    b = std::move(o2).value();
    ASSERT_TRUE(Migrate(*a).ok());
  }
  // Two writers at once, each in its own thread and transaction.
  constexpr int kEach = 15;
  auto writer = [](Connection* c, int base) {
    for (int i = 0; i < kEach; ++i) Append(*c, Entry(base + i));
  };
  std::thread t1(writer, a.get(), 0), t2(writer, b.get(), 1000);
  t1.join();
  t2.join();
  auto v = VerifyAudit(*a);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->entries, 2 * kEach);
  EXPECT_FALSE(v->first_bad_id) << v->reason;
  a.reset();
  b.reset();
  if (!path.empty()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  }
}

}  // namespace
}  // namespace sg::store
