// Entity resolution on SQLite and PostgreSQL (store/test_backends.h):
// transitive links, merges of existing persons, weak candidates and their
// decisions, analysts' merges and splits surviving a rebuild, bundles, and
// incremental linking giving the same persons as a rebuild.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "linking/decisions.h"
#include "linking/persons.h"
#include "linking/rebuild.h"
#include "linking/report_facts.h"
#include "linking/resolver.h"
#include "store/audit.h"
#include "../store/test_backends.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

class ResolverTest : public store::testing::MigratedStoreTest {
 protected:
  // Stores a report (its body and matched hashes) and links it as intake does.
  int64_t Add(const std::string& body_text, const std::vector<std::string>& hashes = {},
              const std::string& received_at = "2026-11-01T10:00:00.000Z") {
    return AddReport(body_text, hashes, received_at, /*link=*/true);
  }
  int64_t AddReport(const std::string& body_text, const std::vector<std::string>& hashes,
                    const std::string& received_at, bool link) {
    json::object body = json::parse(body_text).as_object();
    auto tx = store::Transaction::Begin(*conn_);
    EXPECT_TRUE(tx.ok());
    auto q = conn_->Prepare(
        "INSERT INTO reports (received_at, channel, owner, source, incident_type, priority, body, body_sha256)"
        " VALUES (?, 'import', 'cli:test', 'industry', 'other', 'normal', ?, '') RETURNING id");
    EXPECT_TRUE(q.ok());
    EXPECT_TRUE((*q)->Bind({received_at, json::serialize(body)}).ok());
    auto row = (*q)->Step();
    EXPECT_TRUE(row.ok() && *row);
    const int64_t id = (*q)->Int(0);
    (void)(*q)->Step();
    q->reset();
    for (size_t i = 0; i < hashes.size(); ++i) {
      auto r = conn_->Exec("INSERT INTO report_matches (report_id, match_index, file_index, list, kind, hash, distance)"
                           " VALUES (?, ?, 0, 'uk', 'md5', ?, 0)",
                           {id, static_cast<int64_t>(i), hashes[i]});
      EXPECT_TRUE(r.ok()) << r.status().ToString();
    }
    auto in = ReportInputFromJson(id, body, received_at);
    EXPECT_TRUE(in.ok()) << in.status().ToString();
    in->match_hashes = hashes;
    if (link) {
      Linker linker(*conn_);
      Status s = linker.OnReport(*in);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    EXPECT_TRUE(tx->Commit().ok());
    return id;
  }

  // Persons as sets of mentions ("12:reported:0"), independent of ids.
  std::set<std::set<std::string>> Persons() {
    std::map<int64_t, std::set<std::string>> by;
    auto q = conn_->Prepare("SELECT person_id, report_id, role, person_index FROM report_persons");
    EXPECT_TRUE(q.ok());
    EXPECT_TRUE((*q)->Bind({}).ok());
    while (true) {
      auto row = (*q)->Step();
      if (!row.ok() || !*row) break;
      by[(*q)->Int(0)].insert(fmt::format("{}:{}:{}", (*q)->Int(1), (*q)->Text(2), (*q)->Int(3)));
    }
    std::set<std::set<std::string>> out;
    for (auto& [id, s] : by) out.insert(s);
    return out;
  }

  int64_t PersonOf(int64_t report, const std::string& role = "reported", int index = 0) {
    auto q = conn_->Prepare("SELECT person_id FROM report_persons WHERE report_id = ? AND role = ? AND person_index = ?");
    EXPECT_TRUE((*q)->Bind({report, role, int64_t{index}}).ok());
    auto row = (*q)->Step();
    EXPECT_TRUE(row.ok() && *row) << "no person for report " << report;
    return (row.ok() && *row) ? (*q)->Int(0) : -1;
  }

  int64_t Count(const std::string& sql) {
    auto q = conn_->Prepare(sql);
    EXPECT_TRUE(q.ok());
    EXPECT_TRUE((*q)->Bind({}).ok());
    auto row = (*q)->Step();
    return (row.ok() && *row) ? (*q)->Int(0) : -1;
  }

  // On PostgreSQL with a second connection, as `safeguard link` runs it
  // (the stored rows read on two threads); SQLite's test database is
  // in-memory and private to conn_, so it reads on one.
  void RebuildOk() {
    RebuildOptions rebuild;
    if (!db_->url().empty()) rebuild.open_reader = [this] { return db_->Open(); };
    auto r = Rebuild(*conn_, LinkOptions{}, nullptr, rebuild);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  DecisionContext ctx_{"cli:analyst", ""};
};

std::string Reported(const std::string& person, const std::string& platform = "instagram") {
  return fmt::format(R"({{"source":"industry","incident_type":"other","platform":"{}","reported_people":[{}]}})",
                     platform, person);
}

TEST_P(ResolverTest, StrongIdentifiersLinkTransitivelyAcrossSpellings) {
  const int64_t r1 = Add(Reported(R"({"emails":["Sam.Jones+kik@GoogleMail.com"],"phones":["07700 900123"]})"));
  const int64_t r2 = Add(Reported(R"({"phones":["+44 (0)7700-900-123"],"screen_names":["@Sam_J"]})"));
  const int64_t r3 = Add(Reported(R"({"screen_names":["sam_j"],"device_ids":["49-015420-323751-8"]})"));
  const int64_t r4 = Add(Reported(R"({"emails":["samjones@gmail.com"]})"));   // Gmail ignores dots: r1's email
  const int64_t r5 = Add(Reported(R"({"screen_names":["sam_j"]})", "tiktok"));  // another platform: someone else
  EXPECT_EQ(PersonOf(r1), PersonOf(r2));
  EXPECT_EQ(PersonOf(r1), PersonOf(r3));
  EXPECT_EQ(PersonOf(r1), PersonOf(r4));
  EXPECT_NE(PersonOf(r1), PersonOf(r5));
  auto detail = PersonDetail(*conn_, PersonOf(r1));
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  // Evidence: the phone links r1 and r2.
  bool phone_link = false;
  for (const auto& l : detail->at("links").as_array()) {
    if (l.at("identifier") == "phone:+447700900123") {
      phone_link = l.at("report_ids") == json::array{r1, r2};
    }
  }
  EXPECT_TRUE(phone_link) << json::serialize(*detail);
  auto found = FindPersons(*conn_, "SAM.JONES@googlemail.com");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<int64_t>{PersonOf(r1)});
  found = FindPersons(*conn_, "screen_name:TikTok:@Sam_J");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<int64_t>{PersonOf(r5)});
}

TEST_P(ResolverTest, AReportCarryingTwoPersonsIdentifiersMergesThem) {
  const int64_t r1 = Add(Reported(R"({"emails":["a@example.com"]})"));
  const int64_t r2 = Add(Reported(R"({"emails":["b@example.com"]})"));
  const int64_t r3 = Add(Reported(R"({"emails":["c@example.com"]})"));
  EXPECT_NE(PersonOf(r1), PersonOf(r2));
  const int64_t r4 = Add(Reported(R"({"emails":["b@example.com", "a@example.com", "c@example.com"]})"));
  EXPECT_EQ(PersonOf(r1), PersonOf(r2));
  EXPECT_EQ(PersonOf(r1), PersonOf(r3));
  EXPECT_EQ(PersonOf(r1), PersonOf(r4));
  EXPECT_EQ(Count("SELECT count(*) FROM persons WHERE merged_into IS NULL"), 1);
  // A merged-away id still answers, with the live person.
  auto detail = PersonDetail(*conn_, PersonOf(r1) == 1 ? 2 : 1);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->at("id").as_int64(), PersonOf(r1));
}

TEST_P(ResolverTest, EveryOldIdStillAnswersAfterARebuild) {
  // Persons 1..3 form incrementally; report 4 merges them. A rebuild makes
  // one person again: the two merged-away ids must keep answering with it.
  const int64_t r1 = Add(Reported(R"({"emails":["a@example.com"]})"));
  const int64_t r2 = Add(Reported(R"({"emails":["b@example.com"]})"));
  const int64_t r3 = Add(Reported(R"({"emails":["c@example.com"]})"));
  std::set<int64_t> before = {PersonOf(r1), PersonOf(r2), PersonOf(r3)};
  ASSERT_EQ(before.size(), 3u);
  Add(Reported(R"({"emails":["b@example.com", "a@example.com", "c@example.com"]})"));
  const int64_t survivor = PersonOf(r1);
  RebuildOk();
  const int64_t after = PersonOf(r1);
  EXPECT_EQ(after, survivor);  // a component keeps the old id of its first mention
  for (int64_t id : before) {
    auto detail = PersonDetail(*conn_, id);
    ASSERT_TRUE(detail.ok()) << "person " << id << ": " << detail.status().ToString();
    EXPECT_EQ(detail->at("id").as_int64(), after) << id;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM persons WHERE merged_into IS NULL"), 1);
  // A second rebuild keeps every redirect.
  RebuildOk();
  for (int64_t id : before) {
    auto detail = PersonDetail(*conn_, id);
    ASSERT_TRUE(detail.ok()) << "person " << id << ": " << detail.status().ToString();
    EXPECT_EQ(detail->at("id").as_int64(), after) << id;
  }
}

TEST_P(ResolverTest, AnIdWhoseMentionsMovedRedirectsAfterARebuild) {
  // Two reports link through a phone; the analyst's split separates r2.
  // Rebuild twice: ids may move, but no id that was handed out 404s.
  const int64_t r1 = Add(Reported(R"({"emails":["x@example.com"],"phones":["07700 900001"]})"));
  const int64_t r2 = Add(Reported(R"({"phones":["07700 900001"],"emails":["y@example.com"]})"));
  ASSERT_EQ(PersonOf(r1), PersonOf(r2));
  std::set<int64_t> seen = {PersonOf(r1)};
  auto split = SplitPerson(*conn_, PersonOf(r1), {"email:y@example.com"}, {}, ctx_);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  seen.insert(PersonOf(r2));
  RebuildOk();
  seen.insert(PersonOf(r1));
  seen.insert(PersonOf(r2));
  RebuildOk();
  for (int64_t id : seen) {
    auto detail = PersonDetail(*conn_, id);
    EXPECT_TRUE(detail.ok()) << "person " << id << ": " << detail.status().ToString();
  }
}

TEST_P(ResolverTest, VictimsAndOffendersOfOneReportArePairs) {
  const int64_t r1 = Add(R"({"source":"public","incident_type":"online_enticement","platform":"kik",
      "reported_people":[{"screen_names":["helper_99"]}],"victims":[{"display_names":["Child A"]},{}]})");
  EXPECT_EQ(Count(fmt::format("SELECT count(*) FROM report_persons o JOIN report_persons v ON v.report_id = o.report_id"
                              " AND v.role = 'victim' WHERE o.role = 'reported' AND o.report_id = {}", r1)), 2);
  EXPECT_NE(PersonOf(r1, "victim", 0), PersonOf(r1, "victim", 1));  // a victim without identifiers is still a person
}

TEST_P(ResolverTest, WeakEvidenceProposesAndDecisionsSurviveRebuild) {
  const int64_t r1 = Add(Reported(R"({"emails":["x1@example.com"],"display_names":["Sam Smith"],
      "ip_events":[{"ip":"198.51.100.7","port":40000,"time":"2026-11-01T10:00:00Z"}]})"));
  const int64_t r2 = Add(Reported(R"({"emails":["x2@example.com"],"display_names":["  SAM   smith "],
      "ip_events":[{"ip":"::ffff:198.51.100.7","port":40000,"time":"2026-11-01T10:20:00Z"}]})"));
  const int64_t r3 = Add(Reported(R"({"emails":["x3@example.com"],
      "ip_events":[{"ip":"198.51.100.7","port":40001,"time":"2026-11-01T10:20:00Z"},
                   {"ip":"198.51.100.7","port":40000,"time":"2026-11-01T12:30:00Z"}]})"));
  EXPECT_NE(PersonOf(r1), PersonOf(r2));  // weak evidence never links
  EXPECT_EQ(Count("SELECT count(*) FROM link_candidates WHERE kind = 'display_name'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM link_candidates WHERE kind = 'ip'"), 1);  // not r3: other port, too late
  const int64_t ip_candidate = Count("SELECT id FROM link_candidates WHERE kind = 'ip'");
  const int64_t name_candidate = Count("SELECT id FROM link_candidates WHERE kind = 'display_name'");
  EXPECT_GT(Count("SELECT count(*) FROM link_candidates WHERE kind = 'ip' AND score > 0.7"), 0);

  ASSERT_TRUE(RejectCandidate(*conn_, ip_candidate, ctx_).ok());
  EXPECT_FALSE(RejectCandidate(*conn_, ip_candidate, ctx_).ok());  // already decided
  RebuildOk();
  EXPECT_EQ(Count("SELECT count(*) FROM link_candidates WHERE kind = 'ip'"), 1);  // the rejected one, not proposed again
  EXPECT_EQ(Count("SELECT count(*) FROM link_candidates WHERE kind = 'ip' AND status = 'rejected'"), 1);
  const int64_t name_again = Count("SELECT id FROM link_candidates WHERE kind = 'display_name' AND status = 'pending'");
  ASSERT_GT(name_again, 0);
  (void)name_candidate;
  auto merged = ConfirmCandidate(*conn_, name_again, ctx_);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(PersonOf(r1), PersonOf(r2));
  const auto before = Persons();
  RebuildOk();
  EXPECT_EQ(PersonOf(r1), PersonOf(r2));
  EXPECT_NE(PersonOf(r1), PersonOf(r3));
  EXPECT_EQ(Persons(), before);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action IN ('candidate.reject', 'candidate.confirm',"
                  " 'person.merge')"), 3);
}

TEST_P(ResolverTest, SplitSurvivesRebuildAndLaterReports) {
  const int64_t r1 = Add(Reported(R"({"emails":["a@example.com","b@example.com"]})"));
  const int64_t r2 = Add(Reported(R"({"emails":["b@example.com","c@example.com"]})"));
  ASSERT_EQ(PersonOf(r1), PersonOf(r2));
  auto split = SplitPerson(*conn_, PersonOf(r1), {"email:C@example.com"}, {}, ctx_);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  EXPECT_EQ(PersonOf(r1), split->person_id);
  EXPECT_EQ(PersonOf(r2), split->new_person_id);
  // A later report carrying both sides does not join them again.
  const int64_t r3 = Add(Reported(R"({"emails":["c@example.com","a@example.com"]})"));
  EXPECT_NE(PersonOf(r1), PersonOf(r2));
  EXPECT_EQ(PersonOf(r3), PersonOf(r2));  // c first: it joins c's side
  const auto before = Persons();
  RebuildOk();
  EXPECT_EQ(Persons(), before);
  EXPECT_NE(PersonOf(r1), PersonOf(r2));
  // Merging the two sides again undoes the split, here and in rebuilds.
  auto merged = MergePersons(*conn_, PersonOf(r1), PersonOf(r2), ctx_);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM link_decisions WHERE action = 'split' AND active = 1"), 0);
  const auto joined = Persons();
  RebuildOk();
  EXPECT_EQ(Persons(), joined);
  EXPECT_EQ(PersonOf(r1), PersonOf(r3));
  // Refusals name what was wrong.
  EXPECT_FALSE(SplitPerson(*conn_, PersonOf(r1), {"email:nobody@example.com"}, {}, ctx_).ok());
  EXPECT_FALSE(SplitPerson(*conn_, PersonOf(r1), {}, {}, ctx_).ok());
  EXPECT_FALSE(MergePersons(*conn_, PersonOf(r1), PersonOf(r1), ctx_).ok());
  EXPECT_EQ(MergePersons(*conn_, PersonOf(r1), 9999, ctx_).status().code(), StatusCode::kNotFound);
}

TEST_P(ResolverTest, BundlesGroupReportsOfOneKnownFileWithinTheWindow) {
  const std::string h1(32, '1'), h2(32, '2');
  const int64_t r1 = Add(Reported("{}"), {h1}, "2026-11-01T10:00:00.000Z");
  const int64_t r2 = Add(Reported("{}"), {h2, h1}, "2026-11-03T10:00:00.000Z");
  const int64_t r3 = Add(Reported("{}"), {h2}, "2026-11-05T10:00:00.000Z");       // through r2's other hash
  const int64_t r4 = Add(Reported("{}"), {h1}, "2027-03-01T10:00:00.000Z");       // months later: a new incident
  Add(Reported("{}"), {}, "2026-11-01T10:00:00.000Z");                            // nothing matched: no bundle
  auto bundle_of = [&](int64_t r) { return Count(fmt::format("SELECT bundle_id FROM bundle_reports WHERE report_id = {}", r)); };
  EXPECT_EQ(bundle_of(r1), bundle_of(r2));
  EXPECT_EQ(bundle_of(r1), bundle_of(r3));
  EXPECT_NE(bundle_of(r1), bundle_of(r4));
  EXPECT_EQ(Count("SELECT count(*) FROM bundles"), 2);
  EXPECT_EQ(Count("SELECT reports FROM bundles WHERE id = 1"), 3);
  RebuildOk();
  EXPECT_EQ(Count("SELECT count(*) FROM bundles"), 2);
  EXPECT_EQ(bundle_of(r1), bundle_of(r3));
  EXPECT_EQ(Count("SELECT reports FROM bundles WHERE id = 1"), 3);
}

// Linking writes each report's facts row at intake (what `networks` reads),
// and a rebuild from the bodies writes them again.
TEST_P(ResolverTest, EachLinkedReportHasItsFactsRow) {
  const int64_t r = Add(R"({"platform":"ExampleChat","immediate_danger":true,"incident_time":"2026-10-01T00:00:00.000Z",
      "reported_people":[{"screen_names":["owl1"]}],"victims":[{"screen_names":["kid1"],"approximate_age":13}],
      "additional_info":"group: Owls"})");
  const int64_t plain = Add(Reported(R"({"emails":["a@example.com"]})"));
  const std::string facts = "SELECT count(*) FROM report_facts WHERE report_id = {} AND time = '{}' AND"
                            " immediate_danger = {} AND {} AND {}";
  auto check = [&] {
    EXPECT_EQ(Count(fmt::format(fmt::runtime(facts), r, "2026-10-01T00:00:00.000Z", 1, "victim_ages = '[[0,13]]'",
                                "grp = 'examplechat/owls'")), 1);
    EXPECT_EQ(Count(fmt::format(fmt::runtime(facts), plain, "2026-11-01T10:00:00.000Z", 0, "victim_ages IS NULL",
                                "grp IS NULL")), 1);
    EXPECT_EQ(Count("SELECT count(*) FROM report_facts"), 2);
  };
  check();
  ASSERT_TRUE(conn_->Exec("DELETE FROM report_facts WHERE report_id = ?", {r}).ok());
  RebuildOptions from_bodies;
  from_bodies.source = RebuildSource::kReportBodies;
  auto again = Rebuild(*conn_, LinkOptions{}, nullptr, from_bodies);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->facts_filled, 0);
  check();
}

// A store upgraded to step 11 with reports has none of their facts rows
// (nor the 'complete' mark): the next `safeguard link` writes them from the
// reports' columns and bodies, once.
TEST_P(ResolverTest, TheFirstRebuildAfterStep11FillsTheMissingFactsRows) {
  const int64_t r = Add(R"({"platform":"ExampleChat","immediate_danger":true,
      "reported_people":[{"screen_names":["owl1"]}],"victims":[{"screen_names":["kid1"],"approximate_age":13}],
      "additional_info":"group: Owls"})");
  const int64_t plain = Add(Reported(R"({"emails":["a@example.com"]})"));
  Add(Reported(R"({"emails":["b@example.com"]})"));
  // As after the upgrade: rows missing for two of the reports, no mark. The
  // fill reads time and danger from the columns intake writes beside the
  // body (this fixture writes only the body).
  ASSERT_TRUE(conn_->Exec("UPDATE reports SET immediate_danger = 1 WHERE id = ?", {r}).ok());
  ASSERT_TRUE(conn_->Exec("DELETE FROM report_facts WHERE report_id <= ?", {plain}).ok());
  ASSERT_TRUE(conn_->Exec("DELETE FROM store_meta WHERE key = 'report_facts'").ok());
  auto first = Rebuild(*conn_, LinkOptions{}, nullptr);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->facts_filled, 2);
  EXPECT_EQ(Count("SELECT count(*) FROM report_facts"), 3);
  EXPECT_EQ(Count(fmt::format("SELECT count(*) FROM report_facts WHERE report_id = {} AND immediate_danger = 1"
                              " AND victim_ages = '[[0,13]]' AND grp = 'examplechat/owls'"
                              " AND time = '2026-11-01T10:00:00.000Z'", r)), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM store_meta WHERE key = 'report_facts' AND value = 'complete'"), 1);
  auto second = Rebuild(*conn_, LinkOptions{}, nullptr);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->facts_filled, 0);
}

// A body that is not the report model's shape stops the fill with an error
// naming the report; nothing of the report is written.
TEST_P(ResolverTest, AFactsFillNamesTheReportWhoseBodyItCannotRead) {
  Add(Reported(R"({"emails":["a@example.com"]})"));
  const int64_t bad = Add(Reported(R"({"emails":["b@example.com"]})"));
  ASSERT_TRUE(conn_->Exec("UPDATE reports SET body = '{\"victims\":[1]}' WHERE id = ?", {bad}).ok());
  ASSERT_TRUE(conn_->Exec("DELETE FROM report_facts WHERE report_id = ?", {bad}).ok());
  ASSERT_TRUE(conn_->Exec("DELETE FROM store_meta WHERE key = 'report_facts'").ok());
  auto filled = FillMissingReportFacts(*conn_);
  ASSERT_FALSE(filled.ok());
  EXPECT_EQ(filled.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(filled.status().message().find(fmt::format("report {}", bad)), std::string::npos)
      << filled.status().message();
  EXPECT_EQ(Count(fmt::format("SELECT count(*) FROM report_facts WHERE report_id = {}", bad)), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM store_meta WHERE key = 'report_facts'"), 0);
}

// A rebuild takes each match's time from report_matches.report_time (intake
// writes it, schema step 10) and, where a row has none, from its report.
TEST_P(ResolverTest, BundlesTakeTheMatchTimeStoredAndElseTheReports) {
  const std::string h(32, '3');
  const int64_t r1 = Add(Reported("{}"), {h}, "2026-11-01T10:00:00.000Z");
  const int64_t r2 = Add(Reported("{}"), {h}, "2027-03-01T10:00:00.000Z");  // months later: its own incident
  const int64_t r3 = Add(Reported("{}"), {h}, "2027-03-02T10:00:00.000Z");  // r2's incident (no report_time)
  auto bundle_of = [&](int64_t r) { return Count(fmt::format("SELECT bundle_id FROM bundle_reports WHERE report_id = {}", r)); };
  ASSERT_NE(bundle_of(r1), bundle_of(r2));
  // r2's match says it was seen in November: the rebuild believes the row.
  ASSERT_TRUE(conn_->Exec("UPDATE report_matches SET report_time = '2026-11-02T10:00:00.000Z' WHERE report_id = ?",
                          {r2}).ok());
  RebuildOk();
  EXPECT_EQ(bundle_of(r1), bundle_of(r2));
  EXPECT_NE(bundle_of(r2), bundle_of(r3));
  EXPECT_EQ(Count(fmt::format("SELECT count(*) FROM bundles b JOIN bundle_reports br ON br.bundle_id = b.id"
                              " WHERE br.report_id = {} AND b.last_time = '2026-11-02T10:00:00.000Z'", r1)), 1);
}

// Synthetic reports drawn from small pools of identifiers, spelled in
// varying ways, so that many chains and merges occur.
TEST_P(ResolverTest, IncrementalLinkingEqualsRebuild) {
  std::mt19937 rng(20261129);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto email = [&](int i) {
    return pick(2) == 0 ? fmt::format("user{}@example.com", i) : fmt::format(" User{}+x@EXAMPLE.com", i);
  };
  auto phone = [&](int i) {
    return pick(2) == 0 ? fmt::format("07700 900{:03d}", i) : fmt::format("+44 (0)7700-900-{:03d}", i);
  };
  for (int r = 0; r < 120; ++r) {
    std::string people;
    const int n = 1 + pick(2);
    for (int p = 0; p < n; ++p) {
      std::vector<std::string> parts;
      if (pick(3) != 0) parts.push_back(fmt::format(R"("emails":["{}"])", email(pick(60))));
      if (pick(3) == 0) parts.push_back(fmt::format(R"("phones":["{}"])", phone(pick(60))));
      if (pick(4) == 0) parts.push_back(fmt::format(R"("screen_names":["@Name{}"])", pick(40)));
      if (pick(5) == 0) parts.push_back(fmt::format(R"("display_names":["Name {}"])", pick(10)));
      std::string joined;
      for (size_t i = 0; i < parts.size(); ++i) joined += (i ? "," : "") + parts[i];
      people += (p ? "," : "") + ("{" + joined + "}");
    }
    Add(fmt::format(R"({{"source":"industry","incident_type":"other","platform":"roblox","reported_people":[{}],
        "victims":[{{"display_names":["Child {}"]}}]}})", people, pick(5)));
    if (r == 60) {  // an analyst splits the largest person half-way
      const int64_t big = Count("SELECT id FROM persons WHERE merged_into IS NULL ORDER BY size DESC, id LIMIT 1");
      auto detail = PersonDetail(*conn_, big);
      ASSERT_TRUE(detail.ok());
      std::string ident;
      for (const auto& i : detail->at("identifiers").as_array()) {
        if (i.at("strong").as_bool()) ident = std::string(i.at("identifier").as_string());
      }
      if (!ident.empty()) {
        auto s = SplitPerson(*conn_, big, {ident}, {}, ctx_);
        EXPECT_TRUE(s.ok() || s.status().code() == StatusCode::kInvalidArgument) << s.status().ToString();
      }
    }
  }
  EXPECT_EQ(Count("SELECT count(*) FROM link_decisions WHERE action = 'split' AND active = 1"), 1);
  const auto incremental = Persons();
  EXPECT_GT(incremental.size(), 20u);
  EXPECT_LT(incremental.size(), 300u);
  RebuildOk();
  EXPECT_EQ(Persons(), incremental);
  RebuildOk();  // and a rebuild of a rebuild
  EXPECT_EQ(Persons(), incremental);
  // Parsing the bodies again gives the same persons as the stored rows.
  RebuildOptions from_bodies;
  from_bodies.source = RebuildSource::kReportBodies;
  auto reparsed = Rebuild(*conn_, LinkOptions{}, nullptr, from_bodies);
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
  EXPECT_TRUE(reparsed->from_bodies);
  EXPECT_EQ(Persons(), incremental);
}

// Every derived row, with its id, as text: what a rebuild must leave alone
// when it finds nothing to change.
std::vector<std::string> DerivedRows(store::Connection& conn) {
  std::vector<std::string> out;
  const std::pair<const char*, int> queries[] = {
      {"SELECT id, created_at, size, coalesce(merged_into, 0) FROM persons ORDER BY id", 4},
      {"SELECT report_id, role, person_index, person_id FROM report_persons ORDER BY report_id, role, person_index", 4},
      {"SELECT kind, value, person_id FROM person_identifiers ORDER BY kind, value, person_id", 3},
      {"SELECT id, report_a, role_a, index_a, report_b, role_b, index_b, person_a, person_b, kind, value, status"
       " FROM link_candidates ORDER BY id", 12},
      {"SELECT id, first_report_id, first_time, last_time, reports FROM bundles ORDER BY id", 5},
      {"SELECT report_id, bundle_id FROM bundle_reports ORDER BY report_id", 2}};
  for (const auto& [sql, columns] : queries) {
    auto q = conn.Prepare(sql);
    EXPECT_TRUE(q.ok());
    EXPECT_TRUE((*q)->Bind({}).ok());
    const std::string table = std::string(sql).substr(std::string(sql).find("FROM ") + 5);
    while (true) {
      auto row = (*q)->Step();
      if (!row.ok() || !*row) break;
      std::string line = table.substr(0, table.find(' '));
      for (int c = 0; c < columns; ++c) line += "|" + (*q)->Text(c);
      out.push_back(line);
    }
  }
  return out;
}

TEST_P(ResolverTest, ARebuildWithNothingToChangeKeepsEveryRowAndId) {
  const std::string h(32, '7');
  Add(Reported(R"({"emails":["kim@example.com"],"display_names":["Kim Lee"],
                   "ip_events":[{"ip":"203.0.113.9","port":5000,"time":"2026-11-01T10:00:00Z"}]})"), {h});
  Add(Reported(R"({"phones":["07700 900321"],"display_names":["Kim Lee"],
                   "ip_events":[{"ip":"203.0.113.9","port":5000,"time":"2026-11-01T10:20:00Z"}]})"), {h});
  Add(Reported(R"({"emails":["KIM@example.com"],"phones":["07700900321"]})"));
  RebuildOk();  // the first rebuild may choose other mentions for candidates than intake did
  const auto before = DerivedRows(*conn_);
  ASSERT_GT(before.size(), 8u);
  auto again = Rebuild(*conn_, LinkOptions{}, nullptr);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->from_bodies);
  EXPECT_FALSE(again->read_again);
  EXPECT_EQ(again->candidates, 0);
  EXPECT_EQ(DerivedRows(*conn_), before);
}

TEST_P(ResolverTest, AStoreWhoseReportsWereNeverLinkedIsLinkedFromTheBodies) {
  // As in a store from before linking: reports without mention rows, and no
  // record of the rules the rows follow.
  const int64_t r1 = AddReport(Reported(R"({"emails":["old@example.com"]})"), {}, "2026-11-01T10:00:00.000Z", false);
  const int64_t r2 = AddReport(Reported(R"({"emails":["Old@Example.com"],"phones":["07700 900555"]})"), {},
                               "2026-11-02T10:00:00.000Z", false);
  ASSERT_TRUE(conn_->Exec("DELETE FROM store_meta WHERE key = 'link_rules'", {}).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM report_persons"), 0);
  auto first = Rebuild(*conn_, LinkOptions{}, nullptr);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->from_bodies);
  EXPECT_EQ(PersonOf(r1), PersonOf(r2));
  EXPECT_EQ(Count("SELECT count(*) FROM mention_identifiers WHERE position IS NULL"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM store_meta WHERE key = 'link_rules' AND value = '1'"), 1);
  // From now on the stored rows are read, and give the same persons.
  const auto persons = Persons();
  auto second = Rebuild(*conn_, LinkOptions{}, nullptr);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(second->from_bodies);
  EXPECT_EQ(Persons(), persons);
}

TEST_P(ResolverTest, ReportsStoredDuringARebuildAreLinkedByIt) {
  const int64_t r1 = Add(Reported(R"({"emails":["late@example.com"]})"));
  int64_t r2 = 0;
  RebuildOptions concurrent;
  concurrent.after_read = [&]() -> Status {
    // Stored (and, as intake would, linked) after the rebuild read the reports.
    r2 = Add(Reported(R"({"emails":["Late@Example.com"],"phones":["07700 900777"]})"), {std::string(32, 'c')});
    return Status::Ok();
  };
  auto stats = Rebuild(*conn_, LinkOptions{}, nullptr, concurrent);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_TRUE(stats->read_again);
  EXPECT_EQ(stats->reports, 2);
  EXPECT_EQ(PersonOf(r1), PersonOf(r2));
  EXPECT_EQ(Count("SELECT count(*) FROM bundle_reports"), 1);
  auto found = FindPersons(*conn_, "phone:07700900777");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<int64_t>{PersonOf(r1)});
  const auto after = Persons();
  RebuildOk();
  EXPECT_EQ(Persons(), after);
}

SG_INSTANTIATE_BACKENDS(ResolverTest);

}  // namespace
}  // namespace sg::linking
