#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "security/sessions.h"
#include "security/users.h"
#include "security_fixture.h"
#include "store/sqlite/sqlite_connection.h"

namespace sg::security {
namespace {

const Actor kCli{"cli:tester", ""};
// Generated, not anyone's.
const std::string kPassword = "correct-horse-battery-42";

class UsersTest : public SecurityTest {
 protected:
  Principal Create(const std::string& name, Role role = Role::kAnalyst, const std::string& pw = kPassword) {
    auto p = CreateUser(*conn_, name, role, pw, kCli, kTestPasswordCost);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : Principal{};
  }
  std::string StoredHash(const std::string& name) {
    auto q = conn_->Prepare("SELECT password_hash FROM users WHERE name = ?");
    EXPECT_TRUE(q.ok());
    EXPECT_TRUE((*q)->Bind({name}).ok());
    auto row = (*q)->Step();
    EXPECT_TRUE(row.ok() && *row);
    return row.ok() && *row ? (*q)->Text(0) : "";
  }
};
SG_INSTANTIATE_BACKENDS(UsersTest);

TEST_P(UsersTest, CreateThenAuthenticate) {
  Principal made = Create("alice", Role::kAnalyst);
  EXPECT_GT(made.id, 0);
  EXPECT_EQ(made.kind, PrincipalKind::kUser);
  auto p = Authenticate(*conn_, "alice", kPassword, kTestPasswordCost);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id, made.id);
  EXPECT_EQ(p->name, "alice");
  EXPECT_EQ(p->role, Role::kAnalyst);
  EXPECT_FALSE(p->must_change_password);
  auto n = CountUsers(*conn_);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);

  store::StoredAuditEntry e = LastAudit();
  EXPECT_EQ(e.entry.actor, "cli:tester");
  EXPECT_EQ(e.entry.action, "user.create");
  EXPECT_EQ(e.entry.object_type, "user");
  EXPECT_EQ(e.entry.object_id, std::to_string(made.id));
  EXPECT_EQ(e.entry.details, R"({"name":"alice","role":"analyst"})");
  // The password, in any form, is nowhere in the audit log.
  EXPECT_EQ(e.entry.details.find(kPassword), std::string::npos);
}

TEST_P(UsersTest, StoresOnlyAnArgon2idString) {
  Create("bob");
  const std::string h = StoredHash("bob");
  EXPECT_EQ(h.rfind("$argon2id$v=19$", 0), 0u) << h;
  EXPECT_EQ(h.find(kPassword), std::string::npos);
  Create("carol");
  EXPECT_NE(StoredHash("carol"), h);  // same password, different salt
}

TEST_P(UsersTest, WrongPasswordAndUnknownUserAreTheSameError) {
  Create("alice");
  auto wrong = Authenticate(*conn_, "alice", "correct-horse-battery-43", kTestPasswordCost);
  auto unknown = Authenticate(*conn_, "mallory", kPassword, kTestPasswordCost);
  auto malformed = Authenticate(*conn_, "Alice", kPassword, kTestPasswordCost);
  auto empty = Authenticate(*conn_, "alice", "", kTestPasswordCost);
  auto huge = Authenticate(*conn_, "alice", std::string(kMaxPasswordLength + 1, 'x'), kTestPasswordCost);
  for (const auto* r : {&wrong, &unknown, &malformed, &empty, &huge}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r->status().message(), wrong.status().message());
  }
}

TEST_P(UsersTest, DisabledUserCannotSignIn) {
  Create("alice");
  ASSERT_TRUE(conn_->Exec("UPDATE users SET disabled_at = '2026-01-01T00:00:00.000Z' WHERE name = 'alice'").ok());
  auto p = Authenticate(*conn_, "alice", kPassword, kTestPasswordCost);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated);
}

TEST_P(UsersTest, DuplicateNameIsAlreadyExists) {
  Create("alice");
  const int64_t audits = AuditCount();
  auto again = CreateUser(*conn_, "alice", Role::kAdmin, "another-password-1", kCli, kTestPasswordCost);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("'alice'"), std::string::npos);
  EXPECT_EQ(AuditCount(), audits);  // nothing created, nothing logged
}

TEST_P(UsersTest, BadNamesAndPasswordsAreRefused) {
  for (const std::string& name : {std::string(""), std::string("Alice"), std::string("-alice"),
                                  std::string(".alice"), std::string("al ice"), std::string("al/ice"),
                                  std::string("alïce"), std::string("alice\n"), std::string(65, 'a')}) {
    auto r = CreateUser(*conn_, name, Role::kAnalyst, kPassword, kCli, kTestPasswordCost);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << name;
  }
  for (const std::string& name : {std::string("a"), std::string("9lives"), std::string("alice.smith_2-b"),
                                  std::string(64, 'z')}) {
    EXPECT_TRUE(CreateUser(*conn_, name, Role::kAnalyst, kPassword, kCli, kTestPasswordCost).ok()) << name;
  }
  auto short_pw = CreateUser(*conn_, "dave", Role::kAnalyst, "elevenchars", kCli, kTestPasswordCost);
  ASSERT_FALSE(short_pw.ok());
  EXPECT_EQ(short_pw.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(short_pw.status().message().find("at least 12"), std::string::npos);
  EXPECT_TRUE(CreateUser(*conn_, "dave", Role::kAnalyst, "twelve-chars", kCli, kTestPasswordCost).ok());
  auto long_pw = CreateUser(*conn_, "erin", Role::kAnalyst, std::string(kMaxPasswordLength + 1, 'p'), kCli,
                            kTestPasswordCost);
  ASSERT_FALSE(long_pw.ok());
  EXPECT_EQ(long_pw.status().code(), StatusCode::kInvalidArgument);
}

TEST_P(UsersTest, AWeakerHashIsRehashedAtSignIn) {
  Create("alice");
  const std::string before = StoredHash("alice");
  const PasswordCost stronger{kTestPasswordCost.opslimit + 1, kTestPasswordCost.memlimit * 2};
  ASSERT_TRUE(Authenticate(*conn_, "alice", kPassword, stronger).ok());
  const std::string after = StoredHash("alice");
  EXPECT_NE(after, before);
  EXPECT_NE(after.find(fmt::format("m={},t={}", stronger.memlimit / 1024, stronger.opslimit)), std::string::npos)
      << after;
  EXPECT_TRUE(Authenticate(*conn_, "alice", kPassword, stronger).ok());
  EXPECT_EQ(StoredHash("alice"), after);  // not rehashed again
}

TEST_P(UsersTest, SetPasswordReplacesItAndEndsSessions) {
  Principal alice = Create("alice");
  auto session = CreateSession(*conn_, alice);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(SetPassword(*conn_, "alice", "a-new-password-77", kCli, kTestPasswordCost).ok());
  EXPECT_FALSE(Authenticate(*conn_, "alice", kPassword, kTestPasswordCost).ok());
  EXPECT_TRUE(Authenticate(*conn_, "alice", "a-new-password-77", kTestPasswordCost).ok());
  EXPECT_FALSE(LookupSession(*conn_, *session).ok());
  EXPECT_EQ(LastAudit().entry.action, "user.password");
  Status missing = SetPassword(*conn_, "nobody", "a-new-password-77", kCli, kTestPasswordCost);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
}

// The real cost, once: the format names it, and it verifies.
TEST_P(UsersTest, DefaultCostIsArgon2idInteractive) {
  if (postgres()) {
    GTEST_SKIP() << "the hash does not depend on the backend; run once";
  }
  auto p = CreateUser(*conn_, "alice", Role::kAdmin, kPassword, kCli);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(StoredHash("alice").rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << StoredHash("alice");
  EXPECT_TRUE(Authenticate(*conn_, "alice", kPassword).ok());
  // An unknown name costs a real verification too (a dummy hash): not
  // faster than a fifth of a known one's, however loaded the machine.
  using Ms = std::chrono::duration<double, std::milli>;
  auto time_of = [&](const char* name) {
    double best = 1e9;
    for (int i = 0; i < 3; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      (void)Authenticate(*conn_, name, "not-the-password-1");
      best = std::min(best, Ms(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
  };
  const double known = time_of("alice"), unknown = time_of("mallory");
  EXPECT_GT(unknown, known / 5) << "known " << known << " ms, unknown " << unknown << " ms";
}

TEST_P(UsersTest, BootstrapAdminOnceOnly) {
  auto first = EnsureBootstrapAdmin(*conn_, kTestPasswordCost);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  EXPECT_GE((*first)->size(), 32u);
  auto admin = Authenticate(*conn_, "admin", **first, kTestPasswordCost);
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_TRUE(admin->must_change_password);
  store::StoredAuditEntry e = LastAudit();
  EXPECT_EQ(e.entry.actor, "system:bootstrap");
  EXPECT_EQ(e.entry.action, "user.create");
  EXPECT_EQ(e.entry.details.find(**first), std::string::npos);

  auto second = EnsureBootstrapAdmin(*conn_, kTestPasswordCost);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
  // Even with every user gone, no new password is printed.
  ASSERT_TRUE(conn_->Exec("DELETE FROM users").ok());
  auto third = EnsureBootstrapAdmin(*conn_, kTestPasswordCost);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->has_value());
}

TEST_P(UsersTest, NoBootstrapWhenUsersExist) {
  Create("alice", Role::kAdmin);
  auto r = EnsureBootstrapAdmin(*conn_, kTestPasswordCost);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_FALSE(Authenticate(*conn_, "admin", "anything-at-all", kTestPasswordCost).ok());
}

TEST_P(UsersTest, TwoProcessesRacingBootstrapOneAdmin) {
  std::unique_ptr<store::Connection> a, b;
  ASSERT_NO_FATAL_FAILURE(OpenTwo(&a, &b));
  for (int round = 0; round < 3; ++round) {
    if (round > 0) {
      ASSERT_TRUE(a->ExecScript("DELETE FROM users; DELETE FROM security_state").ok());
    }
    Result<std::optional<std::string>> ra = std::optional<std::string>(), rb = std::optional<std::string>();
    std::thread ta([&] { ra = EnsureBootstrapAdmin(*a, kTestPasswordCost); });
    std::thread tb([&] { rb = EnsureBootstrapAdmin(*b, kTestPasswordCost); });
    ta.join();
    tb.join();
    ASSERT_TRUE(ra.ok()) << ra.status().ToString();
    ASSERT_TRUE(rb.ok()) << rb.status().ToString();
    EXPECT_EQ(ra->has_value() + rb->has_value(), 1) << "round " << round;
    auto n = CountUsers(*a);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 1);
    const std::string& pw = ra->has_value() ? **ra : **rb;
    EXPECT_TRUE(Authenticate(*b, "admin", pw, kTestPasswordCost).ok());
  }
}

}  // namespace
}  // namespace sg::security
