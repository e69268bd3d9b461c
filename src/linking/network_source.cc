#include "linking/network_source.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include <fmt/format.h>

#include "core/time.h"
#include "linking/network_chat_source.h"

namespace sg::linking {
namespace {

using store::Dialect;

// Only the values leave the database, not the bodies; `LIKE` first so the
// JSON is parsed only in the reports that can hold the value.
std::string_view VictimAgesSql(Dialect d) {
  if (d == Dialect::kSqlite) {
    return "SELECT r.id, CAST(j.key AS INTEGER), json_extract(j.value, '$.approximate_age') "
           "FROM reports r, json_each(r.body, '$.victims') j "
           "WHERE r.body LIKE '%approximate_age%' AND json_extract(j.value, '$.approximate_age') IS NOT NULL";
  }
  return "SELECT r.id, j.ord - 1, (j.v->>'approximate_age')::bigint FROM reports r "
         "CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r.body::jsonb->'victims') = 'array' "
         "THEN r.body::jsonb->'victims' ELSE '[]'::jsonb END) WITH ORDINALITY AS j(v, ord) "
         "WHERE r.body LIKE '%approximate_age%' AND j.v->>'approximate_age' IS NOT NULL";
}

std::string_view GroupsSql(Dialect d) {
  if (d == Dialect::kSqlite) {
    return "SELECT id, json_extract(body, '$.platform'), json_extract(body, '$.additional_info') FROM reports "
           "WHERE body LIKE '%group:%'";
  }
  return "SELECT id, body::jsonb->>'platform', body::jsonb->>'additional_info' FROM reports "
         "WHERE body ILIKE '%group:%'";
}

int64_t ToMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

Result<GraphInput> LoadGraphInput(store::Connection& conn) {
  GraphInput in;
  std::unordered_map<int64_t, size_t> at;  // report id -> index in in.reports
  // Victims by (report, person_index), for their ages.
  std::unordered_map<int64_t, std::vector<std::pair<int64_t, size_t>>> victim_slots;
  {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare("SELECT report_id, role, person_index, person_id FROM report_persons "
                                              "ORDER BY report_id, role, person_index"));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      const int64_t report = st->Int(0);
      auto [it, fresh] = at.try_emplace(report, in.reports.size());
      if (fresh) {
        in.reports.emplace_back();
        in.reports.back().report_id = report;
      }
      ReportFacts& r = in.reports[it->second];
      const std::string role = st->Text(1);
      if (role == "reported") {
        r.reported.push_back(st->Int(3));
      } else if (role == "victim") {
        victim_slots[report].emplace_back(st->Int(2), r.victims.size());
        r.victims.push_back({st->Int(3), std::nullopt});
      } else {
        return DataLoss(fmt::format("report_persons: report {} has role '{}' (expected reported or victim)", report, role));
      }
    }
  }
  auto facts = [&](int64_t report) -> ReportFacts* {
    auto it = at.find(report);
    return it == at.end() ? nullptr : &in.reports[it->second];
  };
  {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare("SELECT id, immediate_danger, COALESCE(incident_time, received_at) FROM reports"));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      ReportFacts* r = facts(st->Int(0));
      if (!r) continue;
      r->immediate_danger = st->Int(1) != 0;
      auto t = ParseRfc3339(st->Text(2));
      if (!t.ok()) return DataLoss(fmt::format("reports.incident_time of report {}: {}", r->report_id, t.status().message()));
      r->time_ms = ToMs(*t);
    }
  }
  {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare(VictimAgesSql(conn.dialect())));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      auto slots = victim_slots.find(st->Int(0));
      if (slots == victim_slots.end()) continue;
      for (auto [index, slot] : slots->second) {
        if (index == st->Int(1)) in.reports[at[st->Int(0)]].victims[slot].approximate_age = static_cast<int>(st->Int(2));
      }
    }
  }
  {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare(GroupsSql(conn.dialect())));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      if (ReportFacts* r = facts(st->Int(0))) r->group = GroupKey(st->OptText(1), st->OptText(2));
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
