#include "linking/decisions.h"

#include <algorithm>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/time.h"
#include "linking/identifiers.h"
#include "linking/person_writes.h"
#include "linking/report_input.h"
#include "store/audit.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

struct Node {
  std::string text;  // "mention:R:ROLE:I" or "kind:value"
  bool mention;
  int64_t report = 0;
  std::string role, kind, value;
  int64_t index = 0;
};

// The nodes (mentions, strong identifiers) a person holds now.
Result<std::vector<Node>> NodesOf(PersonWrites& w, int64_t person) {
  std::vector<Node> out;
  bool row = false;
  SG_ASSIGN_OR_RETURN(store::Statement * q, w.Row(
      "SELECT report_id, role, person_index FROM report_persons WHERE person_id = ? ORDER BY report_id, role,"
      " person_index", {person}, &row));
  while (row) {
    Node n{MentionNode(q->Int(0), q->Text(1), static_cast<int>(q->Int(2))), true, q->Int(0), q->Text(1), "", "",
           q->Int(2)};
    out.push_back(std::move(n));
    SG_ASSIGN_OR_RETURN(row, q->Step());
  }
  SG_ASSIGN_OR_RETURN(q, w.Row("SELECT kind, value FROM person_identifiers WHERE person_id = ? ORDER BY kind, value",
                               {person}, &row));
  while (row) {
    const std::string kind = q->Text(0), value = q->Text(1);
    auto k = KindFromName(kind);
    if (k && IsStrong(*k)) out.push_back({kind + ":" + value, false, 0, "", kind, value, 0});
    SG_ASSIGN_OR_RETURN(row, q->Step());
  }
  return out;
}

Status Audit(store::Connection& conn, const DecisionContext& ctx, std::string action, std::string type, int64_t id,
             const json::object& details) {
  store::AuditEntry e;
  e.actor = ctx.actor;
  e.action = std::move(action);
  e.object_type = std::move(type);
  e.object_id = std::to_string(id);
  e.address = ctx.address;
  e.details = json::serialize(details);
  return store::AppendAudit(conn, e).status();
}

Result<int64_t> RecordDecision(PersonWrites& w, std::string_view action, const DecisionContext& ctx,
                               const json::object& details) {
  SG_ASSIGN_OR_RETURN(int64_t id, w.NextId("link_decisions"));
  SG_RETURN_IF_ERROR(w.Exec("INSERT INTO link_decisions (id, action, actor, decided_at, active, details)"
                            " VALUES (?, ?, ?, ?, 1, ?)",
                            {id, std::string(action), ctx.actor, NowUtc(), json::serialize(details)}));
  return id;
}

// The merge itself, inside a transaction: records, merges, audits.
Result<MergeOutcome> MergeIn(store::Connection& conn, PersonWrites& w, int64_t a, int64_t b,
                             const DecisionContext& ctx, const json::object& why) {
  SG_ASSIGN_OR_RETURN(int64_t la, w.Live(a));
  SG_ASSIGN_OR_RETURN(int64_t lb, w.Live(b));
  if (la == lb) return InvalidArgument(fmt::format("persons {} and {} are already one person ({})", a, b, la));
  SG_ASSIGN_OR_RETURN(std::vector<Node> na, NodesOf(w, la));
  SG_ASSIGN_OR_RETURN(std::vector<Node> nb, NodesOf(w, lb));
  if (na.empty() || nb.empty()) return NotFound(fmt::format("person {} holds nothing", na.empty() ? la : lb));
  json::object details{{"nodes", json::array{json::string(na[0].text), json::string(nb[0].text)}}};
  for (const auto& kv : why) details[kv.key()] = kv.value();
  SG_ASSIGN_OR_RETURN(int64_t decision, RecordDecision(w, "merge", ctx, details));
  SG_ASSIGN_OR_RETURN(int64_t survivor, w.Merge(la, lb, /*forced=*/true));
  json::object audit{{"decision", decision}, {"persons", json::array{la, lb}}, {"into", survivor}};
  SG_RETURN_IF_ERROR(Audit(conn, ctx, "person.merge", "person", survivor, audit));
  return MergeOutcome{survivor, decision};
}

}  // namespace

Result<MergeOutcome> MergePersons(store::Connection& conn, int64_t a, int64_t b, const DecisionContext& ctx) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn));
  MergeOutcome out;
  {
    PersonWrites w(conn);  // its statements end before the commit
    SG_ASSIGN_OR_RETURN(out, MergeIn(conn, w, a, b, ctx, {}));
  }
  SG_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<SplitOutcome> SplitPerson(store::Connection& conn, int64_t person, const std::vector<std::string>& identifiers,
                                 const std::vector<int64_t>& report_ids, const DecisionContext& ctx) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn));
  SplitOutcome out;
  {
    PersonWrites w(conn);
    SG_ASSIGN_OR_RETURN(const int64_t p, w.Live(person));
    SG_ASSIGN_OR_RETURN(std::vector<Node> nodes, NodesOf(w, p));
    std::set<std::string> wanted;  // identifier texts
    for (const std::string& text : identifiers) {
      SG_ASSIGN_OR_RETURN(Identifier id, ParseIdentifierText(text));
      if (!IsStrong(id.kind)) {
        return InvalidArgument(fmt::format("identifiers: '{}' is weak evidence, which never linked anyone", text));
      }
      const std::string t = id.Text();
      if (std::none_of(nodes.begin(), nodes.end(), [&](const Node& n) { return n.text == t; })) {
        return InvalidArgument(fmt::format("identifiers: person {} does not hold {}", p, t));
      }
      wanted.insert(t);
    }
    const std::set<int64_t> reports(report_ids.begin(), report_ids.end());
    std::set<std::string> split;
    for (const Node& n : nodes) {
      if (!n.mention) {
        if (wanted.count(n.text) != 0) split.insert(n.text);
        continue;
      }
      bool carries = reports.count(n.report) != 0;
      if (!carries && !wanted.empty()) {
        bool found = false;
        SG_ASSIGN_OR_RETURN(store::Statement * q, w.Row(
            "SELECT kind, value FROM mention_identifiers WHERE report_id = ? AND role = ? AND person_index = ?",
            {n.report, n.role, n.index}, &found));
        while (found && !carries) {
          carries = wanted.count(q->Text(0) + ":" + q->Text(1)) != 0;
          SG_ASSIGN_OR_RETURN(found, q->Step());
        }
      }
      if (carries) split.insert(n.text);
    }
    for (int64_t r : reports) {
      if (std::none_of(nodes.begin(), nodes.end(), [&](const Node& n) { return n.mention && n.report == r; })) {
        return InvalidArgument(fmt::format("reports: person {} is in no report {}", p, r));
      }
    }
    if (split.empty()) return InvalidArgument("split: nothing to split off (give identifiers or reports)");
    if (split.size() == nodes.size()) return InvalidArgument(fmt::format("split: that is all of person {}", p));
    json::array split_json, rest_json;
    for (const Node& n : nodes) (split.count(n.text) != 0 ? split_json : rest_json).push_back(json::string(n.text));
    SG_ASSIGN_OR_RETURN(int64_t decision, RecordDecision(w, "split", ctx, {{"split", split_json}, {"rest", rest_json}}));
    // Earlier merges whose two nodes now fall on different sides no longer hold.
    {
      std::vector<std::pair<int64_t, std::string>> merges;
      bool row = false;
      SG_ASSIGN_OR_RETURN(store::Statement * q, w.Row(
          "SELECT id, details FROM link_decisions WHERE action = 'merge' AND active = 1", {}, &row));
      while (row) {
        merges.emplace_back(q->Int(0), q->Text(1));
        SG_ASSIGN_OR_RETURN(row, q->Step());
      }
      for (const auto& [id, text] : merges) {
        boost::system::error_code ec;
        json::value d = json::parse(text, ec);
        if (ec || !d.is_object() || !d.as_object().contains("nodes")) continue;
        int in_split = 0, in_rest = 0;
        for (const json::value& n : d.as_object()["nodes"].as_array()) {
          if (!n.is_string()) continue;
          const std::string t(n.as_string());
          if (split.count(t) != 0) ++in_split;
          else if (std::any_of(nodes.begin(), nodes.end(), [&](const Node& x) { return x.text == t; })) ++in_rest;
        }
        if (in_split > 0 && in_rest > 0) SG_RETURN_IF_ERROR(w.Exec("UPDATE link_decisions SET active = 0 WHERE id = ?", {id}));
      }
    }
    SG_ASSIGN_OR_RETURN(const int64_t np, w.NewPerson());
    int64_t moved = 0;
    for (const Node& n : nodes) {
      if (split.count(n.text) == 0) continue;
      ++moved;
      if (n.mention) {
        SG_RETURN_IF_ERROR(w.Exec("UPDATE report_persons SET person_id = ? WHERE report_id = ? AND role = ?"
                                  " AND person_index = ?", {np, n.report, n.role, n.index}));
        for (const char* side : {"a", "b"}) {
          SG_RETURN_IF_ERROR(w.Exec(fmt::format("UPDATE link_candidates SET person_{0} = ? WHERE report_{0} = ?"
                                                " AND role_{0} = ? AND index_{0} = ?", side),
                                    {np, n.report, n.role, n.index}));
        }
      } else {
        SG_RETURN_IF_ERROR(w.Exec("UPDATE person_identifiers SET person_id = ? WHERE kind = ? AND value = ?"
                                  " AND person_id = ?", {np, n.kind, n.value, p}));
      }
    }
    // Weak identifiers follow the mentions that carried them.
    SG_RETURN_IF_ERROR(w.Exec("DELETE FROM person_identifiers WHERE person_id = ? AND kind IN ('ip', 'display_name')", {p}));
    for (int64_t who : {p, np}) {
      SG_RETURN_IF_ERROR(w.Exec(
          "INSERT INTO person_identifiers (kind, value, person_id) SELECT DISTINCT mi.kind, mi.value, rp.person_id"
          " FROM report_persons rp JOIN mention_identifiers mi ON mi.report_id = rp.report_id AND mi.role = rp.role"
          " AND mi.person_index = rp.person_index WHERE rp.person_id = ? AND mi.kind IN ('ip', 'display_name')"
          " ON CONFLICT DO NOTHING", {who}));
    }
    SG_RETURN_IF_ERROR(w.AddSize(np, moved));
    SG_RETURN_IF_ERROR(w.AddSize(p, -moved));
    SG_RETURN_IF_ERROR(w.Exec("INSERT INTO person_split_tags (person_id, decision_id, side) VALUES (?, ?, 'split')",
                              {np, decision}));
    SG_RETURN_IF_ERROR(w.Exec("INSERT INTO person_split_tags (person_id, decision_id, side) VALUES (?, ?, 'rest')",
                              {p, decision}));
    SG_RETURN_IF_ERROR(Audit(conn, ctx, "person.split", "person", p,
                             {{"decision", decision}, {"new_person", np}, {"moved", moved}}));
    out = {p, np, decision};
  }
  SG_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<MergeOutcome> ConfirmCandidate(store::Connection& conn, int64_t candidate, const DecisionContext& ctx) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn));
  MergeOutcome out;
  {
    PersonWrites w(conn);
    bool found = false;
    SG_ASSIGN_OR_RETURN(store::Statement * q, w.Row(
        "SELECT person_a, person_b, status, kind, value FROM link_candidates WHERE id = ?", {candidate}, &found));
    if (!found) return NotFound(fmt::format("no candidate link {}", candidate));
    const int64_t a = q->Int(0), b = q->Int(1);
    const std::string status = q->Text(2);
    if (status != "pending") return InvalidArgument(fmt::format("candidate link {} is already {}", candidate, status));
    SG_ASSIGN_OR_RETURN(out, MergeIn(conn, w, a, b, ctx, {{"candidate", candidate}}));
    SG_RETURN_IF_ERROR(w.Exec("UPDATE link_candidates SET status = 'confirmed', decided_by = ?, decided_at = ?"
                              " WHERE id = ?", {ctx.actor, NowUtc(), candidate}));
    SG_RETURN_IF_ERROR(Audit(conn, ctx, "candidate.confirm", "candidate", candidate, {{"decision", out.decision_id}}));
  }
  SG_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status RejectCandidate(store::Connection& conn, int64_t candidate, const DecisionContext& ctx) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn));
  {
    PersonWrites w(conn);
    bool found = false;
    SG_ASSIGN_OR_RETURN(store::Statement * q, w.Row("SELECT status FROM link_candidates WHERE id = ?", {candidate}, &found));
    if (!found) return NotFound(fmt::format("no candidate link {}", candidate));
    const std::string status = q->Text(0);
    if (status != "pending") return InvalidArgument(fmt::format("candidate link {} is already {}", candidate, status));
    SG_RETURN_IF_ERROR(w.Exec("UPDATE link_candidates SET status = 'rejected', decided_by = ?, decided_at = ?"
                              " WHERE id = ?", {ctx.actor, NowUtc(), candidate}));
    SG_RETURN_IF_ERROR(Audit(conn, ctx, "candidate.reject", "candidate", candidate, {}));
  }
  return tx.Commit();
}

}  // namespace sg::linking
