// ReportStore on SQLite and PostgreSQL (store/test_backends.h): ingest and
// read back, matching at intake, idempotency, group-commit atomicity,
// paging, owners and the audit trail.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <boost/json.hpp>

#include "intake/report_parser.h"
#include "intake/report_store.h"
#include "matching/list_store.h"
#include "matching/matcher.h"
#include "store/audit.h"
#include "store/migrations.h"
#include "../store/test_backends.h"

namespace sg::intake {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using store::testing::Backend;

// Hashes of no real file: made-up hex for the tests.
const std::string kListedMd5 = "0123456789abcdef0123456789abcdef";
const std::string kListedSha256 = std::string(64, 'a');
const std::string kListedPdq = std::string(60, 'f') + "0000";
const std::string kOtherMd5 = std::string(32, '9');

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Report Parse(std::string_view text) {
  auto r = ParseReport(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Report{};
}

// A small synthetic report; `files` is the JSON text of its files array.
Report MakeReport(std::string_view incident_type, std::string files, std::string summary = "synthetic test report") {
  return Parse(fmt::format(R"({{"source": "industry", "incident_type": "{}", "summary": "{}", "files": {}}})",
                           incident_type, summary, files));
}

IngestRequest Request(Report r, std::string key = "", std::string owner = "token:7") {
  IngestRequest req;
  req.report = std::move(r);
  req.idempotency_key = std::move(key);
  req.owner = std::move(owner);
  req.actor = "token:acme-api";
  req.address = "192.0.2.10";
  req.channel = std::string(kChannelApi);
  return req;
}

class ReportStoreTest : public store::testing::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    dir_ = fs::temp_directory_path() /
           fmt::format("sg-report-store-{}-{}", ::getpid(), ::testing::UnitTest::GetInstance()->random_seed());
    fs::remove_all(dir_);
    // One list with an MD5 (category A), a SHA-256 and a PDQ entry.
    matching::ListStore lists(*conn_);
    auto src = matching::LineSource::FromString(
        "uk.csv", "md5,sha256,pdq,category,series\n" + kListedMd5 + ",,,A,series-1\n," + kListedSha256 +
                      ",,B,\n,," + kListedPdq + ",C,\n");
    matching::ImportOptions o;
    o.name = "uk-list";
    o.format = matching::ListFormat::kCsv;
    o.scheme = matching::Scheme::kUk;
    auto imported = lists.Import(o, *src);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    auto m = matching::Matcher::Open(*conn_, dir_);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    matcher_ = std::move(m).value();
    store_ = std::make_unique<ReportStore>(*conn_, matcher_.get());
  }
  void TearDown() override {
    store_.reset();
    matcher_.reset();
    MigratedStoreTest::TearDown();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  int64_t Count(const std::string& table) {
    auto q = conn_->Prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(q.ok());
    EXPECT_TRUE((*q)->Bind({}).ok());
    auto row = (*q)->Step();
    EXPECT_TRUE(row.ok() && *row);
    return (*q)->Int(0);
  }

  IngestOutcome MustIngest(IngestRequest req) {
    auto r = store_->Ingest(std::move(req));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : IngestOutcome{};
  }

  fs::path dir_;
  std::unique_ptr<matching::Matcher> matcher_;
  std::unique_ptr<ReportStore> store_;
};
SG_INSTANTIATE_BACKENDS(ReportStoreTest);

TEST_P(ReportStoreTest, EveryValidFixtureRoundTripsThroughGet) {
  const fs::path dir = fs::path(SG_TEST_DATA_DIR) / "intake" / "valid";
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir)) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  ASSERT_FALSE(paths.empty());
  for (const fs::path& p : paths) {
    SCOPED_TRACE(p.filename().string());
    Report report = Parse(ReadAll(p));
    IngestOutcome out = MustIngest(Request(report));
    EXPECT_TRUE(out.created);
    auto got = store_->Get(out.id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ((*got)["id"].as_int64(), out.id);
    EXPECT_EQ((*got)["channel"].as_string(), "api");
    EXPECT_TRUE((*got)["received_at"].is_string());
    EXPECT_TRUE((*got)["matches"].is_array());
    // Without the added keys it is the canonical report, which parses back
    // to the same report.
    json::object body = *got;
    for (const char* k : {"id", "received_at", "channel", "priority", "matches"}) EXPECT_EQ(body.erase(k), 1u) << k;
    EXPECT_EQ(body, ReportToJson(report));
    EXPECT_EQ(Parse(json::serialize(body)), report);
    auto owner = store_->OwnerOf(out.id);
    ASSERT_TRUE(owner.ok());
    EXPECT_EQ(*owner, "token:7");
  }
  EXPECT_EQ(Count("reports"), static_cast<int64_t>(paths.size()));
  EXPECT_EQ(store_->Get(9999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->OwnerOf(9999).status().code(), StatusCode::kNotFound);
}

// Bundles read each match's report time from report_matches, not from the
// report's row: the incident time, else the time it was received.
TEST_P(ReportStoreTest, EachMatchCarriesItsReportsTime) {
  IngestOutcome received = MustIngest(Request(MakeReport("csam", fmt::format(R"([{{"md5": "{}"}}])", kListedMd5))));
  Report dated = Parse(fmt::format(R"({{"source": "industry", "incident_type": "csam", "summary": "dated",)"
                                   R"( "incident_time": "2026-03-01T01:30:00+01:00", "files": [{{"md5": "{}"}},)"
                                   R"( {{"sha256": "{}"}}]}})",
                                   kListedMd5, kListedSha256));
  IngestOutcome incident = MustIngest(Request(dated));
  ASSERT_EQ(received.matches, 1u);
  ASSERT_EQ(incident.matches, 2u);
  EXPECT_EQ(Count(fmt::format("report_matches m JOIN reports r ON r.id = m.report_id WHERE m.report_id = {}"
                              " AND m.report_time = r.received_at", received.id)), 1);
  EXPECT_EQ(Count(fmt::format("report_matches WHERE report_id = {} AND report_time = '2026-03-01T00:30:00.000Z'",
                              incident.id)), 2);
  EXPECT_EQ(Count("report_matches WHERE report_time IS NULL"), 0);
}

TEST_P(ReportStoreTest, MatchesAreStoredWithTheReportAndSetThePriority) {
  // File 0 matches by MD5, file 1 matches nothing, file 2 by SHA-256 and by
  // PDQ 3 bits away (no quality: no gating).
  std::string near_pdq = kListedPdq;
  near_pdq[63] = '7';  // 0 -> 7: three bits
  Report r = MakeReport("csam", fmt::format(R"([{{"md5": "{}"}}, {{"md5": "{}"}}, {{"sha256": "{}", "pdq": "{}"}}])",
                                            kListedMd5, kOtherMd5, kListedSha256, near_pdq));
  IngestOutcome out = MustIngest(Request(r));
  EXPECT_EQ(out.matches, 3u);
  auto got = store_->Get(out.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ((*got)["priority"].as_string(), "high");
  const json::array& m = (*got)["matches"].as_array();
  ASSERT_EQ(m.size(), 3u) << json::serialize(m);
  EXPECT_EQ(m[0], json::parse(fmt::format(R"({{"file_index": 0, "list": "uk-list", "kind": "md5", "hash": "{}",)"
                                          R"( "distance": 0, "category": "A", "series": "series-1"}})", kListedMd5)));
  EXPECT_EQ(m[1].at("file_index"), 2);
  EXPECT_EQ(m[1].at("kind"), "sha256");
  EXPECT_EQ(m[1].at("category"), "B");
  EXPECT_TRUE(m[1].at("series").is_null());
  EXPECT_EQ(m[2].at("kind"), "pdq");
  EXPECT_EQ(m[2].at("hash").as_string(), kListedPdq);
  EXPECT_EQ(m[2].at("distance"), 3);
  EXPECT_EQ(Count("report_files"), 3);
  EXPECT_EQ(Count("report_matches"), 3);

  // Priority: immediate danger first; a match only raises csam and
  // enticement; nothing matched is normal.
  Report danger = MakeReport("other", fmt::format(R"([{{"md5": "{}"}}])", kOtherMd5));
  danger.immediate_danger = true;
  EXPECT_EQ(store_->Get(MustIngest(Request(danger)).id)->at("priority"), "top");
  Report sextortion = MakeReport("sextortion", fmt::format(R"([{{"md5": "{}"}}])", kListedMd5));
  IngestOutcome s = MustIngest(Request(sextortion));
  EXPECT_EQ(s.matches, 1u);
  EXPECT_EQ(store_->Get(s.id)->at("priority"), "normal");
  Report unmatched = MakeReport("csam", fmt::format(R"([{{"md5": "{}"}}])", kOtherMd5));
  EXPECT_EQ(store_->Get(MustIngest(Request(unmatched)).id)->at("priority"), "normal");
}

TEST_P(ReportStoreTest, WithoutAMatcherNothingIsMatched) {
  ReportStore plain(*conn_, nullptr);
  auto out = plain.Ingest(Request(MakeReport("csam", fmt::format(R"([{{"md5": "{}"}}])", kListedMd5))));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->matches, 0u);
  EXPECT_TRUE(plain.Get(out->id)->at("matches").as_array().empty());
}

TEST_P(ReportStoreTest, AListChangedAfterOpeningIsUsedByTheNextBatch) {
  Report r = MakeReport("csam", fmt::format(R"([{{"md5": "{}"}}])", kOtherMd5));
  EXPECT_EQ(MustIngest(Request(r)).matches, 0u);
  // Another connection (another process, in life) adds the hash to a list.
  if (GetParam() == Backend::kSqlite) {
    matching::ListStore lists(*conn_);
    auto src = matching::LineSource::FromString("more.txt", kOtherMd5 + "\n");
    ASSERT_TRUE(lists.Import({"more", "", matching::ListFormat::kMd5, std::nullopt}, *src).ok());
  } else {
    auto other = db_->Open();
    ASSERT_TRUE(other.ok());
    matching::ListStore lists(**other);
    auto src = matching::LineSource::FromString("more.txt", kOtherMd5 + "\n");
    ASSERT_TRUE(lists.Import({"more", "", matching::ListFormat::kMd5, std::nullopt}, *src).ok());
  }
  EXPECT_EQ(MustIngest(Request(r)).matches, 1u);
}

TEST_P(ReportStoreTest, AnIdempotencyKeyReplayReturnsTheSameIdAndStoresNothing) {
  Report r = MakeReport("csam", fmt::format(R"([{{"md5": "{}"}}])", kListedMd5));
  IngestOutcome first = MustIngest(Request(r, "key-1"));
  EXPECT_TRUE(first.created);
  const int64_t audits = Count("audit_log");
  IngestOutcome again = MustIngest(Request(r, "key-1"));
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.matches, 1u);
  EXPECT_EQ(Count("reports"), 1);
  EXPECT_EQ(Count("report_files"), 1);
  EXPECT_EQ(Count("report_matches"), 1);
  EXPECT_EQ(Count("audit_log"), audits) << "a replay creates and reads nothing";
  // The same body written differently (whitespace, key order, hex case) is
  // the same request: the canonical forms are compared.
  std::string upper = kListedMd5;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string text = fmt::format(R"({{ "files": [{{"md5": "{}"}}], "summary": "synthetic test report",)"
                                 R"(  "incident_type": "csam", "source": "industry" }})", upper);
  EXPECT_EQ(MustIngest(Request(Parse(text), "key-1")).id, first.id);
  // Keys belong to their owner: another owner's same key is a new report.
  IngestOutcome other = MustIngest(Request(r, "key-1", "token:8"));
  EXPECT_TRUE(other.created);
  EXPECT_NE(other.id, first.id);
  // No key: every request is a new report.
  EXPECT_NE(MustIngest(Request(r)).id, MustIngest(Request(r)).id);
  EXPECT_EQ(Count("reports"), 4);
}

TEST_P(ReportStoreTest, ABodyPreparedBeforeTheBatchIsStoredAsOneMadeInIt) {
  // The server prepares the canonical body on its I/O threads
  // (PrepareCanonicalBody); the stored report and the replay check are the
  // same as when IngestBatch makes it.
  Report r = MakeReport("csam", fmt::format(R"([{{"md5": "{}"}}])", kListedMd5));
  IngestRequest prepared = Request(r, "key-p");
  PrepareCanonicalBody(prepared);
  EXPECT_EQ(prepared.canonical_body, boost::json::serialize(ReportToJson(r)));
  EXPECT_EQ(prepared.canonical_sha256.size(), 64u);
  IngestOutcome first = MustIngest(std::move(prepared));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.matches, 1u);
  IngestOutcome again = MustIngest(Request(r, "key-p"));  // not prepared: made in the batch
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.id, first.id);
  auto got = store_->Get(first.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->at("summary"), ReportToJson(r).at("summary"));
  EXPECT_EQ(Count("reports"), 1);
}

TEST_P(ReportStoreTest, AKeyReusedForADifferentReportIsRefused) {
  IngestOutcome first = MustIngest(Request(MakeReport("csam", "[]", "first"), "key-2"));
  auto second = store_->Ingest(Request(MakeReport("csam", "[]", "second"), "key-2"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(second.status().message().find("was used for a different report"), std::string::npos)
      << second.status().message();
  EXPECT_EQ(Count("reports"), 1);
  EXPECT_EQ(store_->Get(first.id)->at("summary"), "first");
}

TEST_P(ReportStoreTest, ABatchIsOneTransactionWithIndependentItems) {
  std::vector<IngestRequest> batch;
  batch.push_back(Request(MakeReport("csam", "[]", "a"), "k-a"));
  batch.push_back(Request(MakeReport("csam", "[]", "b"), "k-a"));  // same key, other body: refused
  batch.push_back(Request(MakeReport("csam", "[]", "a"), "k-a"));  // replay of the first, in the same batch
  IngestRequest bad_channel = Request(MakeReport("other", "[]", "c"));
  bad_channel.channel = "fax";
  batch.push_back(std::move(bad_channel));
  batch.push_back(Request(MakeReport("other", fmt::format(R"([{{"md5": "{}"}}])", kListedMd5), "d")));
  auto results = store_->IngestBatch(batch);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), 5u);
  ASSERT_TRUE((*results)[0].ok());
  EXPECT_TRUE((*results)[0]->created);
  EXPECT_EQ((*results)[1].status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE((*results)[2].ok());
  EXPECT_FALSE((*results)[2]->created);
  EXPECT_EQ((*results)[2]->id, (*results)[0]->id);
  EXPECT_EQ((*results)[3].status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE((*results)[4].ok());
  EXPECT_GT((*results)[4]->id, (*results)[0]->id);
  EXPECT_EQ((*results)[4]->matches, 1u);
  EXPECT_EQ(Count("reports"), 2);
}

TEST_P(ReportStoreTest, AFailedTransactionStoresNothingOfTheBatch) {
  MustIngest(Request(MakeReport("csam", "[]", "before")));
  // Make the last write of the batch fail inside the transaction: a CHECK
  // on idempotency_keys refuses one owner (SQLite cannot add a constraint
  // to a table, so there the table is swapped for one that has it).
  if (GetParam() == Backend::kPostgres) {
    ASSERT_TRUE(conn_->ExecScript(
        "ALTER TABLE idempotency_keys ADD CONSTRAINT refuse_one CHECK (owner <> 'token:fail')").ok());
  } else {
    ASSERT_TRUE(conn_->ExecScript("ALTER TABLE idempotency_keys RENAME TO idempotency_keys_gone").ok());
    ASSERT_TRUE(conn_->ExecScript(
        "CREATE TABLE idempotency_keys (owner TEXT, key TEXT, request_sha256 TEXT, report_id INTEGER,"
        " created_at TEXT, CHECK (owner <> 'token:fail'))").ok());
  }
  std::vector<IngestRequest> batch;
  batch.push_back(Request(MakeReport("csam", fmt::format(R"([{{"md5": "{}"}}])", kListedMd5), "x")));
  batch.push_back(Request(MakeReport("csam", "[]", "y"), "k1"));
  batch.push_back(Request(MakeReport("csam", "[]", "z"), "k2", "token:fail"));
  const int64_t audits = Count("audit_log");
  auto results = store_->IngestBatch(batch);
  ASSERT_FALSE(results.ok());
  EXPECT_EQ(Count("reports"), 1);
  EXPECT_EQ(Count("report_files"), 0);
  EXPECT_EQ(Count("report_matches"), 0);
  EXPECT_EQ(Count("idempotency_keys"), 0);
  EXPECT_EQ(Count("audit_log"), audits);
  // The connection is usable afterwards and the next batch commits.
  auto after = store_->Ingest(Request(MakeReport("csam", "[]", "after"), "k3"));
  EXPECT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(Count("reports"), 2);
  auto v = store::VerifyAudit(*conn_);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->first_bad_id.has_value()) << v->reason;
}

// Two processes (here: two connections on two threads) retrying the same
// keyed requests at once store each report once, and both get its id.
TEST_P(ReportStoreTest, ConcurrentRetriesWithOneKeyStoreOneReport) {
  fs::path file;
  auto open = [&]() -> Result<std::unique_ptr<store::Connection>> {
    if (GetParam() == Backend::kPostgres) return db_->Open();
    return store::OpenSqlite(file);  // in memory cannot be shared: a file
  };
  if (GetParam() == Backend::kSqlite) {
    fs::create_directories(dir_);
    file = dir_ / "shared.db";
    auto c = open();
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_TRUE(store::Migrate(**c).ok());
  }
  constexpr int kKeys = 20;
  std::vector<int64_t> ids[2];
  std::string errors[2];
  auto worker = [&](int w) {
    auto c = open();
    if (!c.ok()) {
      errors[w] = c.status().ToString();
      return;
    }
    ReportStore reports(**c, nullptr);
    for (int k = 0; k < kKeys; ++k) {
      auto r = reports.Ingest(Request(MakeReport("other", "[]", fmt::format("retried {}", k)),
                                      fmt::format("retry-{}", k)));
      if (!r.ok()) {
        errors[w] = r.status().ToString();
        return;
      }
      ids[w].push_back(r->id);
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  ASSERT_EQ(errors[0], "");
  ASSERT_EQ(errors[1], "");
  EXPECT_EQ(ids[0], ids[1]);
  std::set<int64_t> distinct(ids[0].begin(), ids[0].end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kKeys));
  if (GetParam() == Backend::kPostgres) {
    EXPECT_EQ(Count("reports"), kKeys);
  }
}

TEST_P(ReportStoreTest, ListPagesByIdAndFiltersByOwner) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 7; ++i) {
    Report r = MakeReport("csam", i % 2 == 0 ? fmt::format(R"([{{"md5": "{}"}}])", kListedMd5) : "[]",
                          fmt::format("report {}", i));
    ids.push_back(MustIngest(Request(r, "", i < 4 ? "token:7" : "user:3")).id);
  }
  std::vector<int64_t> seen;
  int64_t after = 0;
  int pages = 0;
  while (true) {
    auto page = store_->List(after, 3, std::nullopt);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (page->empty()) break;
    ++pages;
    EXPECT_LE(page->size(), 3u);
    for (const json::value& v : *page) {
      const int64_t id = v.at("id").as_int64();
      seen.push_back(id);
      // Each item is what Get returns, matches included.
      EXPECT_EQ(v.as_object(), *store_->Get(id));
      const size_t i = seen.size() - 1;
      EXPECT_EQ(v.at("matches").as_array().size(), i % 2 == 0 ? 1u : 0u) << id;
    }
    after = seen.back();
  }
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(pages, 3);
  auto mine = store_->List(0, 100, std::string("user:3"));
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 3u);
  EXPECT_EQ(mine->at(0).at("id").as_int64(), ids[4]);
  EXPECT_EQ(mine->at(0).at("matches").as_array().size(), 1u);
  EXPECT_EQ(mine->at(1).at("matches").as_array().size(), 0u);
  auto from_middle = store_->List(ids[1], 2, std::string("token:7"));
  ASSERT_TRUE(from_middle.ok());
  ASSERT_EQ(from_middle->size(), 2u);
  EXPECT_EQ(from_middle->at(1).at("id").as_int64(), ids[3]);
  EXPECT_TRUE(store_->List(0, 10, std::string("token:999"))->empty());
  EXPECT_EQ(store_->List(0, 0, std::nullopt).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->List(0, kMaxListLimit + 1, std::nullopt).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(ReportStoreTest, CreationsAndReadsAreAuditedAndTheChainVerifies) {
  IngestOutcome a = MustIngest(Request(MakeReport("csam", "[]", "a")));
  IngestOutcome b = MustIngest(Request(MakeReport("csam", "[]", "b")));
  ASSERT_TRUE(store_->AuditRead({a.id, b.id}, "user:analyst", "198.51.100.4").ok());
  auto q = conn_->Prepare("SELECT actor, action, object_type, object_id, address FROM audit_log ORDER BY id");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_TRUE((*q)->Bind({}).ok());
  std::vector<std::string> rows;
  while (*(*q)->Step()) {
    rows.push_back(fmt::format("{} {} {} {} {}", (*q)->Text(0), (*q)->Text(1), (*q)->Text(2), (*q)->Text(3),
                               (*q)->Text(4)));
  }
  q->reset();
  EXPECT_EQ(rows, (std::vector<std::string>{
                      fmt::format("token:acme-api report.create report {} 192.0.2.10", a.id),
                      fmt::format("token:acme-api report.create report {} 192.0.2.10", b.id),
                      fmt::format("user:analyst report.read report {} 198.51.100.4", a.id),
                      fmt::format("user:analyst report.read report {} 198.51.100.4", b.id),
                  }));
  auto v = store::VerifyAudit(*conn_);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->entries, 4);
  EXPECT_FALSE(v->first_bad_id.has_value()) << v->reason;
}

}  // namespace
}  // namespace sg::intake
