#include <gtest/gtest.h>

#include <thread>

#include "security/crypto.h"
#include "security/secrets.h"
#include "security_fixture.h"
#include "store/sqlite/sqlite_connection.h"

namespace sg::security {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

class SecretsTest : public SecurityTest {};
SG_INSTANTIATE_BACKENDS(SecretsTest);

TEST_P(SecretsTest, MadeOnceAndSharedByEveryConnection) {
  auto a = ServerSecret(*conn_, "csrf");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto again = ServerSecret(*conn_, "csrf");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*a, *again);
  auto other = ServerSecret(*conn_, "other");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*a, *other);
  EXPECT_NE(*a, SecretKey{});
  if (postgres()) {
    auto second = db_->Open();  // another server process
    ASSERT_TRUE(second.ok());
    auto seen = ServerSecret(**second, "csrf");
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(*seen, *a);
  }
}

TEST_P(SecretsTest, RacingProcessesAgreeOnOneSecret) {
  std::unique_ptr<store::Connection> c1, c2;
  ASSERT_NO_FATAL_FAILURE(OpenTwo(&c1, &c2));
  Result<SecretKey> r1 = SecretKey{}, r2 = SecretKey{};
  std::thread t1([&] { r1 = ServerSecret(*c1, "race"); });
  std::thread t2([&] { r2 = ServerSecret(*c2, "race"); });
  t1.join();
  t2.join();
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_EQ(*r1, *r2);
}

class CsrfTest : public ::testing::Test {
 protected:
  SecretKey secret_ = [] {
    SecretKey k;
    auto bytes = RandomBytes(32);
    std::copy(bytes.begin(), bytes.end(), k.begin());
    return k;
  }();
  const std::string nonce_ = RandomId();
  const Clock::time_point now_ = Clock::now();
  const seconds max_age_ = seconds(3600);
};

TEST_F(CsrfTest, ValidTokenVerifies) {
  const std::string t = CsrfToken(secret_, nonce_, now_);
  EXPECT_TRUE(VerifyCsrf(secret_, nonce_, t, now_, max_age_).ok());
  EXPECT_TRUE(VerifyCsrf(secret_, nonce_, t, now_ + seconds(3599), max_age_).ok());
  // A server whose clock is a little behind still accepts it.
  EXPECT_TRUE(VerifyCsrf(secret_, nonce_, t, now_ - seconds(30), max_age_).ok());
}

TEST_F(CsrfTest, ExpiredTokenSaysSo) {
  const std::string t = CsrfToken(secret_, nonce_, now_);
  Status s = VerifyCsrf(secret_, nonce_, t, now_ + seconds(3601), max_age_);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("expired"), std::string::npos) << s.message();
  // Made too far in the future: not expired, invalid.
  Status future = VerifyCsrf(secret_, nonce_, CsrfToken(secret_, nonce_, now_ + seconds(3600)), now_, max_age_);
  EXPECT_EQ(future.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(future.message().find("invalid"), std::string::npos);
}

TEST_F(CsrfTest, WrongBindingOrSecretIsInvalid) {
  const std::string t = CsrfToken(secret_, nonce_, now_);
  Status s = VerifyCsrf(secret_, RandomId(), t, now_, max_age_);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("invalid"), std::string::npos);
  EXPECT_FALSE(VerifyCsrf(secret_, "", t, now_, max_age_).ok());
  SecretKey other = secret_;
  other[0] ^= 1;
  EXPECT_FALSE(VerifyCsrf(other, nonce_, t, now_, max_age_).ok());
}

TEST_F(CsrfTest, TamperedTokensAreInvalid) {
  const std::string t = CsrfToken(secret_, nonce_, now_);
  const size_t dot = t.find('.');
  ASSERT_NE(dot, std::string::npos);
  std::vector<std::string> bad = {"", ".", t.substr(0, dot), t.substr(dot), t + "A", t.substr(0, t.size() - 1),
                                  "0" + t, "+" + t, " " + t, t.substr(0, dot) + ".." + t.substr(dot + 1)};
  // Every single-character change, in the time and in the MAC.
  for (size_t i = 0; i < t.size(); ++i) {
    std::string m = t;
    m[i] = m[i] == '1' ? '2' : (m[i] == 'A' ? 'B' : (m[i] == '.' ? '-' : '1'));
    if (m != t) bad.push_back(m);
  }
  // An older time with the MAC kept (to dodge expiry) fails too.
  const std::string older = CsrfToken(secret_, nonce_, now_ - seconds(7200));
  bad.push_back(older.substr(0, older.find('.')) + t.substr(dot));
  for (const std::string& b : bad) EXPECT_FALSE(VerifyCsrf(secret_, nonce_, b, now_, max_age_).ok()) << b;
}

TEST_F(CsrfTest, BindingIsUnambiguous) {
  // The binding and time are length-prefixed: moving characters between
  // them gives another MAC.
  const std::string t = CsrfToken(secret_, "1", now_);
  const std::string ts = t.substr(0, t.find('.'));
  const std::string shifted = ts + "1" + t.substr(t.find('.'));
  EXPECT_FALSE(VerifyCsrf(secret_, "", shifted, now_, max_age_).ok());
}

}  // namespace
}  // namespace sg::security
