#include <gtest/gtest.h>

#include "security/crypto.h"
#include "security/sessions.h"
#include "security/tokens.h"
#include "security/users.h"
#include "security_fixture.h"

namespace sg::security {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class SessionsTest : public SecurityTest {
 protected:
  void SetUp() override {
    SecurityTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto p = CreateUser(*conn_, "alice", Role::kAnalyst, "correct-horse-battery-42", {"cli:tester", ""},
                        kTestPasswordCost);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    alice_ = *p;
  }
  Principal alice_;
  const Clock::time_point t0_ = Clock::now();
};
SG_INSTANTIATE_BACKENDS(SessionsTest);

TEST_P(SessionsTest, CreateThenLookUp) {
  auto id = CreateSession(*conn_, alice_, hours(8), t0_);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->size(), 43u);
  auto p = LookupSession(*conn_, *id, t0_ + minutes(5));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, PrincipalKind::kSessionUser);
  EXPECT_EQ(p->id, alice_.id);
  EXPECT_EQ(p->name, "alice");
  EXPECT_EQ(p->role, Role::kAnalyst);
  EXPECT_EQ(p->AuditName(), "user:alice");

  // Only the hash is stored.
  auto q = conn_->Prepare("SELECT id_hash FROM sessions");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE((*q)->Bind({}).ok());
  ASSERT_TRUE(*(*q)->Step());
  EXPECT_EQ((*q)->Text(0), Sha256Hex(*id));
}

TEST_P(SessionsTest, ExpiresAtItsTtl) {
  auto id = CreateSession(*conn_, alice_, seconds(60), t0_);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(LookupSession(*conn_, *id, t0_ + seconds(59)).ok());
  for (auto later : {seconds(60), seconds(61), seconds(86400)}) {
    auto p = LookupSession(*conn_, *id, t0_ + later);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated);
  }
  auto purged = PurgeExpiredSessions(*conn_, t0_ + seconds(61));
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  EXPECT_FALSE(LookupSession(*conn_, *id, t0_).ok());  // gone even for an earlier clock
}

TEST_P(SessionsTest, RevokedOrUnknownSessionIsUnauthenticated) {
  auto a = CreateSession(*conn_, alice_, hours(1), t0_);
  auto b = CreateSession(*conn_, alice_, hours(1), t0_);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  ASSERT_TRUE(RevokeSession(*conn_, *a).ok());
  EXPECT_FALSE(LookupSession(*conn_, *a, t0_).ok());
  EXPECT_TRUE(LookupSession(*conn_, *b, t0_).ok());
  EXPECT_TRUE(RevokeSession(*conn_, "no-such-session").ok());
  auto n = RevokeUserSessions(*conn_, alice_.id);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(LookupSession(*conn_, *b, t0_).ok());
  for (const std::string& bad : {RandomId(), std::string(""), std::string("x"), std::string(200, 'a')}) {
    auto p = LookupSession(*conn_, bad, t0_);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST_P(SessionsTest, DisabledUserAndRoleChangeApplyAtOnce) {
  auto id = CreateSession(*conn_, alice_, hours(1), t0_);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(conn_->Exec("UPDATE users SET role = 'reporter' WHERE id = ?", {alice_.id}).ok());
  auto p = LookupSession(*conn_, *id, t0_);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->role, Role::kReporter);
  ASSERT_TRUE(conn_->Exec("UPDATE users SET disabled_at = '2026-01-01T00:00:00.000Z' WHERE id = ?", {alice_.id}).ok());
  EXPECT_FALSE(LookupSession(*conn_, *id, t0_).ok());
}

TEST_P(SessionsTest, TokensAndBadTtlsGetNoSession) {
  auto token = CreateToken(*conn_, "acme-api", Role::kReporter, {"cli:tester", ""});
  ASSERT_TRUE(token.ok());
  auto tp = AuthenticateBearer(*conn_, token->token);
  ASSERT_TRUE(tp.ok());
  EXPECT_EQ(CreateSession(*conn_, *tp).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CreateSession(*conn_, alice_, seconds(0)).status().code(), StatusCode::kInvalidArgument);
}

TEST(SessionCookieTest, Attributes) {
  EXPECT_EQ(SessionCookie("abc", false), "sg_session=abc; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict");
  EXPECT_EQ(SessionCookie("abc", true, seconds(600)),
            "sg_session=abc; Path=/; Max-Age=600; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(ClearSessionCookie(true), "sg_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
}

}  // namespace
}  // namespace sg::security
