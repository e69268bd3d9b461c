#include "linking/resolver.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include "core/time.h"
#include "linking/bundles.h"
#include "linking/report_facts.h"
#include "store/row_inserter.h"

namespace sg::linking {
namespace {

using store::Value;

std::string Kind(IdentifierKind k) { return std::string(KindName(k)); }

// Rows already there are skipped (a weak identifier the person holds already).
constexpr const char* kSkipExisting = " ON CONFLICT DO NOTHING";

}  // namespace

double IpScore(std::chrono::milliseconds apart, std::chrono::seconds window) {
  const double w = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(window).count());
  const double a = static_cast<double>(std::min(std::chrono::abs(apart).count(), static_cast<int64_t>(w)));
  return 0.5 + 0.4 * (1.0 - (w > 0 ? a / w : 1.0));
}

CandidateWriter::CandidateWriter(PersonWrites& writes)
    : writes_(writes),
      rows_(writes.connection(),
            "INSERT INTO link_candidates (id, report_a, role_a, index_a, report_b, role_b, index_b, person_a,"
            " person_b, kind, value, score, status, created_at)",
            14, kSkipExisting),
      now_(NowUtc()) {}

Status CandidateWriter::Add(int64_t person_a, int64_t report_a, const std::string& role_a, int64_t index_a,
                            int64_t person_b, int64_t report_b, const std::string& role_b, int64_t index_b,
                            IdentifierKind kind, const std::string& value, double score) {
  if (!next_id_) {
    SG_ASSIGN_OR_RETURN(next_id_, writes_.NextId("link_candidates"));
  }
  return rows_.Add({(*next_id_)++, report_a, role_a, index_a, report_b, role_b, index_b, person_a, person_b,
                    Kind(kind), value, score, "pending", now_});
}

Linker::Linker(store::Connection& conn, LinkOptions options)
    : conn_(conn), options_(options), writes_(conn), candidates_(writes_) {}

int64_t Linker::Live(int64_t id) const {
  for (auto it = merged_.find(id); it != merged_.end(); it = merged_.find(id)) id = it->second;
  return id;
}

Status Linker::OnReport(const ReportInput& report) {
  std::vector<int64_t> persons;
  for (const Mention& m : report.mentions) {
    SG_ASSIGN_OR_RETURN(int64_t p, LinkMention(report.report_id, m));
    persons.push_back(p);
  }
  // Candidates once the report's own merges are done, against final persons.
  for (size_t i = 0; i < report.mentions.size(); ++i) {
    SG_RETURN_IF_ERROR(ProposeCandidates(report.report_id, report.mentions[i], Live(persons[i])));
  }
  SG_RETURN_IF_ERROR(WriteReportFacts(writes_, report));
  return UpdateBundles(writes_, report, options_.bundle_window);
}

Result<int64_t> Linker::LinkMention(int64_t report_id, const Mention& m) {
  std::optional<int64_t> person;
  std::vector<const Identifier*> fresh;  // strong identifiers no one holds yet
  // The holders of all the mention's strong identifiers in one query; a
  // merge below re-points holders, which `merged` follows.
  std::map<std::pair<std::string, std::string>, int64_t> holders;
  {
    std::string sql = "SELECT kind, value, person_id FROM person_identifiers WHERE ";
    std::vector<Value> params;
    for (const Identifier& id : m.identifiers) {
      if (!IsStrong(id.kind)) continue;
      sql += params.empty() ? "(kind = ? AND value = ?)" : " OR (kind = ? AND value = ?)";
      params.push_back(Kind(id.kind));
      params.push_back(id.value);
    }
    if (!params.empty()) {
      bool row = false;
      SG_ASSIGN_OR_RETURN(store::Statement * q, writes_.Row(sql, params, &row));
      while (row) {
        holders[{q->Text(0), q->Text(1)}] = q->Int(2);
        SG_ASSIGN_OR_RETURN(row, q->Step());
      }
    }
  }
  for (const Identifier& id : m.identifiers) {
    if (!IsStrong(id.kind)) continue;
    std::optional<int64_t> holder;
    if (auto it = holders.find({Kind(id.kind), id.value}); it != holders.end()) holder = Live(it->second);
    if (!holder) {
      fresh.push_back(&id);
    } else if (!person) {
      person = holder;
    } else if (*holder != *person) {
      SG_ASSIGN_OR_RETURN(bool conflict, writes_.Conflicts(*person, *holder));
      if (conflict) continue;  // an analyst split these apart: the identifier stays with its holder
      SG_ASSIGN_OR_RETURN(const int64_t survivor, writes_.Merge(*person, *holder, /*forced=*/false));
      merged_[survivor == *person ? *holder : *person] = survivor;
      person = survivor;
    }
  }
  const int64_t size = 1 + static_cast<int64_t>(fresh.size());  // the mention and the identifiers it brings
  const bool is_new = !person;
  if (is_new) {
    SG_ASSIGN_OR_RETURN(person, writes_.NewPerson(size));
  }
  const int64_t p = *person;
  SG_RETURN_IF_ERROR(writes_.Exec(
      "INSERT INTO report_persons (report_id, role, person_index, person_id) VALUES (?, ?, ?, ?)",
      {report_id, m.role, int64_t{m.index}, p}));
  if (!is_new) SG_RETURN_IF_ERROR(writes_.AddSize(p, size));
  // One multi-row statement per table: a round trip each on PostgreSQL.
  store::RowInserter held(conn_, "INSERT INTO person_identifiers (kind, value, person_id)", 3, kSkipExisting);
  store::RowInserter carried(conn_,
                             "INSERT INTO mention_identifiers (report_id, role, person_index, kind, value, position)", 6,
                             kSkipExisting);
  store::RowInserter captures(conn_, "INSERT INTO ip_captures (report_id, role, person_index, ip, port, time)", 6);
  for (const Identifier* id : fresh) SG_RETURN_IF_ERROR(held.Add({Kind(id->kind), id->value, p}));
  for (size_t i = 0; i < m.identifiers.size(); ++i) {
    const Identifier& id = m.identifiers[i];
    SG_RETURN_IF_ERROR(carried.Add({report_id, m.role, int64_t{m.index}, Kind(id.kind), id.value, int64_t(i)}));
    if (!IsStrong(id.kind)) SG_RETURN_IF_ERROR(held.Add({Kind(id.kind), id.value, p}));
  }
  for (const IpCapture& c : m.ip_captures) {
    if (!c.port || !c.time) continue;  // without both it can never be evidence
    SG_RETURN_IF_ERROR(captures.Add({report_id, m.role, int64_t{m.index}, c.ip, *c.port, *c.time}));
  }
  SG_RETURN_IF_ERROR(held.Flush());
  SG_RETURN_IF_ERROR(carried.Flush());
  SG_RETURN_IF_ERROR(captures.Flush());
  return p;
}

Status Linker::ProposeCandidates(int64_t report_id, const Mention& m, int64_t p) {
  const int64_t limit = options_.max_persons_per_weak_value + 1;

  // (other person q, its mention) pairs, gathered first and written with a
  // fixed number of statements (round trips on PostgreSQL), not a few per
  // pair: a common display name is shared by up to `limit` persons.
  struct Proposal {
    int64_t q, report_q;
    std::string role_q;
    int64_t index_q;
    IdentifierKind kind;
    std::string value;
    double score;
  };
  std::vector<Proposal> proposals;

  for (const Identifier& id : m.identifiers) {
    if (id.kind != IdentifierKind::kDisplayName) continue;
    // Too common to mean anything: `limit` persons hold it (a cheap count
    // first, as most names seen often are common ones).
    {
      SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(
          "SELECT count(*) FROM (SELECT 1 FROM person_identifiers WHERE kind = 'display_name' AND value = ? LIMIT ?) t"));
      SG_RETURN_IF_ERROR(q->Bind({id.value, limit}));
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row || q->Int(0) >= limit) continue;
    }
    // The other persons holding it, each with its first mention that
    // carried it (the evidence) as "report role index": one statement.
    SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(
        "SELECT pi.person_id, (SELECT rp.report_id || ' ' || rp.role || ' ' || rp.person_index"
        " FROM report_persons rp WHERE rp.person_id = pi.person_id AND EXISTS (SELECT 1 FROM mention_identifiers mi"
        " WHERE mi.report_id = rp.report_id AND mi.role = rp.role AND mi.person_index = rp.person_index"
        " AND mi.kind = 'display_name' AND mi.value = pi.value)"
        " ORDER BY rp.report_id, rp.role, rp.person_index LIMIT 1)"
        " FROM person_identifiers pi WHERE pi.kind = 'display_name' AND pi.value = ? AND pi.person_id <> ?"));
    SG_RETURN_IF_ERROR(q->Bind({id.value, p}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      if (q->IsNull(1)) continue;
      Proposal x{q->Int(0), 0, "", 0, IdentifierKind::kDisplayName, id.value, kDisplayNameScore};
      std::istringstream mention(q->Text(1));
      if (!(mention >> x.report_q >> x.role_q >> x.index_q)) {
        return Internal(fmt::format("person {}: unreadable mention '{}'", x.q, q->Text(1)));
      }
      proposals.push_back(std::move(x));
    }
  }

  for (const IpCapture& c : m.ip_captures) {
    if (!c.port || !c.time) continue;
    auto t = ParseRfc3339(*c.time);
    if (!t.ok()) continue;
    const std::string from = FormatUtc(*t - options_.ip_window), to = FormatUtc(*t + options_.ip_window);
    struct Best {
      int64_t report;
      std::string role;
      int64_t index;
      std::chrono::milliseconds apart;
    };
    std::map<int64_t, Best> best;  // by person
    {
      SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(
          "SELECT rp.person_id, ic.report_id, ic.role, ic.person_index, ic.time FROM ip_captures ic"
          " JOIN report_persons rp ON rp.report_id = ic.report_id AND rp.role = ic.role"
          " AND rp.person_index = ic.person_index"
          " WHERE ic.ip = ? AND ic.port = ? AND ic.time >= ? AND ic.time <= ? ORDER BY ic.report_id LIMIT 200"));
      SG_RETURN_IF_ERROR(q->Bind({c.ip, *c.port, from, to}));
      while (true) {
        SG_ASSIGN_OR_RETURN(bool row, q->Step());
        if (!row) break;
        const int64_t other = q->Int(0);
        if (other == p) continue;
        auto ot = ParseRfc3339(q->Text(4));
        if (!ot.ok()) continue;
        const auto apart = std::chrono::abs(std::chrono::duration_cast<std::chrono::milliseconds>(*ot - *t));
        auto it = best.find(other);
        if (it == best.end() || apart < it->second.apart) best[other] = {q->Int(1), q->Text(2), q->Int(3), apart};
      }
    }
    if (static_cast<int64_t>(best.size()) >= limit) continue;  // a shared exit address
    for (const auto& [q, b] : best) {
      proposals.push_back({q, b.report, b.role, b.index, IdentifierKind::kIp, c.ip, IpScore(b.apart, options_.ip_window)});
    }
  }
  if (proposals.empty()) return Status::Ok();

  // Once per (pair, kind, value), whatever the earlier one's status: the
  // pairs p already has, in one query.
  std::set<std::tuple<int64_t, std::string, std::string>> had;  // (other person, kind, value)
  {
    SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(
        "SELECT person_a, person_b, kind, value FROM link_candidates WHERE person_a = ?"
        " UNION ALL SELECT person_a, person_b, kind, value FROM link_candidates WHERE person_b = ?"));
    SG_RETURN_IF_ERROR(q->Bind({p, p}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      had.emplace(q->Int(0) == p ? q->Int(1) : q->Int(0), q->Text(2), q->Text(3));
    }
  }
  for (const Proposal& x : proposals) {
    if (!had.emplace(x.q, Kind(x.kind), x.value).second) continue;
    SG_RETURN_IF_ERROR(candidates_.Add(x.q, x.report_q, x.role_q, x.index_q, p, report_id, m.role, m.index, x.kind,
                                       x.value, x.score));
  }
  return candidates_.Flush();
}

}  // namespace sg::linking
