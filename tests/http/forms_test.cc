// The pieces of the HTML side: form decoding, the rate limiter and the
// CSRF double submit, without a server.
#include <gtest/gtest.h>

#include "http/form_csrf.h"
#include "http/pages.h"
#include "http/rate_limiter.h"

namespace sg::http {
namespace {

TEST(ParseFormTest, DecodesFields) {
  auto form = ParseForm("name=Sam+Example&note=a%26b%3Dc&empty=&flag");
  ASSERT_TRUE(form.ok()) << form.status().message();
  EXPECT_EQ(Field(*form, "name"), "Sam Example");
  EXPECT_EQ(Field(*form, "note"), "a&b=c");
  EXPECT_EQ(Field(*form, "empty"), "");
  EXPECT_EQ(Field(*form, "flag"), "");
  EXPECT_EQ(Field(*form, "absent"), "");
  EXPECT_EQ(ParseForm("")->size(), 0u);
}

TEST(ParseFormTest, RefusesRepeatsUnknownFieldsBadTextAndTooManyFields) {
  auto twice = ParseForm("a=1&a=2");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("'a' was given twice"), std::string::npos);
  auto unknown = ParseForm("a=1&b=2", {"a"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown form field 'b'"), std::string::npos);
  auto bad = ParseForm("a=%FF%FE");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'a' is not valid UTF-8"), std::string::npos);
  std::string many;
  for (size_t i = 0; i <= kMaxFormFields; ++i) many += "f" + std::to_string(i) + "=1&";
  EXPECT_FALSE(ParseForm(many).ok());
  // A field name with markup is quoted escaped in the message.
  auto markup = ParseForm("%3Cb%3E=1", {"a"});
  ASSERT_FALSE(markup.ok());
  EXPECT_NE(markup.status().message().find("&lt;b&gt;"), std::string::npos);
}

TEST(RateLimiterTest, AllowsABurstThenRefillsEvenly) {
  RateLimiter limiter(3, std::chrono::seconds(60));
  const auto t0 = RateLimiter::Clock::time_point{};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("192.0.2.1", t0).allowed) << i;
  auto refused = limiter.Take("192.0.2.1", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, std::chrono::seconds(20));  // one token per 20 s
  EXPECT_TRUE(limiter.Take("198.51.100.7", t0).allowed);      // another address is not limited
  EXPECT_FALSE(limiter.Take("192.0.2.1", t0 + std::chrono::seconds(19)).allowed);
  EXPECT_TRUE(limiter.Take("192.0.2.1", t0 + std::chrono::seconds(40)).allowed);
  // Never more than the burst, however long the address was idle.
  const auto later = t0 + std::chrono::hours(5);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("192.0.2.1", later).allowed);
  EXPECT_FALSE(limiter.Take("192.0.2.1", later).allowed);
}

TEST(RateLimiterTest, BoundedMemoryDropsIdleAddressesAndRefusesWhenAllAreBusy) {
  RateLimiter limiter(1, std::chrono::seconds(10), 2);
  const auto t0 = RateLimiter::Clock::time_point{};
  EXPECT_TRUE(limiter.Take("a", t0).allowed);
  EXPECT_TRUE(limiter.Take("b", t0).allowed);
  EXPECT_FALSE(limiter.Take("c", t0).allowed);  // both still limited: no room
  // Once "a" and "b" have refilled they are forgotten and "c" fits.
  EXPECT_TRUE(limiter.Take("c", t0 + std::chrono::seconds(11)).allowed);
}

TEST(FormCsrfTest, TokenMatchesOnlyItsOwnCookie) {
  security::SecretKey secret{};
  secret[0] = 7;
  Request get{beast_http::verb::get, "/report", 11};
  std::string set_cookie;
  const std::string token = FormToken(secret, get, {}, &set_cookie);
  ASSERT_EQ(set_cookie.rfind("sg_form=", 0), 0u) << set_cookie;
  EXPECT_NE(set_cookie.find("HttpOnly; SameSite=Strict"), std::string::npos);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  Request post{beast_http::verb::post, "/report", 11};
  EXPECT_FALSE(CheckFormToken(secret, post, token).ok());  // no cookie
  post.set(beast_http::field::cookie, cookie);
  EXPECT_TRUE(CheckFormToken(secret, post, token).ok());
  EXPECT_FALSE(CheckFormToken(secret, post, token + "x").ok());
  security::SecretKey other = secret;
  other[1] = 1;
  EXPECT_FALSE(CheckFormToken(other, post, token).ok());
  Request post2{beast_http::verb::post, "/report", 11};
  post2.set(beast_http::field::cookie, "sg_form=" + std::string(43, 'A'));
  EXPECT_FALSE(CheckFormToken(secret, post2, token).ok());

  // A request that already has a usable cookie keeps it.
  get.set(beast_http::field::cookie, cookie);
  FormToken(secret, get, {}, &set_cookie);
  EXPECT_EQ(set_cookie, "");
  RequestContext tls;
  tls.tls = true;
  Request fresh{beast_http::verb::get, "/report", 11};
  FormToken(secret, fresh, tls, &set_cookie);
  EXPECT_NE(set_cookie.find("; Secure"), std::string::npos);
}

}  // namespace
}  // namespace sg::http
