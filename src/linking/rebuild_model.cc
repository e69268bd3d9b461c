#include "linking/rebuild_model.h"

#include <algorithm>
#include <thread>
#include <tuple>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/time.h"
#include "linking/report_input.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

// Reports parsed per chunk on the body path.
constexpr size_t kChunk = 4096;

auto Key(const MentionRec& m) { return std::make_tuple(m.report, m.victim, int64_t{m.index}); }

Result<bool> IsVictim(std::string_view role, int64_t report, const std::string& where) {
  if (role == kRoleVictim) return true;
  if (role == kRoleReported) return false;
  return DataLoss(fmt::format("{}: report {}: a mention has role '{}' (expected reported or victim)", where, report,
                              role));
}

std::optional<int64_t> TimeMs(const std::string& text) {
  auto t = ParseRfc3339(text);
  if (!t.ok()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
}

}  // namespace

Result<int64_t> SingleInt(store::Connection& conn, const std::string& sql, const std::vector<store::Value>& params) {
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(sql));
  SG_RETURN_IF_ERROR(q->Bind(params));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  return (row && !q->IsNull(0)) ? q->Int(0) : 0;
}

Status ReadBundleInputs(store::Connection& conn, int64_t up_to, LinkModel& model) {
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(
      "SELECT m.report_id, coalesce(m.report_time, (SELECT coalesce(r.incident_time, r.received_at) FROM reports r"
      " WHERE r.id = m.report_id)), m.hash FROM report_matches m WHERE m.report_id <= ?"
      " ORDER BY m.report_id, m.match_index"));
  SG_RETURN_IF_ERROR(q->Bind({up_to}));
  int64_t report = 0;
  std::string time;
  std::vector<std::string> hashes;
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row || q->Int(0) != report) {
      if (report != 0) model.bundles.Add(report, time, hashes);
      if (!row) break;
      report = q->Int(0);
      time = q->Text(1);
      hashes.clear();
    }
    std::string h = q->Text(2);
    if (std::find(hashes.begin(), hashes.end(), h) == hashes.end()) hashes.push_back(std::move(h));
  }
  return Status::Ok();
}


std::optional<uint32_t> LinkModel::FindMention(int64_t report, bool victim, int64_t index) const {
  const auto key = std::make_tuple(report, victim, index);
  auto it = std::lower_bound(mentions.begin(), mentions.end(), key,
                             [](const MentionRec& m, const auto& k) { return Key(m) < k; });
  if (it == mentions.end() || Key(*it) != key) return std::nullopt;
  return static_cast<uint32_t>(it - mentions.begin());
}

Status ReadMentionRows(store::Connection& conn, int64_t up_to, LinkModel& model) {
  const std::string where = conn.Describe();
  model.last_read = up_to;
  {
    // Every mention with its person now. Table order, sorted here: cheaper
    // than the primary key's order on a rowid table. `+report_id` keeps the
    // primary key's index out (it would cost a table lookup per row), here
    // and in the reads of ReadIdentifierRows.
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(
        "SELECT report_id, role, person_index, person_id FROM report_persons WHERE +report_id <= ?"));
    SG_RETURN_IF_ERROR(q->Bind({up_to}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      SG_ASSIGN_OR_RETURN(bool victim, IsVictim(q->TextView(1), q->Int(0), where));
      MentionRec m;
      m.report = q->Int(0);
      m.victim = victim;
      m.index = static_cast<int32_t>(q->Int(2));
      m.old_person = q->Int(3);
      model.mentions.push_back(m);
    }
    std::sort(model.mentions.begin(), model.mentions.end(),
              [](const MentionRec& a, const MentionRec& b) { return Key(a) < Key(b); });
  }
  // All reports less those stored since: `count(*) ... WHERE id <= ?` would
  // walk the reports table itself, bodies and all (most of the file), where
  // a bare count(*) reads its smallest index.
  SG_ASSIGN_OR_RETURN(const int64_t all, SingleInt(conn, "SELECT count(*) FROM reports"));
  SG_ASSIGN_OR_RETURN(const int64_t since, SingleInt(conn, "SELECT count(*) FROM reports WHERE id > ?", {up_to}));
  model.reports = all - since;
  return Status::Ok();
}

Status ReadIdentifierRows(store::Connection& conn, int64_t up_to, IdentifierTable& identifiers, StoredRows& rows) {
  const std::string where = conn.Describe();
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(
        "SELECT report_id, role, person_index, kind, value, position FROM mention_identifiers WHERE +report_id <= ?"));
    SG_RETURN_IF_ERROR(q->Bind({up_to}));
    // Interned a batch at a time (their lookups overlap): rows.carried's
    // last batch.size() rows wait for their nodes.
    IdentifierTable::Batch batch;
    std::vector<uint32_t> nodes;
    auto intern = [&] {
      nodes.clear();
      identifiers.InternAll(batch, nodes);
      const size_t first = rows.carried.size() - nodes.size();
      for (size_t i = 0; i < nodes.size(); ++i) rows.carried[first + i].node = nodes[i];
      batch.Clear();
    };
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      SG_ASSIGN_OR_RETURN(bool victim, IsVictim(q->TextView(1), q->Int(0), where));
      const std::string_view kind_name = q->TextView(3);
      const std::optional<IdentifierKind> kind = KindFromName(kind_name);
      if (!kind) {
        return DataLoss(fmt::format("{}: report {}: mention_identifiers has an unknown kind '{}'", where, q->Int(0),
                                    kind_name));
      }
      if (q->IsNull(5)) {
        return DataLoss(fmt::format("{}: report {}: an identifier row has no position (rows from before schema step 9:"
                                    " `safeguard link --reparse` writes them again)", where, q->Int(0)));
      }
      rows.carried.push_back({q->Int(0), static_cast<int32_t>(q->Int(2)), victim, static_cast<int32_t>(q->Int(5)),
                              IdentifierTable::kNone});
      batch.Add(*kind, q->TextView(4));
      if (batch.size() == IdentifierTable::Batch::kSize) intern();
    }
    intern();
  }
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(
      "SELECT report_id, role, person_index, ip, port, time FROM ip_captures WHERE +report_id <= ?"));
  SG_RETURN_IF_ERROR(q->Bind({up_to}));
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    SG_ASSIGN_OR_RETURN(bool victim, IsVictim(q->TextView(1), q->Int(0), where));
    const std::optional<int64_t> ms = TimeMs(q->Text(5));
    if (!ms) continue;  // no readable time: never evidence
    rows.captured.push_back({q->Int(0), static_cast<int32_t>(q->Int(2)), victim,
                             identifiers.Intern(IdentifierKind::kIp, q->TextView(3)), q->Int(4), *ms});
  }
  return Status::Ok();
}

int64_t PlaceRows(LinkModel& model, StoredRows& rows) {
  int64_t orphans = 0;
  // The mention of a row: rows of one mention come together (intake writes
  // them so), so the last one found is tried first.
  std::optional<uint32_t> last;
  auto mention_of = [&](int64_t report, bool victim, int64_t index) -> std::optional<uint32_t> {
    if (last && Key(model.mentions[*last]) == std::make_tuple(report, victim, index)) return last;
    last = model.FindMention(report, victim, index);
    return last;
  };
  // Each mention's identifiers into ids[begin, end), in position order: a
  // counting sort by mention, then each mention's few rows sorted.
  std::vector<uint32_t> mention(rows.carried.size(), UINT32_MAX);
  std::vector<uint32_t> count(model.mentions.size() + 1, 0);
  for (size_t i = 0; i < rows.carried.size(); ++i) {
    const StoredRows::Carried& c = rows.carried[i];
    const std::optional<uint32_t> m = mention_of(c.report, c.victim, c.index);
    if (!m) {
      ++orphans;
      continue;
    }
    mention[i] = *m;
    ++count[*m + 1];
  }
  for (size_t m = 0; m < model.mentions.size(); ++m) {
    count[m + 1] += count[m];
    model.mentions[m].begin = count[m];
    model.mentions[m].end = count[m + 1];
  }
  std::vector<uint32_t> placed(count.back());
  for (size_t i = 0; i < rows.carried.size(); ++i) {
    if (mention[i] != UINT32_MAX) placed[count[mention[i]]++] = static_cast<uint32_t>(i);
  }
  mention = {};
  model.ids.assign(placed.size(), 0);
  for (const MentionRec& m : model.mentions) {
    std::sort(placed.begin() + m.begin, placed.begin() + m.end,
              [&](uint32_t a, uint32_t b) { return rows.carried[a].position < rows.carried[b].position; });
    for (uint32_t i = m.begin; i < m.end; ++i) model.ids[i] = rows.carried[placed[i]].node;
  }
  rows.carried = {};
  for (const StoredRows::Captured& c : rows.captured) {
    const std::optional<uint32_t> m = mention_of(c.report, c.victim, c.index);
    if (!m) {
      ++orphans;
      continue;
    }
    model.captures.push_back({c.ip, c.port, c.time_ms, *m});
  }
  rows.captured = {};
  return orphans;
}

Status ReadReportBodies(store::Connection& conn, int64_t up_to, LinkModel& model, ProgressBar* progress) {
  model.last_read = up_to;
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id, received_at, body FROM reports WHERE id <= ? ORDER BY id"));
  SG_RETURN_IF_ERROR(q->Bind({up_to}));
  // Chunks of rows: parsing and normalising (most of the time) run on two
  // threads; interning stays in report order.
  struct Row {
    int64_t id;
    std::string received_at, body;
  };
  std::vector<Row> rows;
  std::vector<Result<ReportInput>> inputs;
  const std::string where = conn.Describe();  // the threads touch no connection
  auto parse = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      boost::system::error_code ec;
      json::value body = json::parse(rows[i].body, ec);
      if (ec || !body.is_object()) {
        inputs[i] = DataLoss(fmt::format("{}: report {}: the stored body is not a JSON object", where, rows[i].id));
        continue;
      }
      inputs[i] = ReportInputFromJson(rows[i].id, body.as_object(), rows[i].received_at);
    }
  };
  for (bool more = true; more;) {
    rows.clear();
    while (rows.size() < kChunk) {
      SG_ASSIGN_OR_RETURN(more, q->Step());
      if (!more) break;
      rows.push_back({q->Int(0), q->Text(1), q->Text(2)});
    }
    inputs.assign(rows.size(), Result<ReportInput>(Internal("not parsed")));
    if (rows.size() >= 64) {
      std::thread helper(parse, rows.size() / 2, rows.size());
      parse(0, rows.size() / 2);
      helper.join();
    } else {
      parse(0, rows.size());
    }
    for (Result<ReportInput>& parsed : inputs) {
      if (!parsed.ok()) return parsed.status();
      const ReportInput& in = *parsed;
      for (const Mention& m : in.mentions) {
        MentionRec rec;
        rec.report = in.report_id;
        rec.index = m.index;
        rec.victim = m.role == kRoleVictim;
        rec.begin = static_cast<uint32_t>(model.ids.size());
        for (const Identifier& ident : m.identifiers) model.ids.push_back(model.identifiers.Intern(ident.kind, ident.value));
        rec.end = static_cast<uint32_t>(model.ids.size());
        for (const IpCapture& c : m.ip_captures) {
          if (!c.port || !c.time) continue;
          const std::optional<int64_t> ms = TimeMs(*c.time);
          if (!ms) continue;
          model.captures.push_back({model.identifiers.Intern(IdentifierKind::kIp, c.ip), *c.port, *ms,
                                    static_cast<uint32_t>(model.mentions.size())});
        }
        model.mentions.push_back(rec);
      }
      model.facts.push_back(FactsOf(in));
      ++model.reports;
      if (progress != nullptr) progress->Advance();
    }
  }
  q.reset();
  // Old persons, by a merge join in (report, role, index) order.
  {
    SG_ASSIGN_OR_RETURN(auto r, conn.Prepare(
        "SELECT report_id, role, person_index, person_id FROM report_persons WHERE report_id <= ?"
        " ORDER BY report_id, role, person_index"));
    SG_RETURN_IF_ERROR(r->Bind({model.last_read}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool more, r->Step());
      if (!more) break;
      SG_ASSIGN_OR_RETURN(bool victim, IsVictim(r->Text(1), r->Int(0), where));
      if (auto m = model.FindMention(r->Int(0), victim, r->Int(2))) model.mentions[*m].old_person = r->Int(3);
    }
  }
  return ReadBundleInputs(conn, model.last_read, model);
}

}  // namespace sg::linking
