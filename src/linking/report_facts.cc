#include "linking/report_facts.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "store/row_inserter.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

constexpr const char* kInsert = "INSERT INTO report_facts (report_id, time, immediate_danger, victim_ages, grp)";

store::Value OptionalText(const std::optional<std::string>& s) { return s ? store::Value(*s) : store::Value(); }

std::vector<store::Value> Values(const ReportFactsRow& r) {
  return {r.report_id, r.time, int64_t{r.immediate_danger ? 1 : 0}, OptionalText(r.victim_ages), OptionalText(r.group)};
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

Status WriteReportFacts(PersonWrites& w, const ReportInput& in) {
  return w.Exec(std::string(kInsert) + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", Values(FactsOf(in)));
}

Status RewriteReportFacts(PersonWrites& w, int64_t up_to, const std::vector<ReportFactsRow>& rows) {
  SG_RETURN_IF_ERROR(w.Exec("DELETE FROM report_facts WHERE report_id <= ?", {up_to}));
  store::RowInserter insert(w.connection(), kInsert, 5, "", 100);
  for (const ReportFactsRow& r : rows) SG_RETURN_IF_ERROR(insert.Add(Values(r)));
  return insert.Flush();
}

}  // namespace sg::linking
