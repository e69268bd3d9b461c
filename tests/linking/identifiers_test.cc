// Identifier normalisation: tables of awkward real-world spellings, each
// with the canonical value it must give or the fact that it is refused.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "linking/identifiers.h"

namespace sg::linking {
namespace {

struct Case {
  std::string input;
  std::optional<std::string> want;  // nullopt: refused
};

void RunTable(const char* what, Result<std::string> (*fn)(std::string_view), const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    auto got = fn(c.input);
    if (c.want) {
      ASSERT_TRUE(got.ok()) << what << " '" << c.input << "': " << got.status().ToString();
      EXPECT_EQ(*got, *c.want) << what << " '" << c.input << "'";
      // A normalised value is a fixed point (device ids carry their
      // "imei:"/"device:" prefix, which ParseIdentifierText strips).
      if (std::string_view(what) != "device") {
        auto again = fn(*got);
        EXPECT_TRUE(again.ok() && *again == *got) << what << " '" << *got << "' is not a fixed point";
      }
    } else {
      EXPECT_FALSE(got.ok()) << what << " '" << c.input << "' gave '" << (got.ok() ? *got : "") << "'";
    }
  }
}

TEST(Identifiers, Emails) {
  RunTable("email", NormaliseEmail, {
      {"alice@example.com", "alice@example.com"},
      {"  Alice@Example.COM ", "alice@example.com"},
      {"alice @ example.com", "alice@example.com"},
      {"alice+kik@example.com", "alice@example.com"},
      {"Alice.B+tag@example.org", "alice.b@example.org"},  // dots kept outside Gmail
      {"Al.Ice.B@gmail.com", "aliceb@gmail.com"},
      {"a.l.i.c.e+x@GoogleMail.com", "alice@gmail.com"},
      {"mailto:alice@example.com", "alice@example.com"},
      {"Alice B <alice@example.com>", "alice@example.com"},
      {"alice[at]example[dot]com", "alice@example.com"},
      {"alice at example dot com", "alice@example.com"},
      {"alice@example.com.", "alice@example.com"},
      {"alice", std::nullopt},
      {"alice@", std::nullopt},
      {"@example.com", std::nullopt},
      {"+tag@example.com", std::nullopt},
      {"a@b@example.com", std::nullopt},
      {"alice@localhost", std::nullopt},
      {"alice@exa..mple.com", std::nullopt},
      {"alice@exa_mple.com", std::nullopt},
      {"", std::nullopt},
  });
}

TEST(Identifiers, Phones) {
  RunTable("phone", NormalisePhone, {
      {"07700 900123", "+447700900123"},
      {"07700-900-123", "+447700900123"},
      {"07700.900.123", "+447700900123"},
      {"(07700) 900123", "+447700900123"},
      {"+44 7700 900123", "+447700900123"},
      {"+44 (0)7700 900123", "+447700900123"},
      {"+44 07700 900123", "+447700900123"},
      {"+44 00(7)70-900-123", std::nullopt},  // two trunk zeros (fuzzer): not a fixed point before
      {"0044 7700 900123", "+447700900123"},
      {"00447700900123", "+447700900123"},
      {"447700900123", "+447700900123"},
      {"7700900123", "+447700900123"},
      {"tel:+44-7700-900123", "+447700900123"},
      {"020 7946 0000", "+442079460000"},   // a London drama number
      {"+1 (202) 555-0100", "+12025550100"},
      {"001 202 555 0100", "+12025550100"},
      {"+33 1 99 00 00 00", "+33199000000"},
      {"0770090012", "+44770090012"},        // 9 national digits are valid in the UK
      {"077009", std::nullopt},              // too short
      {"+44 7700 900123 4", std::nullopt},   // 11 digits after 44
      {"+1 555", std::nullopt},
      {"+1234567890123456", std::nullopt},   // 16 digits
      {"12345", std::nullopt},
      {"07700 9OO123", std::nullopt},        // letters O
      {"+44 +7700900123", std::nullopt},
      {"", std::nullopt},
  });
}

TEST(Identifiers, ScreenNames) {
  struct S {
    std::string platform, name;
    std::optional<std::string> want;
  };
  for (const S& c : std::vector<S>{
           {"instagram", "@Alice_B", "instagram:alice_b"},
           {"Instagram", "  alice_b ", "instagram:alice_b"},
           {"X", "@@Alice", "twitter:alice"},
           {"twitter", "ALICE", "twitter:alice"},
           {"Reddit", "u/Alice_B", "reddit:alice_b"},
           {"reddit", "u/u/alice_b", "reddit:alice_b"},
           {"instagram", "@ @Alice", "instagram:alice"},
           {"reddit", "/u/alice_b", "reddit:alice_b"},
           {"reddit", "U/Alice_B", "reddit:alice_b"},  // the prefix is case-insensitive too
           {"reddit", "/U/alice_b", "reddit:alice_b"},
           {"reddit", "U/", std::nullopt},  // found by the fuzzer: was "reddit:u/", not a fixed point
           {"discord", "Alice_B", "discord:alice_b"},
           {"discord", "Alice#0420", "discord:Alice#0420"},  // legacy tags were case-sensitive
           {"", "Alice", "unknown:alice"},
           {"SomeNewApp", "@Alice", "somenewapp:alice"},
           {"instagram", "@", std::nullopt},
           {"instagram", "   ", std::nullopt},
       }) {
    auto got = NormaliseScreenName(c.platform, c.name);
    if (c.want) {
      ASSERT_TRUE(got.ok()) << c.platform << "/" << c.name << ": " << got.status().ToString();
      EXPECT_EQ(*got, *c.want) << c.platform << "/" << c.name;
    } else {
      EXPECT_FALSE(got.ok()) << c.platform << "/" << c.name;
    }
  }
}

TEST(Identifiers, ProfileUrls) {
  RunTable("url", NormaliseProfileUrl, {
      {"https://www.instagram.com/alice_b/", "instagram.com/alice_b"},
      {"http://instagram.com/Alice_B", "instagram.com/alice_b"},
      {"instagram.com/alice_b?igshid=abc123", "instagram.com/alice_b"},
      {"https://m.facebook.com/alice.b?fbclid=xyz&ref=bookmarks", "facebook.com/alice.b"},
      {"https://www.facebook.com/profile.php?id=1000&utm_source=share", "facebook.com/profile.php?id=1000"},
      {"https://x.com/Alice?s=20&si=abc", "twitter.com/alice?s=20"},
      {"HTTPS://WWW.EXAMPLE.COM/Users/AliceB/#top", "example.com/Users/AliceB"},  // path case kept
      {"https://example.com:443/u/1", "example.com/u/1"},
      {"https://example.com:8443/u/1", "example.com:8443/u/1"},
      {"//example.org/u/Alice", "example.org/u/Alice"},
      {"https://www.example.com", "example.com"},
      {"https://www.m.Example.com/u/1", "example.com/u/1"},
      {"ab.co/x://y", "ab.co/x://y"},
      {"https://example.com/", "example.com"},
      {"https://example.com/u/a?utm_source=x&utm_medium=y", "example.com/u/a"},
      {"ftp://example.com/alice", std::nullopt},
      {"x.example:./u", std::nullopt},             // found by fuzzing: not a port
      {"user@@a.example:b.c:/", std::nullopt},     // a colon inside the host
      {"example.com/a b #top", std::nullopt},      // a space inside
      {"[2001:db8::1]/u", std::nullopt},           // no host name
      {"https:///alice", std::nullopt},
      {"alice", std::nullopt},
      {"", std::nullopt},
  });
}

TEST(Identifiers, DeviceIds) {
  EXPECT_EQ(LuhnCheckDigit("49015420323751"), 8);
  RunTable("device", NormaliseDeviceId, {
      {"490154203237518", "imei:490154203237518"},
      {"49-015420-323751-8", "imei:490154203237518"},
      {"49 015420 323751 8", "imei:490154203237518"},
      {"IMEI: 490154203237518", "imei:490154203237518"},
      {"49015420323751", "imei:490154203237518"},     // check digit computed
      {"4901542032375100", "imei:490154203237518"},   // IMEISV
      {"490154203237517", std::nullopt},              // wrong check digit
      {" ABC-123-Device ", "device:abc-123-device"},
      {"12345", "device:12345"},
      {"", std::nullopt},
  });
}

TEST(Identifiers, IpAddresses) {
  RunTable("ip", NormaliseIp, {
      {"192.0.2.7", "192.0.2.7"},
      {" 198.51.100.1 ", "198.51.100.1"},
      {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
      {"2001:0db8::0001", "2001:db8::1"},
      {"[2001:db8::1]", "2001:db8::1"},
      {"::ffff:203.0.113.9", "203.0.113.9"},
      {"::FFFF:cb00:7109", "203.0.113.9"},
      {"192.0.2.256", std::nullopt},
      {"192.0.2", std::nullopt},
      {"example.com", std::nullopt},
  });
}

TEST(Identifiers, DisplayNames) {
  RunTable("display", NormaliseDisplayName, {
      {"Alice B", "alice b"},
      {"  ALICE   B ", "alice b"},
      {"\xEF\xBC\xA1lice", "alice"},  // fullwidth A folds to a
      {"Stra\xC3\x9F" "e", "strasse"},
      {"   ", std::nullopt},
      {"\xff", std::nullopt},
  });
}

TEST(Identifiers, TextForm) {
  Identifier id{IdentifierKind::kPhone, "+447700900123"};
  EXPECT_EQ(id.Text(), "phone:+447700900123");
  for (auto [text, want] : std::vector<std::pair<std::string, std::string>>{
           {"email:Alice@Example.com", "email:alice@example.com"},
           {"phone:07700 900123", "phone:+447700900123"},
           {"screen_name:Instagram:@Alice_B", "screen_name:instagram:alice_b"},
           {"device_id:imei:490154203237518", "device_id:imei:490154203237518"},
           {"device_id:49015420323751", "device_id:imei:490154203237518"},
           {"ip:2001:db8::1", "ip:2001:db8::1"},
           {"profile_url:https://www.instagram.com/Alice_B/", "profile_url:instagram.com/alice_b"},
       }) {
    auto got = ParseIdentifierText(text);
    ASSERT_TRUE(got.ok()) << text << ": " << got.status().ToString();
    EXPECT_EQ(got->Text(), want);
  }
  EXPECT_FALSE(ParseIdentifierText("alice@example.com").ok());
  EXPECT_FALSE(ParseIdentifierText("fax:0123").ok());
  EXPECT_FALSE(ParseIdentifierText("screen_name:alice").ok());
  EXPECT_TRUE(IsStrong(IdentifierKind::kEmail));
  EXPECT_FALSE(IsStrong(IdentifierKind::kIp));
  EXPECT_FALSE(IsStrong(IdentifierKind::kDisplayName));
}

}  // namespace
}  // namespace sg::linking
