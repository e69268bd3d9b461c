#include "intake/report_parser.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/time.h"

namespace sg::intake {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

Time At(std::string_view rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << t.status().message();
  return std::chrono::floor<milliseconds>(*t);
}

// A report with every field set, built in code rather than parsed.
Report FullReport() {
  Report r;
  r.source = Source::kIndustry;
  r.incident_type = IncidentType::kChildSexTrafficking;
  r.incident_time = At("2026-11-28T19:14:05.250Z");
  r.platform = "ExampleVideoSite";
  r.immediate_danger = true;
  r.summary = "Line one.\nLine two with a tab\tand caf\xc3\xa9.";
  Person p;
  p.screen_names = {"maple_leaf_88", "maple.leaf"};
  p.display_names = {"Maple Leaf"};
  p.emails = {"maple@example.com"};
  p.phones = {"07700 900321"};
  p.profile_urls = {"https://video.example.com/c/maple"};
  p.device_ids = {"IMEI 350000000000025"};
  p.ip_events = {IpEvent{"2001:db8::42", 8443, At("2026-11-27T10:00:00Z"), "login"},
                 IpEvent{"198.51.100.200", std::nullopt, std::nullopt, std::nullopt}};
  p.approximate_age = 41;
  p.estimated_location = Location{"Glasgow", "Scotland", "GB"};
  r.reported_people = {p, Person{}};
  Person v;
  v.approximate_age = 0;
  v.estimated_location = Location{};
  r.victims = {v};
  File f;
  f.file_name = "clip.mp4";
  f.md5 = std::string(32, 'a');
  f.sha1 = std::string(40, 'b');
  f.sha256 = std::string(64, 'c');
  f.pdq = std::string(64, 'd');
  f.industry_classification = IndustryClassification::kB2;
  f.viewed_by_platform = false;
  r.files = {f, File{std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::string(64, '0'), std::nullopt,
                     std::nullopt}};
  r.chat = {ChatMessage{At("2026-11-27T10:01:00.001Z"), "maple_leaf_88", "hello"},
            ChatMessage{std::nullopt, std::nullopt, ""}};
  r.additional_info = "Synthetic test report.";
  return r;
}

Report MustParse(std::string_view text, const ParseLimits& limits = {}) {
  auto r = ParseReport(text, limits);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Report{};
}

ParseError MustFail(std::string_view text, const ParseLimits& limits = {}) {
  ParseError e;
  auto r = ParseReport(text, limits, &e);
  EXPECT_FALSE(r.ok());
  return e;
}

std::string Minimal(std::string_view extra) {
  return fmt::format(R"({{"source": "public", "incident_type": "other"{}{}}})", extra.empty() ? "" : ", ", extra);
}

TEST(ReportToJson, RoundTripsAReportWithEveryField) {
  const Report r = FullReport();
  const std::string text = json::serialize(ReportToJson(r));
  Report back = MustParse(text);
  EXPECT_TRUE(back == r) << text;
  EXPECT_EQ(json::serialize(ReportToJson(back)), text);
}

TEST(ReportToJson, CanonicalFieldOrderAndOmissions) {
  Report r;
  r.source = Source::kPolice;
  r.incident_type = IncidentType::kSextortion;
  r.immediate_danger = false;
  r.files = {File{}};
  r.files[0].md5 = std::string(32, 'f');
  EXPECT_EQ(json::serialize(ReportToJson(r)),
            R"({"source":"police","incident_type":"sextortion","immediate_danger":false,)"
            R"("files":[{"md5":"ffffffffffffffffffffffffffffffff"}]})");
}

TEST(ReportToJson, EnumNamesAreTheWireContract) {
  EXPECT_EQ(SourceName(Source::kIndustry), "industry");
  EXPECT_EQ(SourceName(Source::kPublic), "public");
  EXPECT_EQ(SourceName(Source::kPolice), "police");
  const std::pair<IncidentType, std::string_view> types[] = {
      {IncidentType::kOnlineEnticement, "online_enticement"},
      {IncidentType::kCsam, "csam"},
      {IncidentType::kSextortion, "sextortion"},
      {IncidentType::kChildSexTrafficking, "child_sex_trafficking"},
      {IncidentType::kUnsolicitedObsceneMaterial, "unsolicited_obscene_material"},
      {IncidentType::kOther, "other"}};
  for (const auto& [type, name] : types) {
    EXPECT_EQ(IncidentTypeName(type), name);
    EXPECT_EQ(IncidentTypeFromName(name), type);
  }
  for (auto c : {IndustryClassification::kA1, IndustryClassification::kA2, IndustryClassification::kB1,
                 IndustryClassification::kB2}) {
    EXPECT_EQ(IndustryClassificationFromName(IndustryClassificationName(c)), c);
  }
  EXPECT_EQ(IndustryClassificationName(IndustryClassification::kB1), "B1");
  EXPECT_FALSE(SourceFromName("Public").has_value());
  EXPECT_FALSE(IncidentTypeFromName("").has_value());
}

TEST(ParseReport, TimesAreNormalisedToUtcMilliseconds) {
  Report r = MustParse(Minimal(R"("incident_time": "2026-03-01T00:30:00.123999+01:00",)"
                               R"( "chat": [{"text": "a", "time": "1969-12-31T23:59:59.9999-00:00"}])"));
  EXPECT_EQ(FormatUtc(*r.incident_time), "2026-02-28T23:30:00.123Z");  // floored, not rounded
  EXPECT_EQ(FormatUtc(*r.chat[0].time), "1969-12-31T23:59:59.999Z");
  json::object o = ReportToJson(r);
  EXPECT_EQ(o["incident_time"].as_string(), "2026-02-28T23:30:00.123Z");
}

TEST(ParseReport, AddressesAndHashesAreCanonical) {
  Report r = MustParse(Minimal(
      R"("victims": [{"ip_events": [{"ip": "2001:0DB8:0000:0000:0000:0000:0000:0001"}, {"ip": "2001:db8::1"}]}],)"
      R"( "files": [{"md5": "ABCDEF0123456789ABCDEF0123456789", "pdq": ")" +
      std::string(64, 'F') + R"("}])"));
  EXPECT_EQ(r.victims[0].ip_events[0].ip, "2001:db8::1");
  EXPECT_EQ(r.victims[0].ip_events[0], r.victims[0].ip_events[1]);
  EXPECT_EQ(*r.files[0].md5, "abcdef0123456789abcdef0123456789");
  EXPECT_EQ(*r.files[0].pdq, std::string(64, 'f'));
}

TEST(ParseReport, IdentifiersAreKeptAsGiven) {
  Report r = MustParse(Minimal(R"("reported_people": [{"emails": ["Mixed.Case@Example.COM"],)"
                               R"( "screen_names": ["  spaced  "], "phones": ["+44 (0)7700 900111"]}])"));
  EXPECT_EQ(r.reported_people[0].emails[0], "Mixed.Case@Example.COM");
  EXPECT_EQ(r.reported_people[0].screen_names[0], "  spaced  ");
  EXPECT_EQ(r.reported_people[0].phones[0], "+44 (0)7700 900111");
}

TEST(ParseReport, NullMeansAbsent) {
  Report r = MustParse(Minimal(R"("platform": null, "files": null, "victims": [{"approximate_age": null}])"));
  EXPECT_FALSE(r.platform.has_value());
  EXPECT_TRUE(r.files.empty());
  EXPECT_FALSE(r.victims[0].approximate_age.has_value());
}

TEST(ParseReport, UnknownFieldsAreReportedBeforeOtherErrorsInTheSameObject) {
  ParseError e = MustFail(R"({"source": "nope", "incident_type": "other", "extra": 1})");
  EXPECT_EQ(e.path, "extra");
  EXPECT_EQ(e.message, "unknown field");
}

TEST(ParseReport, FirstErrorInSchemaOrder) {
  ParseError e = MustFail(Minimal(R"("files": [{"md5": "x"}], "victims": [{"approximate_age": -3}])"));
  EXPECT_EQ(e.path, "victims[0].approximate_age");  // victims come before files in report.h
}

TEST(ParseReport, DuplicateKeysAtAnyDepth) {
  EXPECT_EQ(MustFail(Minimal(R"("victims": [{}, {"estimated_location": {"city": "a", "city": "b"}}])")).path,
            "victims[1].estimated_location.city");
  EXPECT_EQ(MustFail(Minimal(R"("chat": [{"text": "a"}, {"text": "b"}, {"text": "c", "text": "c"}])")).path,
            "chat[2].text");
  // Duplicates are refused even where the field would be unknown anyway.
  EXPECT_EQ(MustFail(R"({"x": 1, "x": 1})").message, "duplicate field");
}

TEST(ParseReport, SyntaxErrorPositions) {
  ParseError e = MustFail("{\n  \"source\": \"public\",\n  \"incident_type\": other\n}");
  EXPECT_EQ(e.path, "(body)");
  EXPECT_EQ(e.message.rfind("invalid JSON at line 3 column 20: ", 0), 0u) << e.message;
  // Columns count characters, not bytes.
  e = MustFail("{\"summary\": \"\xc3\xa9\xc3\xa9\" x}");
  EXPECT_EQ(e.message.rfind("invalid JSON at line 1 column 18: ", 0), 0u) << e.message;
}

TEST(ParseReport, DepthLimit) {
  std::string nested = std::string(31, '[') + std::string(31, ']');
  // Depth 32 (the object plus 31 arrays) is valid JSON and then a type error.
  EXPECT_EQ(MustFail(Minimal("\"summary\": " + nested)).path, "summary");
  ParseError e = MustFail(Minimal("\"summary\": [" + nested + "]"));
  EXPECT_EQ(e.path, "(body)");
  EXPECT_NE(e.message.find("too deep"), std::string::npos) << e.message;
}

TEST(ParseLimits, DefaultsAreDocumented) {
  ParseLimits l;
  EXPECT_EQ(l.max_body_bytes, 1u << 20);
  EXPECT_EQ(l.max_files, 1000u);
  EXPECT_EQ(l.max_people, 100u);
  EXPECT_EQ(l.max_chat_messages, 10000u);
  EXPECT_EQ(l.max_identifiers, 100u);
  EXPECT_EQ(l.max_long_text_chars, 20000u);
  EXPECT_EQ(l.max_text_chars, 1000u);
}

TEST(ParseLimits, BodyAtAndOverTheLimit) {
  std::string body = Minimal("");
  body.resize(1 << 20, ' ');  // trailing whitespace is valid JSON
  MustParse(body);
  body.push_back(' ');
  ParseError e = MustFail(body);
  EXPECT_EQ(e.http_status, 413);
  EXPECT_EQ(e.path, "(body)");
  EXPECT_EQ(e.message, "1048577 bytes; at most 1048576 allowed");
  auto r = ParseReport(body);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
}

std::string Repeat(std::string_view item, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + std::string(item);
  return out;
}

TEST(ParseLimits, DefaultItemCountsAtAndOverTheLimit) {
  const std::string md5 = R"({"md5": "00000000000000000000000000000000"})";
  struct Case {
    std::string field, item;
    size_t limit;
    std::string path;
  };
  const Case cases[] = {
      {"files", md5, 1000, "files"},
      {"chat", R"({"text": ""})", 10000, "chat"},
      {"victims", "{}", 100, "victims"},
      {"reported_people", "{}", 100, "reported_people"},
  };
  for (const Case& c : cases) {
    MustParse(Minimal(fmt::format(R"("{}": [{}])", c.field, Repeat(c.item, c.limit))));
    ParseError e = MustFail(Minimal(fmt::format(R"("{}": [{}])", c.field, Repeat(c.item, c.limit + 1))));
    EXPECT_EQ(e.http_status, 400);
    EXPECT_EQ(e.path, c.path);
    EXPECT_EQ(e.message, fmt::format("{} items; at most {} allowed", c.limit + 1, c.limit));
  }
  for (std::string_view array : {"screen_names", "display_names", "emails", "phones", "profile_urls", "device_ids"}) {
    MustParse(Minimal(fmt::format(R"("victims": [{{"{}": [{}]}}])", array, Repeat("\"a@b\"", 100))));
    ParseError e = MustFail(Minimal(fmt::format(R"("victims": [{{"{}": [{}]}}])", array, Repeat("\"a@b\"", 101))));
    EXPECT_EQ(e.path, fmt::format("victims[0].{}", array));
  }
  MustParse(Minimal(fmt::format(R"("victims": [{{"ip_events": [{}]}}])", Repeat(R"({"ip": "::1"})", 100))));
  EXPECT_EQ(MustFail(Minimal(fmt::format(R"("victims": [{{"ip_events": [{}]}}])", Repeat(R"({"ip": "::1"})", 101))))
                .path,
            "victims[0].ip_events");
}

TEST(ParseLimits, DefaultStringLengths) {
  for (std::string_view field : {"summary", "additional_info"}) {
    MustParse(Minimal(fmt::format(R"("{}": "{}")", field, std::string(20000, 'x'))));
    ParseError e = MustFail(Minimal(fmt::format(R"("{}": "{}")", field, std::string(20001, 'x'))));
    EXPECT_EQ(e.path, field);
    EXPECT_EQ(e.message, "20001 characters; at most 20000 allowed");
  }
  MustParse(Minimal(fmt::format(R"("chat": [{{"text": "{}"}}])", std::string(20000, 'x'))));
  EXPECT_EQ(MustFail(Minimal(fmt::format(R"("chat": [{{"text": "{}"}}])", std::string(20001, 'x')))).path,
            "chat[0].text");
  MustParse(Minimal(fmt::format(R"("platform": "{}")", std::string(1000, 'x'))));
  EXPECT_EQ(MustFail(Minimal(fmt::format(R"("platform": "{}")", std::string(1001, 'x')))).path, "platform");
  EXPECT_EQ(MustFail(Minimal(fmt::format(R"("chat": [{{"text": "", "author": "{}"}}])", std::string(1001, 'x'))))
                .path,
            "chat[0].author");
}

TEST(ParseErrorToJson, NamesPathMessageAndStatus) {
  ParseError e = MustFail(Minimal(R"("files": [{"pdq": "12"}])"));
  EXPECT_EQ(json::serialize(ParseErrorToJson(e)),
            R"x({"error":{"path":"files[0].pdq","message":"not a PDQ hash (64 hex digits)","status":400}})x");
}

TEST(ParseReport, HostileKeysAndValuesAreShortenedInErrors) {
  const std::string key(5000, 'k');
  ParseError e = MustFail(Minimal(fmt::format(R"("{}": 1)", key)));
  EXPECT_LT(e.path.size(), 100u);
  e = MustFail(fmt::format(R"({{"source": "{}", "incident_type": "other"}})", std::string(900, 'z')));
  EXPECT_LT(e.message.size(), 200u);
}

}  // namespace
}  // namespace sg::intake
