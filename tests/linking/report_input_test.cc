// ReportInputFromJson: what linking reads of a report, the same whether the
// JSON object came from intake (ports as unsigned numbers) or from the
// stored text (a rebuild: signed numbers).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "linking/report_facts.h"
#include "linking/report_input.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

TEST(ReportInput, ReadsMentionsInOrderWithNormalisedIdentifiers) {
  json::object body = json::parse(R"({"platform":"Instagram","incident_time":"2026-11-01T10:00:00.000Z",
      "reported_people":[{"emails":["A@Example.com","a@example.com","bad"],"screen_names":["@Al"],
                          "display_names":["Al B"],
                          "ip_events":[{"ip":"192.0.2.1","port":443,"time":"2026-11-01T09:00:00.000Z"},
                                       {"ip":"192.0.2.1"}]}],
      "victims":[{},{"phones":["07700 900001"]}]})").as_object();
  auto in = ReportInputFromJson(7, body, "2026-11-02T00:00:00.000Z");
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->time, "2026-11-01T10:00:00.000Z");  // the incident time, not the receipt
  ASSERT_EQ(in->mentions.size(), 3u);
  const Mention& m = in->mentions[0];
  EXPECT_EQ(m.role, "reported");
  std::vector<std::string> texts;
  for (const Identifier& id : m.identifiers) texts.push_back(id.Text());
  EXPECT_EQ(texts, (std::vector<std::string>{"email:a@example.com", "screen_name:instagram:al",
                                             "display_name:al b", "ip:192.0.2.1"}));
  ASSERT_EQ(m.skipped.size(), 1u);
  EXPECT_NE(m.skipped[0].find("emails[2]"), std::string::npos) << m.skipped[0];
  ASSERT_EQ(m.ip_captures.size(), 2u);
  EXPECT_EQ(m.ip_captures[0].port, 443);
  EXPECT_FALSE(m.ip_captures[1].port.has_value());
  EXPECT_EQ(in->mentions[1].role, "victim");
  EXPECT_EQ(in->mentions[1].index, 0);
  EXPECT_TRUE(in->mentions[1].identifiers.empty());
  EXPECT_EQ(in->mentions[2].identifiers.at(0).Text(), "phone:+447700900001");
  EXPECT_EQ(MentionNode(7, "victim", 1), "mention:7:victim:1");
}

TEST(ReportInput, PortsFromIntakeObjectsAndFromTextAgree) {
  json::object from_text = json::parse(
      R"({"reported_people":[{"ip_events":[{"ip":"192.0.2.1","port":8080,"time":"2026-11-01T09:00:00.000Z"}]}]})")
                               .as_object();
  json::object from_intake = from_text;
  from_intake["reported_people"].as_array()[0].as_object()["ip_events"].as_array()[0].as_object()["port"] =
      static_cast<uint16_t>(8080);  // what intake::ReportToJson puts there: an unsigned number
  ASSERT_TRUE(from_intake["reported_people"].as_array()[0].at("ip_events").as_array()[0].at("port").is_uint64());
  auto a = ReportInputFromJson(1, from_text, "2026-11-01T00:00:00.000Z");
  auto b = ReportInputFromJson(1, from_intake, "2026-11-01T00:00:00.000Z");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->mentions[0].ip_captures[0].port, 8080);
  EXPECT_EQ(b->mentions[0].ip_captures[0].port, 8080);
}

TEST(ReportInput, WrongShapesAreErrorsNamingTheField) {
  auto r = ReportInputFromJson(3, json::parse(R"({"reported_people":[{"emails":"a@example.com"}]})").as_object(), "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("report 3: reported_people[0].emails"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(ReportInputFromJson(3, json::parse(R"({"victims":{}})").as_object(), "").ok());
}

}  // namespace
}  // namespace sg::linking

namespace sg::linking {
namespace {

// The report_facts row from a parsed ReportInput (intake) and straight from
// the body (a store from before schema step 11) are the same row.
TEST(ReportFacts, FromTheInputAndFromTheBodyAgree) {
  const char* bodies[] = {
      R"({"incident_time":"2026-03-01T01:30:00+01:00","platform":"ExampleChat","immediate_danger":true,
          "reported_people":[{"screen_names":["a"]}],
          "victims":[{"screen_names":["v"]},{"approximate_age":12},{"emails":["x@example.com"],"approximate_age":9}],
          "additional_info":"Seen twice.\n  GROUP:  Night Owls \nmore"})",
      R"({"platform":"ExampleChat","victims":[],"additional_info":"no group line"})",
      R"({"additional_info":"group: x"})",
      R"({})",
  };
  for (const char* text : bodies) {
    const json::object body = json::parse(text).as_object();
    auto in = ReportInputFromJson(7, body, "2026-11-01T10:00:00.000Z");
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    auto direct = FactsFromJson(7, body, "2026-11-01T10:00:00.000Z");
    ASSERT_TRUE(direct.ok()) << direct.status().ToString();
    const ReportFactsRow parsed = FactsOf(*in);
    EXPECT_EQ(parsed.report_id, direct->report_id) << text;
    EXPECT_EQ(parsed.time, direct->time) << text;
    EXPECT_EQ(parsed.immediate_danger, direct->immediate_danger) << text;
    EXPECT_EQ(parsed.victim_ages, direct->victim_ages) << text;
    EXPECT_EQ(parsed.group, direct->group) << text;
  }
  const ReportFactsRow first = *FactsFromJson(7, json::parse(bodies[0]).as_object(), "2026-11-01T10:00:00.000Z");
  EXPECT_EQ(first.time, "2026-03-01T01:30:00+01:00");
  EXPECT_TRUE(first.immediate_danger);
  EXPECT_EQ(first.victim_ages, "[[1,12],[2,9]]");
  EXPECT_EQ(first.group, "examplechat/night owls");
  const ReportFactsRow last = *FactsFromJson(7, json::object{}, "2026-11-01T10:00:00.000Z");
  EXPECT_EQ(last.time, "2026-11-01T10:00:00.000Z");
  EXPECT_EQ(last.victim_ages, std::nullopt);
  EXPECT_EQ(last.group, std::nullopt);
  EXPECT_FALSE(FactsFromJson(7, json::parse(R"({"victims":{"a":1}})").as_object(), "").ok());
  EXPECT_FALSE(FactsFromJson(7, json::parse(R"({"victims":[3]})").as_object(), "").ok());
}

}  // namespace
}  // namespace sg::linking
