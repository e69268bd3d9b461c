// The networks' store edge on SQLite and PostgreSQL: LoadGraphInput reads
// the persons of each report (report_persons, as entity resolution leaves
// them) and the report facts the risk needs: from report_facts, or for a
// report without a row there, from its columns and body.
#include <gtest/gtest.h>

#include <algorithm>

#include "linking/network_source.h"
#include "../store/test_backends.h"

namespace sg::linking {
namespace {

class NetworkStoreTest : public store::testing::MigratedStoreTest {
 protected:
  int64_t AddReport(const std::string& body, bool danger, std::optional<std::string> incident_time) {
    auto q = conn_->Prepare(
        "INSERT INTO reports (received_at, channel, owner, source, incident_type, incident_time, immediate_danger, "
        "priority, body, body_sha256) VALUES ('2026-11-01T10:00:00.000Z', 'import', 'cli:test', 'industry', "
        "'other', ?, ?, 'normal', ?, '') RETURNING id");
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    EXPECT_TRUE((*q)->Bind({store::Nullable(incident_time), int64_t{danger ? 1 : 0}, body}).ok());
    auto row = (*q)->Step();
    EXPECT_TRUE(row.ok() && *row);
    const int64_t id = (*q)->Int(0);
    (void)(*q)->Step();
    return id;
  }
  void Mention(int64_t report, const std::string& role, int64_t index, int64_t person) {
    auto r = conn_->Exec("INSERT INTO report_persons (report_id, role, person_index, person_id) VALUES (?, ?, ?, ?)",
                         {report, role, index, person});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  void Exec(const std::string& sql, const std::vector<store::Value>& params) {
    auto r = conn_->Exec(sql, params);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
};

TEST_P(NetworkStoreTest, LoadsPersonsAndFactsOfEachReport) {
  const int64_t r1 = AddReport(
      R"({"source":"industry","incident_type":"online_enticement","platform":"ExampleChat",)"
      R"("reported_people":[{"screen_names":["a"]}],"victims":[{"screen_names":["v"]},{"screen_names":["w"],"approximate_age":11}],)"
      R"("additional_info":"Seen in a community.\nGroup: Night Owls"})",
      true, "2026-10-01T00:00:00.000Z");
  const int64_t r2 = AddReport(
      R"({"source":"industry","incident_type":"csam","platform":"examplechat","reported_people":[{"screen_names":["b"]}],)"
      R"("additional_info":"group: night owls"})",
      false, std::nullopt);
  AddReport(R"({"source":"public","incident_type":"other"})", false, std::nullopt);  // names nobody
  Mention(r1, "reported", 0, 100);
  Mention(r1, "victim", 0, 200);
  Mention(r1, "victim", 1, 201);
  Mention(r2, "reported", 0, 101);
  Exec("INSERT INTO report_files (report_id, file_index, md5, industry_classification) VALUES (?, 0, ?, 'A1')",
       {r2, std::string(32, 'a')});
  Exec("INSERT INTO report_matches (report_id, match_index, file_index, list, kind, hash, distance, category, series) "
       "VALUES (?, 0, 0, 'gen', 'md5', ?, 0, 'B', 'series-k')",
       {r1, std::string(32, 'b')});
  Exec("INSERT INTO report_matches (report_id, match_index, file_index, list, kind, hash, distance, category, series) "
       "VALUES (?, 0, 0, 'gen', 'md5', ?, 0, 'A', 'series-k')",
       {r2, std::string(32, 'a')});

  auto in = LoadGraphInput(*conn_);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  ASSERT_EQ(in->reports.size(), 2u);  // r3 names nobody
  auto& reports = in->reports;
  std::sort(reports.begin(), reports.end(), [](auto& x, auto& y) { return x.report_id < y.report_id; });
  const ReportFacts& f1 = reports[0];
  EXPECT_EQ(f1.report_id, r1);
  EXPECT_EQ(f1.reported, (std::vector<int64_t>{100}));
  ASSERT_EQ(f1.victims.size(), 2u);
  EXPECT_EQ(f1.victims[0].person_id, 200);
  EXPECT_EQ(f1.victims[0].approximate_age, std::nullopt);
  EXPECT_EQ(f1.victims[1].person_id, 201);
  EXPECT_EQ(f1.victims[1].approximate_age, 11);
  EXPECT_TRUE(f1.immediate_danger);
  EXPECT_FALSE(f1.category_a);  // category B
  EXPECT_EQ(f1.series, (std::vector<std::string>{"series-k"}));
  EXPECT_EQ(f1.group, "examplechat/night owls");
  EXPECT_EQ(f1.time_ms, 1790812800000);  // the incident time, not the received time
  const ReportFacts& f2 = reports[1];
  EXPECT_TRUE(f2.category_a);
  EXPECT_EQ(f2.group, "examplechat/night owls");
  EXPECT_EQ(f2.time_ms, 1793527200000);  // received 2026-11-01T10:00Z

  NetworkOptions options;
  options.now_ms = 1793527200000;
  auto a = AnalyseNetworks(*conn_, options);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->networks.size(), 1u);  // 101 joins through the series and the group
  EXPECT_EQ(a->networks[0].person_ids, (std::vector<int64_t>{100, 101, 200, 201}));
  ASSERT_NE(a->Find(100), nullptr);
  EXPECT_EQ(a->Find(101), nullptr);
}

// A report with a report_facts row (linked at intake since schema step 11)
// is read from that row, not from its body or columns; one without a row
// beside it from those.
TEST_P(NetworkStoreTest, AReportsFactsRowIsReadInsteadOfItsBody) {
  const int64_t r1 = AddReport(
      R"({"source":"industry","incident_type":"other","platform":"ExampleChat","reported_people":[{"screen_names":["a"]}],)"
      R"("victims":[{"screen_names":["v"],"approximate_age":15}],"additional_info":"group: body group"})",
      false, std::nullopt);
  const int64_t r2 = AddReport(
      R"({"source":"industry","incident_type":"other","platform":"ExampleChat","reported_people":[{"screen_names":["b"]}],)"
      R"("victims":[{"screen_names":["w"],"approximate_age":14}],"additional_info":"group: body group"})",
      true, std::nullopt);
  Mention(r1, "reported", 0, 100);
  Mention(r1, "victim", 0, 200);
  Mention(r2, "reported", 0, 101);
  Mention(r2, "victim", 0, 201);
  Exec("INSERT INTO report_facts (report_id, time, immediate_danger, victim_ages, grp)"
       " VALUES (?, '2026-10-01T00:00:00.000Z', 1, '[[0,9]]', 'examplechat/facts group')",
       {r1});
  auto in = LoadGraphInput(*conn_);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  ASSERT_EQ(in->reports.size(), 2u);
  auto& reports = in->reports;
  std::sort(reports.begin(), reports.end(), [](auto& x, auto& y) { return x.report_id < y.report_id; });
  EXPECT_TRUE(reports[0].immediate_danger);
  EXPECT_EQ(reports[0].time_ms, 1790812800000);
  EXPECT_EQ(reports[0].victims[0].approximate_age, 9);
  EXPECT_EQ(reports[0].group, "examplechat/facts group");
  EXPECT_TRUE(reports[1].immediate_danger);              // from the column
  EXPECT_EQ(reports[1].time_ms, 1793527200000);          // received_at
  EXPECT_EQ(reports[1].victims[0].approximate_age, 14);  // from the body
  EXPECT_EQ(reports[1].group, "examplechat/body group");

  Exec("UPDATE report_facts SET victim_ages = '[[0]]' WHERE report_id = ?", {r1});
  auto bad = LoadGraphInput(*conn_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("victim_ages"), std::string::npos) << bad.status().message();
}

TEST_P(NetworkStoreTest, AnEmptyStoreHasNoNetworks) {
  NetworkOptions options;
  auto a = AnalyseNetworks(*conn_, options);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(a->networks.empty());
}

SG_INSTANTIATE_BACKENDS(NetworkStoreTest);

}  // namespace
}  // namespace sg::linking
