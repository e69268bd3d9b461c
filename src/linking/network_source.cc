#include "linking/network_source.h"

#include <algorithm>
#include <chrono>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/time.h"
#include "linking/network_chat_source.h"
#include "linking/report_facts.h"
#include "linking/report_input.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

int64_t ToMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

Result<GraphInput> LoadGraphInput(store::Connection& conn) {
  GraphInput in;
  // Report ids ascend in in.reports (the query's order), so a report is
  // found by binary search; a hash map of ten million reports cost more
  // in allocations than the search.
  struct VictimSlot {
    int64_t report, index;  // the mention
    size_t slot;            // its place in the report's victims
  };
  std::vector<VictimSlot> victim_slots;  // in (report, index) order
  {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare("SELECT report_id, role, person_index, person_id FROM report_persons "
                                              "ORDER BY report_id, role, person_index"));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      const int64_t report = st->Int(0);
      if (in.reports.empty() || in.reports.back().report_id != report) {
        in.reports.emplace_back();
        in.reports.back().report_id = report;
      }
      ReportFacts& r = in.reports.back();
      const std::string_view role = st->TextView(1);
      if (role == kRoleReported) {
        r.reported.push_back(st->Int(3));
      } else if (role == kRoleVictim) {
        victim_slots.push_back({report, st->Int(2), r.victims.size()});
        r.victims.push_back({st->Int(3), std::nullopt});
      } else {
        return DataLoss(fmt::format("report_persons: report {} has role '{}' (expected reported or victim)", report, role));
      }
    }
  }
  auto index_of = [&](int64_t report) -> std::optional<size_t> {
    auto it = std::lower_bound(in.reports.begin(), in.reports.end(), report,
                               [](const ReportFacts& r, int64_t id) { return r.report_id < id; });
    if (it == in.reports.end() || it->report_id != report) return std::nullopt;
    return static_cast<size_t>(it - in.reports.begin());
  };
  auto facts = [&](int64_t report) -> ReportFacts* {
    const std::optional<size_t> i = index_of(report);
    return i ? &in.reports[*i] : nullptr;
  };
  // Each report's time, danger, victims' ages and group: from report_facts
  // (report_facts.h), a narrow table; reports stored before schema step 11
  // have no row there and are read from their columns and bodies (one scan
  // of them all, until the next `safeguard link` writes their rows).
  std::vector<bool> has_facts(in.reports.size(), false);
  size_t with_facts = 0;
  auto apply = [&](const ReportFactsRow& f) -> Status {
    const std::optional<size_t> i = index_of(f.report_id);
    if (!i || has_facts[*i]) return Status::Ok();
    ReportFacts& r = in.reports[*i];
    has_facts[*i] = true;
    ++with_facts;
    r.immediate_danger = f.immediate_danger;
    auto t = ParseRfc3339(f.time);
    if (!t.ok()) return DataLoss(fmt::format("report {}: its time '{}': {}", f.report_id, f.time, t.status().message()));
    r.time_ms = ToMs(*t);
    r.group = f.group;
    if (!f.victim_ages) return Status::Ok();
    boost::system::error_code ec;
    const json::value ages = json::parse(*f.victim_ages, ec);
    if (ec || !ages.is_array()) return DataLoss(fmt::format("report_facts: report {}: victim_ages is not a JSON array", f.report_id));
    const auto slots = std::equal_range(victim_slots.begin(), victim_slots.end(), VictimSlot{f.report_id, 0, 0},
                                        [](const VictimSlot& a, const VictimSlot& b) { return a.report < b.report; });
    for (const json::value& pair : ages.as_array()) {
      if (!pair.is_array() || pair.as_array().size() != 2 || !pair.as_array()[0].is_int64() ||
          !pair.as_array()[1].is_int64()) {
        return DataLoss(fmt::format("report_facts: report {}: victim_ages holds {} (expected [index, age])", f.report_id,
                                    json::serialize(pair)));
      }
      for (auto v = slots.first; v != slots.second; ++v) {
        if (v->index == pair.as_array()[0].as_int64()) r.victims[v->slot].approximate_age = static_cast<int>(pair.as_array()[1].as_int64());
      }
    }
    return Status::Ok();
  };
  {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare("SELECT report_id, time, immediate_danger, victim_ages, grp FROM report_facts"));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      SG_RETURN_IF_ERROR(apply({st->Int(0), st->Text(1), st->Int(2) != 0, st->OptText(3), st->OptText(4)}));
    }
  }
  if (with_facts < in.reports.size()) {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare(fmt::format("SELECT {} FROM reports r", kStoredReportColumns)));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      const std::optional<size_t> i = index_of(st->Int(0));
      if (!i || has_facts[*i]) continue;
      SG_ASSIGN_OR_RETURN(ReportFactsRow f, FactsOfStoredRow(*st));
      SG_RETURN_IF_ERROR(apply(f));
    }
  }
  {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare("SELECT DISTINCT report_id FROM report_files "
                                              "WHERE industry_classification IN ('A1', 'A2')"));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      if (ReportFacts* r = facts(st->Int(0))) r->category_a = true;
    }
  }
  {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare("SELECT report_id, series, category FROM report_matches "
                                              "WHERE series IS NOT NULL OR category IN ('A', 'A1', 'A2')"));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      ReportFacts* r = facts(st->Int(0));
      if (!r) continue;
      if (auto series = st->OptText(1)) r->series.push_back(*series);
      if (auto cat = st->OptText(2); cat && (*cat == "A" || *cat == "A1" || *cat == "A2")) r->category_a = true;
    }
  }
  SG_ASSIGN_OR_RETURN(ChatFacts chats, LoadChatFacts(conn));  // network_chat_source.h
  in.chats = std::move(chats.conversations);
  return in;
}

const Network* NetworkAnalysis::Find(int64_t id) const {
  for (const Network& n : networks) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

Result<NetworkAnalysis> AnalyseNetworks(store::Connection& conn, const NetworkOptions& options,
                                        const GraphOptions& graph_options) {
  SG_ASSIGN_OR_RETURN(GraphInput input, LoadGraphInput(conn));
  NetworkAnalysis a;
  a.graph = BuildGraph(input, graph_options);
  input = {};  // free the facts before the networks are found
  SG_ASSIGN_OR_RETURN(a.networks, FindNetworks(a.graph, options));
  return a;
}

}  // namespace sg::linking
