#include "intake/field_checks.h"

#include <gtest/gtest.h>

namespace sg::intake {
namespace {

std::string Ip(std::string_view text) {
  auto r = CanonicalIp(text);
  return r.ok() ? *r : "error: " + r.status().message();
}

TEST(CanonicalIp, Ipv6FormsOfOneAddressAgree) {
  for (std::string_view form : {"2001:db8::1", "2001:DB8::1", "2001:0db8:0000:0000:0000:0000:0000:0001",
                                "2001:db8:0:0:0:0:0:1", "2001:db8:0::0:1", "2001:0DB8::0001"}) {
    EXPECT_EQ(Ip(form), "2001:db8::1") << form;
  }
  EXPECT_EQ(Ip("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");  // the longest run of zeros is compressed
  EXPECT_EQ(Ip("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");  // the first of two equal runs
  EXPECT_EQ(Ip("::"), "::");
  EXPECT_EQ(Ip("::ffff:192.0.2.1"), "::ffff:192.0.2.1");
  EXPECT_EQ(Ip("::FFFF:c000:0201"), "::ffff:192.0.2.1");
}

TEST(CanonicalIp, Ipv4) {
  EXPECT_EQ(Ip("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(Ip("203.0.113.255"), "203.0.113.255");
  EXPECT_EQ(Ip("0.0.0.0"), "0.0.0.0");
}

TEST(CanonicalIp, Rejects) {
  for (std::string_view bad : {"", "300.1.1.1", "192.0.2", "192.0.2.1.5", "192.0.2.01", "0x7f.0.0.1", "3221225985",
                               " 192.0.2.1", "192.0.2.1 ", "198.51.100.7:443", "[2001:db8::1]", "2001:db8::1%eth0",
                               "2001:db8:::1", "2001:db8::g", "1:2:3:4:5:6:7:8:9", "localhost",
                               "2001:0db8:0000:0000:0000:0000:0000:0001:ffff:ffff"}) {
    EXPECT_EQ(Ip(bad).rfind("error: ", 0), 0u) << bad;
  }
  std::string with_nul("192.0.2.1\0x", 11);
  EXPECT_EQ(Ip(with_nul).rfind("error: ", 0), 0u);
}

TEST(CanonicalHash, LengthsAndCase) {
  EXPECT_EQ(*CanonicalHash("md5", std::string(32, 'A')), std::string(32, 'a'));
  EXPECT_EQ(*CanonicalHash("sha1", std::string(40, 'f')), std::string(40, 'f'));
  EXPECT_EQ(*CanonicalHash("sha256", std::string(64, 'E')), std::string(64, 'e'));
  EXPECT_EQ(*CanonicalHash("pdq", std::string(63, '0') + "F"), std::string(63, '0') + "f");
  EXPECT_EQ(CanonicalHash("md5", std::string(31, 'a')).status().message(), "not an MD5 hash (32 hex digits)");
  EXPECT_EQ(CanonicalHash("sha1", std::string(41, 'a')).status().message(), "not a SHA-1 hash (40 hex digits)");
  EXPECT_EQ(CanonicalHash("sha256", std::string(63, 'a') + "z").status().message(),
            "not a SHA-256 hash (64 hex digits)");
  EXPECT_EQ(CanonicalHash("pdq", std::string(64, ' ')).status().message(), "not a PDQ hash (64 hex digits)");
  EXPECT_FALSE(CanonicalHash("md5", "").ok());
}

TEST(CheckText, LimitsCountCharactersNotBytes) {
  EXPECT_FALSE(CheckText("ééé", false, 3).has_value());
  EXPECT_EQ(*CheckText("éééé", false, 3), "4 characters; at most 3 allowed");
  EXPECT_FALSE(CheckText("", false, 0).has_value());
}

TEST(CheckText, ControlCharacters) {
  EXPECT_FALSE(CheckText("line one\nline two\r\n\tindented", true, 100).has_value());
  EXPECT_EQ(*CheckText("a\nb", false, 100), "control character U+000A is not allowed in single-line text");
  EXPECT_EQ(*CheckText("a\tb", false, 100), "control character U+0009 is not allowed in single-line text");
  EXPECT_NE(CheckText(std::string("a\0b", 3), true, 100)->find("U+0000"), std::string::npos);
  EXPECT_NE(CheckText("a\x7f", true, 100)->find("U+007F"), std::string::npos);
  EXPECT_NE(CheckText("a\xc2\x85", true, 100)->find("U+0085"), std::string::npos);  // NEL, a C1 control
  EXPECT_FALSE(CheckText("\xc2\xa0 non-breaking space, caf\xc3\xa9", false, 100).has_value());
}

TEST(CheckEmail, LightSyntaxOnly) {
  EXPECT_TRUE(CheckEmail("someone@example.com").ok());
  EXPECT_TRUE(CheckEmail("Some.One+tag@Example.ORG").ok());
  EXPECT_TRUE(CheckEmail("x@y").ok());  // kept as given; linking decides what it is
  for (std::string_view bad : {"", "@", "a@", "@example.com", "a@b@example.com", "first last@example.com",
                               "a@example.com ", "no-at-sign.example.com", "a\t@example.com"}) {
    EXPECT_FALSE(CheckEmail(bad).ok()) << bad;
  }
}

TEST(ShowValue, ShortPrintableAndWholeCharacters) {
  EXPECT_EQ(ShowValue("foo"), "'foo'");
  EXPECT_EQ(ShowValue("a\nb"), "'a?b'");
  std::string long_text(63, 'x');
  long_text += "é and more";  // é starts at byte 63 and would be cut in half
  EXPECT_EQ(ShowValue(long_text), "'" + std::string(63, 'x') + "...'");
}

TEST(AppendKey, PlainAndQuotedKeys) {
  std::string path;
  AppendKey(&path, "victims");
  EXPECT_EQ(path, "victims");
  path += "[0]";
  AppendKey(&path, "ip_events");
  EXPECT_EQ(path, "victims[0].ip_events");
  std::string odd;
  AppendKey(&odd, "a b\"c");
  EXPECT_EQ(odd, "[\"a b\"c\"]");
  std::string empty;
  AppendKey(&empty, "");
  EXPECT_EQ(empty, "[\"\"]");
}

}  // namespace
}  // namespace sg::intake
