#include "linking/rebuild_diff.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/time.h"
#include "linking/report_input.h"
#include "linking/resolver.h"
#include "store/row_inserter.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

// Rows per multi-row INSERT: a rebuild from report bodies writes millions.
constexpr size_t kInsertRows = 100;

const std::string& RoleName(bool victim) {
  static const std::string kReported(kRoleReported), kVictim(kRoleVictim);
  return victim ? kVictim : kReported;
}


uint32_t MentionOrNone(const LinkModel& model, int64_t report, const std::string& role, int64_t index) {
  if (role != kRoleReported && role != kRoleVictim) return kNoNode;
  return model.FindMention(report, role == kRoleVictim, index).value_or(kNoNode);
}

}  // namespace

std::pair<int64_t, int64_t> NewPersons(const OldCandidate& c, const Resolution& res) {
  return {c.mention_a != kNoNode ? res.mention_person[c.mention_a] : c.person_a,
          c.mention_b != kNoNode ? res.mention_person[c.mention_b] : c.person_b};
}

Status ReadOldPersons(store::Connection& conn, OldState& old) {
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id, size, merged_into FROM persons"));
    SG_RETURN_IF_ERROR(q->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      old.persons[q->Int(0)] = {q->Int(1), q->OptInt(2)};
      old.max_person = std::max(old.max_person, q->Int(0));
    }
  }
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id, action, details FROM link_decisions WHERE active = 1 ORDER BY id"));
    SG_RETURN_IF_ERROR(q->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      boost::system::error_code ec;
      json::value d = json::parse(q->Text(2), ec);
      if (ec || !d.is_object()) return DataLoss(fmt::format("link decision {}: details are not a JSON object", q->Int(0)));
      old.decisions.push_back({q->Int(0), q->Text(1), std::move(d.as_object())});
    }
  }
  return Status::Ok();
}

constexpr const char* kOldIdentifiersSql = "SELECT kind, value, person_id FROM person_identifiers";

Status ReadAheadOldIdentifiers(store::Connection& conn) {
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(kOldIdentifiersSql));
  SG_RETURN_IF_ERROR(q->Bind({}));
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return Status::Ok();
  }
}

Status ReadOldIdentifiers(store::Connection& conn, const LinkModel& model, OldState& old) {
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(kOldIdentifiersSql));
    SG_RETURN_IF_ERROR(q->Bind({}));
    // Looked up a batch at a time, so the lookups' cache misses overlap.
    IdentifierTable::Batch batch;
    std::vector<int64_t> persons;
    std::vector<uint32_t> nodes;
    auto find = [&] {
      nodes.clear();
      model.identifiers.FindAll(batch, nodes);
      for (size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i] != IdentifierTable::kNone) {
          old.identifiers.emplace_back(nodes[i], persons[i]);
          continue;
        }
        const std::string_view text = batch.Text(i);  // kind names have no ':'
        const size_t colon = text.find(':');
        old.gone.emplace_back(std::string(text.substr(0, colon)), std::string(text.substr(colon + 1)), persons[i]);
      }
      batch.Clear();
      persons.clear();
    };
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      batch.AddText(q->TextView(0), q->TextView(1));
      persons.push_back(q->Int(2));
      if (batch.size() == IdentifierTable::Batch::kSize) find();
    }
    find();
  }
  return Status::Ok();
}

Status ReadOldCandidates(store::Connection& conn, const LinkModel& model, OldState& old) {
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(
        "SELECT id, report_a, role_a, index_a, report_b, role_b, index_b, person_a, person_b, kind, value, score,"
        " status FROM link_candidates"));
    SG_RETURN_IF_ERROR(q->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      OldCandidate c;
      c.id = q->Int(0);
      c.mention_a = MentionOrNone(model, q->Int(1), q->Text(2), q->Int(3));
      c.mention_b = MentionOrNone(model, q->Int(4), q->Text(5), q->Int(6));
      c.person_a = q->Int(7);
      c.person_b = q->Int(8);
      c.kind = q->Text(9);
      c.value = q->Text(10);
      c.score = q->Real(11);
      c.pending = q->Text(12) == "pending";
      old.candidates.push_back(std::move(c));
    }
  }
  return Status::Ok();
}

Status ReadOldState(store::Connection& conn, const LinkModel& model, OldState& old) {
  SG_RETURN_IF_ERROR(ReadOldPersons(conn, old));
  SG_RETURN_IF_ERROR(ReadOldIdentifiers(conn, model, old));
  return ReadOldCandidates(conn, model, old);
}

Status WritePersonChanges(PersonWrites& w, const LinkModel& model, const OldState& old, const Resolution& res,
                          bool insert_all_mentions) {
  store::Connection& conn = w.connection();
  const std::string now = NowUtc();
  // persons: live ones with their sizes, then the redirects; rows of ids
  // that are neither are deleted.
  {
    store::RowInserter added(conn, "INSERT INTO persons (id, created_at, size, merged_into)", 4, "", kInsertRows);
    auto put = [&](int64_t id, int64_t size, std::optional<int64_t> into) -> Status {
      auto it = old.persons.find(id);
      if (it == old.persons.end()) {
        return added.Add({id, now, size, into ? store::Value(*into) : store::Value()});
      }
      if (it->second.size == size && it->second.merged_into == into) return Status::Ok();
      return w.Exec("UPDATE persons SET size = ?, merged_into = ? WHERE id = ?",
                    {size, into ? store::Value(*into) : store::Value(), id});
    };
    for (size_t id = 1; id < res.sizes.size(); ++id) {
      if (res.sizes[id] > 0) SG_RETURN_IF_ERROR(put(static_cast<int64_t>(id), res.sizes[id], std::nullopt));
    }
    for (const auto& [id, into] : res.redirects) SG_RETURN_IF_ERROR(put(id, 0, into));
    SG_RETURN_IF_ERROR(added.Flush());
    for (const auto& [id, p] : old.persons) {
      const bool live = id > 0 && static_cast<size_t>(id) < res.sizes.size() && res.sizes[id] > 0;
      if (!live && res.redirects.count(id) == 0) {
        SG_RETURN_IF_ERROR(w.Exec("DELETE FROM persons WHERE id = ?", {id}));
      }
    }
  }
  // report_persons: the mentions whose person changed.
  {
    store::RowInserter added(conn, "INSERT INTO report_persons (report_id, role, person_index, person_id)", 4, "",
                             kInsertRows);
    for (size_t m = 0; m < model.mentions.size(); ++m) {
      const MentionRec& rec = model.mentions[m];
      const int64_t p = res.mention_person[m];
      if (insert_all_mentions || rec.old_person == 0) {
        SG_RETURN_IF_ERROR(added.Add({rec.report, RoleName(rec.victim), int64_t{rec.index}, p}));
      } else if (rec.old_person != p) {
        SG_RETURN_IF_ERROR(w.Exec(
            "UPDATE report_persons SET person_id = ? WHERE report_id = ? AND role = ? AND person_index = ?",
            {p, rec.report, RoleName(rec.victim), int64_t{rec.index}}));
      }
    }
    SG_RETURN_IF_ERROR(added.Flush());
  }
  // person_identifiers: strong identifiers with their one person, weak ones
  // with every person that carried them; set difference with the old rows.
  {
    std::vector<std::pair<uint32_t, int64_t>> rows;
    for (size_t m = 0; m < model.mentions.size(); ++m) {
      for (uint32_t i = model.mentions[m].begin; i < model.mentions[m].end; ++i) {
        if (!IsStrong(model.identifiers.kind(model.ids[i]))) rows.emplace_back(model.ids[i], res.mention_person[m]);
      }
    }
    for (uint32_t i = 0; i < res.identifier_person.size(); ++i) {
      if (res.identifier_person[i] != 0) rows.emplace_back(i, res.identifier_person[i]);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    std::vector<std::pair<uint32_t, int64_t>> before = old.identifiers;
    std::sort(before.begin(), before.end());
    std::vector<std::pair<uint32_t, int64_t>> to_add, to_drop;
    std::set_difference(rows.begin(), rows.end(), before.begin(), before.end(), std::back_inserter(to_add));
    std::set_difference(before.begin(), before.end(), rows.begin(), rows.end(), std::back_inserter(to_drop));
    const std::string drop = "DELETE FROM person_identifiers WHERE kind = ? AND value = ? AND person_id = ?";
    for (const auto& [i, p] : to_drop) {
      SG_RETURN_IF_ERROR(w.Exec(drop, {std::string(model.identifiers.Kind(i)), std::string(model.identifiers.Value(i)), p}));
    }
    for (const auto& [kind, value, p] : old.gone) SG_RETURN_IF_ERROR(w.Exec(drop, {kind, value, p}));
    store::RowInserter added(conn, "INSERT INTO person_identifiers (kind, value, person_id)", 3, "", kInsertRows);
    for (const auto& [i, p] : to_add) {
      SG_RETURN_IF_ERROR(added.Add({std::string(model.identifiers.Kind(i)), std::string(model.identifiers.Value(i)), p}));
    }
    SG_RETURN_IF_ERROR(added.Flush());
  }
  // Split tags: few; written again.
  SG_RETURN_IF_ERROR(w.Exec("DELETE FROM person_split_tags", {}));
  for (const auto& [person, decision, split_side] : res.split_tags) {
    SG_RETURN_IF_ERROR(w.Exec("INSERT INTO person_split_tags (person_id, decision_id, side) VALUES (?, ?, ?)"
                              " ON CONFLICT DO NOTHING",
                              {person, decision, std::string(split_side ? "split" : "rest")}));
  }
  return Status::Ok();
}

Result<int64_t> WriteCandidateChanges(PersonWrites& w, const LinkModel& model, const OldState& old,
                                      const Resolution& res, const std::vector<Proposal>& proposals) {
  // Decided rows follow their mentions to the new persons.
  for (const OldCandidate& c : old.candidates) {
    if (c.pending) continue;
    const auto [a, b] = NewPersons(c, res);
    if (a != c.person_a || b != c.person_b) {
      SG_RETURN_IF_ERROR(w.Exec("UPDATE link_candidates SET person_a = ?, person_b = ? WHERE id = ?", {a, b, c.id}));
    }
  }
  // Pending rows by (mentions, kind, value), either way round.
  using Key = std::tuple<uint32_t, uint32_t, std::string_view, std::string_view>;
  std::map<Key, const OldCandidate*> pending;
  for (const OldCandidate& c : old.candidates) {
    if (!c.pending || c.mention_a == kNoNode || c.mention_b == kNoNode) continue;
    pending.emplace(Key{std::min(c.mention_a, c.mention_b), std::max(c.mention_a, c.mention_b), c.kind, c.value}, &c);
  }
  std::set<int64_t> kept;
  std::vector<const Proposal*> fresh;
  for (const Proposal& p : proposals) {
    const Key key{std::min(p.mention_a, p.mention_b), std::max(p.mention_a, p.mention_b),
                  model.identifiers.Kind(p.identifier), model.identifiers.Value(p.identifier)};
    auto it = pending.find(key);
    if (it == pending.end()) {
      fresh.push_back(&p);
      continue;
    }
    const OldCandidate& c = *it->second;
    kept.insert(c.id);
    const auto [a, b] = NewPersons(c, res);
    if (a != c.person_a || b != c.person_b || c.score != p.score) {
      SG_RETURN_IF_ERROR(w.Exec("UPDATE link_candidates SET person_a = ?, person_b = ?, score = ? WHERE id = ?",
                                {a, b, p.score, c.id}));
    }
  }
  // Pending rows no longer proposed go before the new ones are written: a
  // new row may have the same mentions the other way round.
  for (const OldCandidate& c : old.candidates) {
    if (c.pending && kept.count(c.id) == 0) {
      SG_RETURN_IF_ERROR(w.Exec("DELETE FROM link_candidates WHERE id = ?", {c.id}));
    }
  }
  CandidateWriter writer(w);
  for (const Proposal* p : fresh) {
    const MentionRec& ma = model.mentions[p->mention_a];
    const MentionRec& mb = model.mentions[p->mention_b];
    SG_RETURN_IF_ERROR(writer.Add(res.mention_person[p->mention_a], ma.report, RoleName(ma.victim), ma.index,
                                  res.mention_person[p->mention_b], mb.report, RoleName(mb.victim), mb.index,
                                  model.identifiers.kind(p->identifier),
                                  std::string(model.identifiers.Value(p->identifier)), p->score));
  }
  SG_RETURN_IF_ERROR(writer.Flush());
  return static_cast<int64_t>(fresh.size());
}

Status RewriteEvidence(PersonWrites& w, const LinkModel& model) {
  store::Connection& conn = w.connection();
  for (const char* table : {"report_persons", "mention_identifiers", "ip_captures"}) {
    SG_RETURN_IF_ERROR(w.Exec(fmt::format("DELETE FROM {} WHERE report_id <= ?", table), {model.last_read}));
  }
  store::RowInserter mi(conn,
                        "INSERT INTO mention_identifiers (report_id, role, person_index, kind, value, position)", 6,
                        " ON CONFLICT DO NOTHING", kInsertRows);
  for (const MentionRec& rec : model.mentions) {
    for (uint32_t i = rec.begin; i < rec.end; ++i) {
      SG_RETURN_IF_ERROR(mi.Add({rec.report, RoleName(rec.victim), int64_t{rec.index},
                                 std::string(model.identifiers.Kind(model.ids[i])),
                                 std::string(model.identifiers.Value(model.ids[i])), int64_t{i - rec.begin}}));
    }
  }
  SG_RETURN_IF_ERROR(mi.Flush());
  store::RowInserter ic(conn, "INSERT INTO ip_captures (report_id, role, person_index, ip, port, time)", 6, "",
                        kInsertRows);
  for (const Capture& c : model.captures) {
    const MentionRec& rec = model.mentions[c.mention];
    SG_RETURN_IF_ERROR(ic.Add({rec.report, RoleName(rec.victim), int64_t{rec.index},
                               std::string(model.identifiers.Value(c.ip)), c.port,
                               FormatUtc(std::chrono::system_clock::time_point(std::chrono::milliseconds(c.time_ms)))}));
  }
  return ic.Flush();
}

}  // namespace sg::linking
