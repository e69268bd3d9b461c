#include "linking/persons.h"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "linking/identifiers.h"
#include "linking/person_writes.h"
#include "linking/report_input.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

std::vector<std::string> RolesOf(const std::set<std::string>& roles) {
  std::vector<std::string> out;
  for (std::string_view r : {kRoleReported, kRoleVictim}) {
    if (roles.count(std::string(r)) != 0) out.emplace_back(r);
  }
  return out;
}

// Pages of persons so that each query is a bounded indexed range scan.
constexpr int64_t kPage = 1000;

}  // namespace

Status ForEachPerson(store::Connection& conn, const std::function<Status(const PersonSummary&)>& fn) {
  int64_t after = 0;
  SG_ASSIGN_OR_RETURN(auto page_q, conn.Prepare(
      "SELECT id FROM persons WHERE id > ? AND merged_into IS NULL ORDER BY id LIMIT ?"));
  SG_ASSIGN_OR_RETURN(auto ident_q, conn.Prepare(
      "SELECT person_id, kind, value FROM person_identifiers WHERE person_id >= ? AND person_id <= ?"));
  SG_ASSIGN_OR_RETURN(auto report_q, conn.Prepare(
      "SELECT person_id, report_id, role FROM report_persons WHERE person_id >= ? AND person_id <= ?"));
  while (true) {
    std::map<int64_t, PersonSummary> page;
    std::map<int64_t, std::set<std::string>> roles;
    SG_RETURN_IF_ERROR(page_q->Bind({after, kPage}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, page_q->Step());
      if (!row) break;
      page[page_q->Int(0)].id = page_q->Int(0);
    }
    if (page.empty()) return Status::Ok();
    const int64_t lo = page.begin()->first, hi = page.rbegin()->first;
    SG_RETURN_IF_ERROR(ident_q->Bind({lo, hi}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, ident_q->Step());
      if (!row) break;
      auto it = page.find(ident_q->Int(0));
      if (it != page.end()) it->second.identifiers.push_back(ident_q->Text(1) + ":" + ident_q->Text(2));
    }
    SG_RETURN_IF_ERROR(report_q->Bind({lo, hi}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, report_q->Step());
      if (!row) break;
      auto it = page.find(report_q->Int(0));
      if (it == page.end()) continue;
      it->second.report_ids.push_back(report_q->Int(1));
      roles[it->first].insert(report_q->Text(2));
    }
    for (auto& [id, p] : page) {
      std::sort(p.identifiers.begin(), p.identifiers.end());
      std::sort(p.report_ids.begin(), p.report_ids.end());
      p.report_ids.erase(std::unique(p.report_ids.begin(), p.report_ids.end()), p.report_ids.end());
      p.roles = RolesOf(roles[id]);
      SG_RETURN_IF_ERROR(fn(p));
    }
    after = hi;
  }
}

Result<json::object> PersonDetail(store::Connection& conn, int64_t requested) {
  PersonWrites w(conn);
  SG_ASSIGN_OR_RETURN(const int64_t id, w.Live(requested));
  json::object out;
  out["id"] = id;
  if (id != requested) out["requested_id"] = requested;
  // Identifiers with the reports (of this person) that carried them.
  std::map<std::string, std::set<int64_t>> evidence;
  std::set<int64_t> reports;
  std::set<std::string> roles;
  json::array mentions;
  {
    bool row = false;
    SG_ASSIGN_OR_RETURN(store::Statement * q, w.Row(
        "SELECT report_id, role, person_index FROM report_persons WHERE person_id = ? ORDER BY report_id, role,"
        " person_index", {id}, &row));
    while (row) {
      reports.insert(q->Int(0));
      roles.insert(q->Text(1));
      mentions.push_back(json::object{{"report_id", q->Int(0)}, {"role", q->Text(1)}, {"index", q->Int(2)}});
      SG_ASSIGN_OR_RETURN(row, q->Step());
    }
    SG_ASSIGN_OR_RETURN(q, w.Row("SELECT kind, value FROM person_identifiers WHERE person_id = ?", {id}, &row));
    while (row) {
      evidence[q->Text(0) + ":" + q->Text(1)];
      SG_ASSIGN_OR_RETURN(row, q->Step());
    }
    SG_ASSIGN_OR_RETURN(q, w.Row(
        "SELECT mi.kind, mi.value, mi.report_id FROM report_persons rp JOIN mention_identifiers mi"
        " ON mi.report_id = rp.report_id AND mi.role = rp.role AND mi.person_index = rp.person_index"
        " WHERE rp.person_id = ?", {id}, &row));
    while (row) {
      evidence[q->Text(0) + ":" + q->Text(1)].insert(q->Int(2));
      SG_ASSIGN_OR_RETURN(row, q->Step());
    }
  }
  json::array identifiers, links;
  for (const auto& [text, ids] : evidence) {
    const auto kind = KindFromName(text.substr(0, text.find(':')));
    const bool strong = kind && IsStrong(*kind);
    json::array r(ids.begin(), ids.end());
    identifiers.push_back(json::object{{"identifier", text}, {"strong", strong}, {"report_ids", r}});
    if (strong && ids.size() >= 2) links.push_back(json::object{{"identifier", text}, {"report_ids", r}});
  }
  out["identifiers"] = std::move(identifiers);
  out["report_ids"] = json::array(reports.begin(), reports.end());
  json::array role_list;
  for (const std::string& r : RolesOf(roles)) role_list.push_back(json::string(r));
  out["roles"] = std::move(role_list);
  out["mentions"] = std::move(mentions);
  out["links"] = std::move(links);
  json::array candidates;
  {
    bool row = false;
    SG_ASSIGN_OR_RETURN(store::Statement * q, w.Row(
        "SELECT id, person_a, person_b, kind, value, score, status, report_a, report_b FROM link_candidates"
        " WHERE (person_a = ? OR person_b = ?) AND person_a <> person_b ORDER BY id", {id, id}, &row));
    while (row) {
      const int64_t other = q->Int(1) == id ? q->Int(2) : q->Int(1);
      candidates.push_back(json::object{{"id", q->Int(0)}, {"person_id", other}, {"kind", q->Text(3)},
                                        {"value", q->Text(4)}, {"score", q->Real(5)}, {"status", q->Text(6)},
                                        {"report_ids", json::array{q->Int(7), q->Int(8)}}});
      SG_ASSIGN_OR_RETURN(row, q->Step());
    }
  }
  out["candidates"] = std::move(candidates);
  json::array splits;
  {
    bool row = false;
    SG_ASSIGN_OR_RETURN(store::Statement * q, w.Row(
        "SELECT decision_id FROM person_split_tags WHERE person_id = ? ORDER BY decision_id", {id}, &row));
    while (row) {
      splits.push_back(q->Int(0));
      SG_ASSIGN_OR_RETURN(row, q->Step());
    }
  }
  out["split_decisions"] = std::move(splits);
  return out;
}

Result<std::vector<int64_t>> FindPersons(store::Connection& conn, const std::string& query) {
  std::vector<Identifier> tries;
  if (auto id = ParseIdentifierText(query); id.ok()) {
    tries.push_back(*id);
  } else {
    for (IdentifierKind k : {IdentifierKind::kEmail, IdentifierKind::kPhone, IdentifierKind::kProfileUrl,
                             IdentifierKind::kDeviceId, IdentifierKind::kIp, IdentifierKind::kDisplayName}) {
      if (auto v = Normalise(k, query); v.ok()) tries.push_back({k, *v});
    }
    for (const std::string& platform : KnownPlatforms()) {
      if (auto v = NormaliseScreenName(platform, query); v.ok()) tries.push_back({IdentifierKind::kScreenName, *v});
    }
  }
  if (tries.empty()) return InvalidArgument(fmt::format("value '{}' is no identifier of any kind", query));
  return PersonsHolding(conn, tries);
}

Result<std::vector<int64_t>> PersonsWithScreenName(store::Connection& conn, std::string_view platform,
                                                   std::string_view name) {
  std::vector<Identifier> tries;
  const std::vector<std::string> platforms =
      platform.empty() ? KnownPlatforms() : std::vector<std::string>{std::string(platform)};
  for (const std::string& p : platforms) {
    if (auto v = NormaliseScreenName(p, name); v.ok()) tries.push_back({IdentifierKind::kScreenName, *v});
  }
  if (tries.empty()) return std::vector<int64_t>{};
  return PersonsHolding(conn, tries);
}

Result<std::vector<int64_t>> PersonsHolding(store::Connection& conn, const std::vector<Identifier>& tries) {
  std::set<int64_t> found;
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(
      "SELECT person_id FROM person_identifiers WHERE kind = ? AND value = ? ORDER BY person_id LIMIT 1000"));
  for (const Identifier& id : tries) {
    SG_RETURN_IF_ERROR(q->Bind({std::string(KindName(id.kind)), id.value}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      found.insert(q->Int(0));
    }
  }
  return std::vector<int64_t>(found.begin(), found.end());
}

}  // namespace sg::linking
