#include "core/time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <vector>

namespace sg {
namespace {

using std::chrono::system_clock;

std::string Utc(std::string_view text) {
  auto r = ParseRfc3339(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().message();
  return r.ok() ? FormatUtc(*r) : "";
}

std::string Error(std::string_view text) {
  auto r = ParseRfc3339(text);
  EXPECT_FALSE(r.ok()) << text << " parsed as " << (r.ok() ? FormatUtc(*r) : "");
  return r.ok() ? "" : r.status().message();
}

TEST(FormatUtc, MillisecondsAndBeforeTheEpoch) {
  EXPECT_EQ(FormatUtc(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtc(system_clock::time_point{std::chrono::milliseconds{-1}}), "1969-12-31T23:59:59.999Z");
}

TEST(FormatUtc, AgreesWithTheCLibraryAcrossCenturiesAndLeapDays) {
  // Spread over 1700..2239 (a system_clock time point counts nanoseconds:
  // about 1678..2261), plus the leap days and year ends around 2000, 1900
  // and 2100 (neither a leap year); checked against gmtime_r.
  std::vector<int64_t> ms = {951782400000, 951868799999, 4107542399999, 4107542400000, 4110134400000,
                             946684799999, -2203891200001, -2203891200000, 7258118400000};
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    ms.push_back(static_cast<int64_t>(x % 17000000000000ull) - 8520336000000);
  }
  for (int64_t m : ms) {
    const std::time_t secs = static_cast<std::time_t>(m >= 0 ? m / 1000 : (m - 999) / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char want[96];
    std::snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(m - int64_t{secs} * 1000));
    ASSERT_EQ(FormatUtc(system_clock::time_point{std::chrono::milliseconds{m}}), want) << m;
  }
}

TEST(ParseRfc3339, UtcForms) {
  EXPECT_EQ(Utc("2026-11-29T15:49:30Z"), "2026-11-29T15:49:30.000Z");
  EXPECT_EQ(Utc("2026-11-29t15:49:30z"), "2026-11-29T15:49:30.000Z");
  EXPECT_EQ(Utc("1970-01-01T00:00:00Z"), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(Utc("2026-11-29T15:49:30-00:00"), "2026-11-29T15:49:30.000Z");
}

TEST(ParseRfc3339, OffsetsAreApplied) {
  EXPECT_EQ(Utc("2026-11-29T15:49:30+01:00"), "2026-11-29T14:49:30.000Z");
  EXPECT_EQ(Utc("2026-11-29T15:49:30-05:30"), "2026-11-29T21:19:30.000Z");
  // Crossing midnight, a month end and a year end.
  EXPECT_EQ(Utc("2027-01-01T00:30:00+01:00"), "2026-12-31T23:30:00.000Z");
  EXPECT_EQ(Utc("2026-02-28T23:00:00-02:00"), "2026-03-01T01:00:00.000Z");
  EXPECT_EQ(Utc("2024-02-28T23:00:00-02:00"), "2024-02-29T01:00:00.000Z");
  EXPECT_EQ(Utc("2026-06-15T12:00:00+23:59"), "2026-06-14T12:01:00.000Z");
}

TEST(ParseRfc3339, FractionalSeconds) {
  EXPECT_EQ(Utc("2026-11-29T15:49:30.1Z"), "2026-11-29T15:49:30.100Z");
  EXPECT_EQ(Utc("2026-11-29T15:49:30.123Z"), "2026-11-29T15:49:30.123Z");
  auto r = ParseRfc3339("2026-11-29T15:49:30.123456789Z");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->time_since_epoch().count() % 1'000'000'000, 123456789);
  // Digits past the nanosecond are read and dropped.
  auto longer = ParseRfc3339("2026-11-29T15:49:30.1234567891234Z");
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(*longer, *r);
  EXPECT_NE(Error("2026-11-29T15:49:30.Z").find("no digits after the decimal point"), std::string::npos);
}

TEST(ParseRfc3339, LeapYears) {
  EXPECT_EQ(Utc("2024-02-29T00:00:00Z"), "2024-02-29T00:00:00.000Z");
  EXPECT_EQ(Utc("2000-02-29T00:00:00Z"), "2000-02-29T00:00:00.000Z");
  EXPECT_NE(Error("2100-02-29T00:00:00Z").find("day 29 does not exist in 2100-02"), std::string::npos);
  EXPECT_NE(Error("2026-02-29T00:00:00Z").find("day 29 does not exist"), std::string::npos);
}

TEST(ParseRfc3339, ImpossibleDatesAndTimes) {
  EXPECT_NE(Error("2026-02-30T00:00:00Z").find("day 30 does not exist in 2026-02"), std::string::npos);
  EXPECT_NE(Error("2026-04-31T00:00:00Z").find("day 31 does not exist"), std::string::npos);
  EXPECT_NE(Error("2026-01-00T00:00:00Z").find("day 00 does not exist"), std::string::npos);
  EXPECT_NE(Error("2026-13-01T00:00:00Z").find("month 13 does not exist"), std::string::npos);
  EXPECT_NE(Error("2026-00-01T00:00:00Z").find("month 00 does not exist"), std::string::npos);
  EXPECT_NE(Error("2026-01-01T24:00:00Z").find("hour"), std::string::npos);
  EXPECT_NE(Error("2026-01-01T23:60:00Z").find("minute"), std::string::npos);
  EXPECT_NE(Error("2026-12-31T23:59:60Z").find("leap second"), std::string::npos);
  EXPECT_NE(Error("2026-01-01T00:00:61Z").find("second"), std::string::npos);
  EXPECT_NE(Error("2026-01-01T00:00:00+24:00").find("offset is out of range"), std::string::npos);
  EXPECT_NE(Error("2026-01-01T00:00:00+01:60").find("offset is out of range"), std::string::npos);
}

TEST(ParseRfc3339, MalformedText) {
  for (std::string_view text : {"", "2026", "2026-11-29", "2026-11-29T15:49Z", "2026-11-29 15:49:30Z",
                                "2026-11-29T15:49:30", "2026-11-29T15:49:30+0100", "2026-11-29T15:49:30+01",
                                "2026-1-29T15:49:30Z", "+2026-11-29T15:49:30Z", "2026-11-29T15:49:30ZZ",
                                "2026-11-29T15:49:30Z ", " 2026-11-29T15:49:30Z", "2026-11-29T15:49:3OZ",
                                "2026-11-29T15:49:30UTC", "2026-11-29T15:49:30.5.5Z", "２026-11-29T15:49:30Z"}) {
    std::string message = Error(text);
    EXPECT_NE(message.find("is not an RFC 3339 time"), std::string::npos) << text << ": " << message;
  }
}

TEST(ParseRfc3339, RangeOfSystemClock) {
  EXPECT_EQ(Utc("1900-01-01T00:00:00Z"), "1900-01-01T00:00:00.000Z");
  EXPECT_EQ(Utc("2261-12-31T23:59:59Z"), "2261-12-31T23:59:59.000Z");
  EXPECT_NE(Error("0001-01-01T00:00:00Z").find("outside the supported range"), std::string::npos);
  EXPECT_NE(Error("9999-12-31T23:59:59Z").find("outside the supported range"), std::string::npos);
}

TEST(ParseRfc3339, ErrorQuotesAShortPrintableText) {
  std::string long_text(500, '9');
  std::string message = Error(long_text);
  EXPECT_LT(message.size(), 200u);
  std::string with_control = "2026-01-01\n00:00:00Z";
  EXPECT_EQ(Error(with_control).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace sg
