#include "linking/report_facts.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "linking/rebuild_model.h"  // SingleInt
#include "store/row_inserter.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

constexpr const char* kInsert = "INSERT INTO report_facts (report_id, time, immediate_danger, victim_ages, grp)";

// Recorded once every report has its row (schema step 11 on an empty store
// records it too): FillMissingReportFacts is then one lookup.
constexpr const char* kMarkComplete =
    "INSERT INTO store_meta (key, value) VALUES ('report_facts', 'complete') ON CONFLICT DO NOTHING";

std::vector<store::Value> Values(const ReportFactsRow& r) {
  return {r.report_id, r.time, int64_t{r.immediate_danger ? 1 : 0}, store::Nullable(r.victim_ages), store::Nullable(r.group)};
}

std::optional<std::string> AgesJson(const std::vector<std::pair<int, int>>& ages) {
  if (ages.empty()) return std::nullopt;
  json::array out;
  for (const auto& [index, age] : ages) out.push_back(json::array{index, age});
  return json::serialize(out);
}

}  // namespace

ReportFactsRow FactsOf(const ReportInput& in) {
  std::vector<std::pair<int, int>> ages;
  for (const Mention& m : in.mentions) {
    if (m.role == kRoleVictim && m.approximate_age) ages.emplace_back(m.index, *m.approximate_age);
  }
  return {in.report_id, in.time, in.immediate_danger, AgesJson(ages), in.group};
}

Result<ReportFactsRow> FactsFromJson(int64_t report_id, const json::object& body, const std::string& received_at) {
  ReportInput in;
  in.report_id = report_id;
  ReadReportHeader(body, received_at, in);
  std::vector<std::pair<int, int>> ages;
  if (const json::value* victims = body.if_contains("victims"); victims != nullptr && !victims->is_null()) {
    if (!victims->is_array()) return InvalidArgument(fmt::format("report {}: victims is not an array", report_id));
    const json::array& items = victims->as_array();
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_object()) return InvalidArgument(fmt::format("report {}: victims[{}]: not an object", report_id, i));
      if (auto age = ApproximateAge(items[i].as_object())) ages.emplace_back(static_cast<int>(i), *age);
    }
  }
  return ReportFactsRow{report_id, in.time, in.immediate_danger, AgesJson(ages), in.group};
}

Result<ReportFactsRow> FactsOfStoredRow(const store::Statement& row) {
  const int64_t report_id = row.Int(0);
  boost::system::error_code ec;
  json::value parsed = json::parse(row.TextView(2), ec);
  if (ec || !parsed.is_object()) return DataLoss(fmt::format("report {}: the stored body is not a JSON object", report_id));
  Result<ReportFactsRow> f = FactsFromJson(report_id, parsed.as_object(), row.Text(1));
  if (!f.ok()) return DataLoss(fmt::format("the stored body of {}", f.status().message()));
  f->time = row.Text(3);
  f->immediate_danger = row.Int(4) != 0;
  return f;
}

Status WriteReportFacts(PersonWrites& w, const ReportInput& in) {
  return w.Exec(std::string(kInsert) + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", Values(FactsOf(in)));
}

Status RewriteReportFacts(PersonWrites& w, int64_t up_to, const std::vector<ReportFactsRow>& rows) {
  SG_RETURN_IF_ERROR(w.Exec("DELETE FROM report_facts WHERE report_id <= ?", {up_to}));
  store::RowInserter insert(w.connection(), kInsert, 5, "", 100);
  for (const ReportFactsRow& r : rows) SG_RETURN_IF_ERROR(insert.Add(Values(r)));
  SG_RETURN_IF_ERROR(insert.Flush());
  // Reports after up_to were stored by this build's intake, with their rows.
  return w.Exec(kMarkComplete, {});
}

Result<int64_t> FillMissingReportFacts(store::Connection& conn, size_t chunk) {
  SG_ASSIGN_OR_RETURN(const int64_t complete,
                      SingleInt(conn, "SELECT count(*) FROM store_meta WHERE key = 'report_facts' AND value = 'complete'"));
  if (complete > 0) return 0;
  int64_t written = 0, after = 0;
  std::vector<ReportFactsRow> batch;
  while (true) {
    // A chunk read to the end before it is written: PostgreSQL's
    // connection does one statement at a time.
    batch.clear();
    {
      SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(fmt::format(
          "SELECT {} FROM reports r WHERE r.id > ? AND NOT EXISTS (SELECT 1 FROM report_facts f WHERE f.report_id = r.id)"
          " ORDER BY r.id LIMIT ?", kStoredReportColumns)));
      SG_RETURN_IF_ERROR(q->Bind({after, static_cast<int64_t>(chunk)}));
      while (true) {
        SG_ASSIGN_OR_RETURN(bool row, q->Step());
        if (!row) break;
        after = q->Int(0);
        SG_ASSIGN_OR_RETURN(ReportFactsRow f, FactsOfStoredRow(*q));
        batch.push_back(std::move(f));
      }
    }
    if (batch.empty()) {
      // Every report stored from now on gets its row at intake.
      SG_RETURN_IF_ERROR(conn.Exec(kMarkComplete).status());
      return written;
    }
    SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn));
    {
      store::RowInserter insert(conn, kInsert, 5, " ON CONFLICT DO NOTHING", 100);
      for (const ReportFactsRow& r : batch) SG_RETURN_IF_ERROR(insert.Add(Values(r)));
      SG_RETURN_IF_ERROR(insert.Flush());
    }
    SG_RETURN_IF_ERROR(tx.Commit());
    written += static_cast<int64_t>(batch.size());
  }
}

}  // namespace sg::linking
