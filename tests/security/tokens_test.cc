#include <gtest/gtest.h>

#include <set>

#include "security/crypto.h"
#include "security/tokens.h"
#include "security_fixture.h"

namespace sg::security {
namespace {

const Actor kAdmin{"user:admin", "192.0.2.10"};

class TokensTest : public SecurityTest {};
SG_INSTANTIATE_BACKENDS(TokensTest);

TEST_P(TokensTest, CreateThenAuthenticate) {
  auto made = CreateToken(*conn_, "acme-api", Role::kReporter, kAdmin);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->token.rfind("sgt_", 0), 0u);
  EXPECT_EQ(made->token.size(), 47u);
  auto p = AuthenticateBearer(*conn_, made->token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, PrincipalKind::kToken);
  EXPECT_EQ(p->id, made->id);
  EXPECT_EQ(p->name, "acme-api");
  EXPECT_EQ(p->role, Role::kReporter);
  EXPECT_EQ(p->Owner(), "token:" + std::to_string(made->id));

  store::StoredAuditEntry e = LastAudit();
  EXPECT_EQ(e.entry.actor, "user:admin");
  EXPECT_EQ(e.entry.address, "192.0.2.10");
  EXPECT_EQ(e.entry.action, "token.create");
  EXPECT_EQ(e.entry.object_id, std::to_string(made->id));
  EXPECT_EQ(e.entry.details, R"({"name":"acme-api","role":"reporter"})");
}

TEST_P(TokensTest, OnlyTheHashIsStored) {
  auto made = CreateToken(*conn_, "acme-api", Role::kAnalyst, kAdmin);
  ASSERT_TRUE(made.ok());
  auto q = conn_->Prepare("SELECT token_hash FROM api_tokens");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE((*q)->Bind({}).ok());
  ASSERT_TRUE(*(*q)->Step());
  const std::string stored = (*q)->Text(0);
  EXPECT_EQ(stored, Sha256Hex(made->token));
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_EQ(stored.find(made->token.substr(4)), std::string::npos);
}

TEST_P(TokensTest, TokensAreDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto made = CreateToken(*conn_, "t" + std::to_string(i), Role::kReporter, kAdmin);
    ASSERT_TRUE(made.ok());
    EXPECT_TRUE(seen.insert(made->token).second);
  }
}

TEST_P(TokensTest, UnknownMalformedAndAlteredTokensAreRefused) {
  auto made = CreateToken(*conn_, "acme-api", Role::kReporter, kAdmin);
  ASSERT_TRUE(made.ok());
  std::string altered = made->token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  const std::string unknown = "sgt_" + RandomId();
  for (const std::string& t : {unknown, altered, std::string(""), std::string("sgt_"), made->token + "x",
                               made->token.substr(0, 46), "xyz_" + made->token.substr(4),
                               "sgt_" + std::string(43, '!')}) {
    auto p = AuthenticateBearer(*conn_, t);
    ASSERT_FALSE(p.ok()) << t;
    EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated) << t;
    // The message never echoes what was sent.
    if (!t.empty()) {
      EXPECT_EQ(p.status().message().find(t), std::string::npos);
    }
  }
}

TEST_P(TokensTest, RevokedTokenStopsWorkingAndItsNameCanBeReissued) {
  auto first = CreateToken(*conn_, "acme-api", Role::kReporter, kAdmin);
  ASSERT_TRUE(first.ok());
  auto dup = CreateToken(*conn_, "acme-api", Role::kReporter, kAdmin);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);

  ASSERT_TRUE(RevokeToken(*conn_, "acme-api", kAdmin).ok());
  EXPECT_EQ(LastAudit().entry.action, "token.revoke");
  auto p = AuthenticateBearer(*conn_, first->token);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(RevokeToken(*conn_, "acme-api", kAdmin).code(), StatusCode::kNotFound);

  auto second = CreateToken(*conn_, "acme-api", Role::kReporter, kAdmin);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(second->id, first->id);
  EXPECT_TRUE(AuthenticateBearer(*conn_, second->token).ok());
  EXPECT_FALSE(AuthenticateBearer(*conn_, first->token).ok());

  auto all = ListTokens(*conn_);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_TRUE((*all)[0].revoked_at.has_value());
  EXPECT_FALSE((*all)[1].revoked_at.has_value());
}

TEST_P(TokensTest, BadNameIsRefused) {
  auto r = CreateToken(*conn_, "ACME API", Role::kReporter, kAdmin);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AuditCount(), 0);
}

TEST(BearerTokenTest, ParsesTheAuthorizationHeader) {
  EXPECT_EQ(BearerToken("Bearer sgt_abc"), "sgt_abc");
  EXPECT_EQ(BearerToken("bearer sgt_abc"), "sgt_abc");
  EXPECT_EQ(BearerToken("BEARER   sgt_abc  "), "sgt_abc");
  EXPECT_FALSE(BearerToken("Basic dXNlcjpwYXNz"));
  EXPECT_FALSE(BearerToken("Bearer"));
  EXPECT_FALSE(BearerToken("Bearer "));
  EXPECT_FALSE(BearerToken("Bearersgt_abc"));
  EXPECT_FALSE(BearerToken("Bearer a b"));
  EXPECT_FALSE(BearerToken(""));
}

}  // namespace
}  // namespace sg::security
