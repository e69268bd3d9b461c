#include "linking/rebuild.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/time.h"
#include "linking/bundles.h"
#include "linking/person_writes.h"
#include "linking/union_find.h"
#include "store/row_inserter.h"

namespace sg::linking {
namespace {

namespace json = boost::json;
using store::Value;

// Multi-row INSERTs of up to kRows rows: one statement per 100 rows instead
// of one per row (a round trip each on PostgreSQL).
// Rows per multi-row INSERT in the bulk write: more than intake's 32, as a
// rebuild writes millions.
constexpr size_t kInsertRows = 100;

struct MentionRec {
  int64_t report;
  int32_t index;
  bool victim;
  uint32_t begin, end;  // identifier node ids in `ids`, [begin, end)
};

struct Capture {
  uint32_t ip;  // identifier node
  int64_t port;
  int64_t time_ms;
  uint32_t mention;
};

struct Loaded {
  std::vector<MentionRec> mentions;
  std::vector<uint32_t> ids;                     // per mention, strong first
  std::vector<std::string> identifier_text;      // by identifier node: "kind:value"
  std::vector<IdentifierKind> identifier_kind;
  std::unordered_map<std::string, uint32_t> identifier_node;
  std::vector<Capture> captures;
};

const std::string& RoleName(bool victim) {
  static const std::string kReported(kRoleReported), kVictim(kRoleVictim);
  return victim ? kVictim : kReported;
}

uint32_t Intern(Loaded& l, const Identifier& id) {
  std::string text = id.Text();
  auto [it, inserted] = l.identifier_node.try_emplace(std::move(text), static_cast<uint32_t>(l.identifier_text.size()));
  if (inserted) {
    l.identifier_text.push_back(it->first);
    l.identifier_kind.push_back(id.kind);
  }
  return it->second;
}

// The secondary indexes of the derived tables, as store/schema_linking.cc
// defines them (keep the two in step).
constexpr std::pair<const char*, const char*> kRebuiltIndexes[] = {
    {"report_persons_person", "report_persons (person_id, report_id)"},
    {"person_identifiers_person", "person_identifiers (person_id)"},
    {"ip_captures_lookup", "ip_captures (ip, port, time)"},
    {"bundle_reports_bundle", "bundle_reports (bundle_id, report_id)"},
};

// Reports read and parsed per chunk.
constexpr size_t kChunk = 4096;

std::string ValueOf(const std::string& text) { return text.substr(text.find(':') + 1); }
std::string KindOf(const std::string& text) { return text.substr(0, text.find(':')); }

// Pending candidates from weak evidence between the final persons, the
// same rules as at intake; decided ones are kept (re-pointed to the new
// persons) and their (pair, kind, value) is never proposed again.
Result<int64_t> RebuildCandidates(PersonWrites& w, const Loaded& l, const std::vector<int64_t>& mention_person,
                                  const LinkOptions& options) {
  for (const char* side : {"a", "b"}) {
    SG_RETURN_IF_ERROR(w.Exec(fmt::format(
        "UPDATE link_candidates SET person_{0} = coalesce((SELECT rp.person_id FROM report_persons rp"
        " WHERE rp.report_id = link_candidates.report_{0} AND rp.role = link_candidates.role_{0}"
        " AND rp.person_index = link_candidates.index_{0}), person_{0})", side), {}));
  }
  using Key = std::tuple<int64_t, int64_t, std::string, std::string>;
  std::set<Key> decided;
  {
    bool row = false;
    SG_ASSIGN_OR_RETURN(store::Statement * q, w.Row("SELECT person_a, person_b, kind, value FROM link_candidates", {}, &row));
    while (row) {
      const int64_t a = q->Int(0), b = q->Int(1);
      decided.emplace(std::min(a, b), std::max(a, b), q->Text(2), q->Text(3));
      SG_ASSIGN_OR_RETURN(row, q->Step());
    }
  }
  const size_t max_persons = static_cast<size_t>(options.max_persons_per_weak_value);
  int64_t made = 0;
  CandidateWriter candidates(w);
  auto propose = [&](size_t ma, size_t mb, uint32_t ident, double score) -> Status {
    const int64_t pa = mention_person[ma], pb = mention_person[mb];
    if (pa == pb) return Status::Ok();
    const std::string& text = l.identifier_text[ident];
    if (!decided.emplace(std::min(pa, pb), std::max(pa, pb), KindOf(text), ValueOf(text)).second) return Status::Ok();
    const MentionRec& a = l.mentions[ma];
    const MentionRec& b = l.mentions[mb];
    ++made;
    return candidates.Add(pa, a.report, RoleName(a.victim), a.index, pb, b.report, RoleName(b.victim), b.index,
                          l.identifier_kind[ident], ValueOf(text), score);
  };
  // Display names: every pair of persons sharing one, unless too many do.
  std::vector<std::pair<uint32_t, uint32_t>> names;  // (identifier, mention)
  for (size_t m = 0; m < l.mentions.size(); ++m) {
    for (uint32_t i = l.mentions[m].begin; i < l.mentions[m].end; ++i) {
      if (l.identifier_kind[l.ids[i]] == IdentifierKind::kDisplayName) names.emplace_back(l.ids[i], m);
    }
  }
  std::sort(names.begin(), names.end());
  for (size_t at = 0; at < names.size();) {
    size_t end = at;
    std::vector<size_t> firsts;  // the first mention of each person, in order
    std::set<int64_t> seen;
    while (end < names.size() && names[end].first == names[at].first) {
      if (seen.insert(mention_person[names[end].second]).second) firsts.push_back(names[end].second);
      ++end;
    }
    if (firsts.size() <= max_persons) {
      for (size_t i = 0; i < firsts.size(); ++i) {
        for (size_t j = i + 1; j < firsts.size(); ++j) {
          SG_RETURN_IF_ERROR(propose(firsts[i], firsts[j], names[at].first, kDisplayNameScore));
        }
      }
    }
    at = end;
  }
  // IP captures: the same address and port within the window.
  std::vector<Capture> caps = l.captures;
  std::sort(caps.begin(), caps.end(), [](const Capture& a, const Capture& b) {
    return std::tie(a.ip, a.port, a.time_ms, a.mention) < std::tie(b.ip, b.port, b.time_ms, b.mention);
  });
  const int64_t window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options.ip_window).count();
  for (size_t at = 0; at < caps.size();) {
    size_t end = at;
    std::set<int64_t> persons;
    while (end < caps.size() && caps[end].ip == caps[at].ip && caps[end].port == caps[at].port) {
      persons.insert(mention_person[caps[end].mention]);
      ++end;
    }
    if (persons.size() <= max_persons) {
      // Best (closest) pair of captures per pair of persons.
      std::map<std::pair<int64_t, int64_t>, std::tuple<int64_t, uint32_t, uint32_t>> best;
      for (size_t i = at; i < end; ++i) {
        for (size_t j = i + 1; j < end && caps[j].time_ms - caps[i].time_ms <= window_ms; ++j) {
          uint32_t mi = caps[i].mention, mj = caps[j].mention;
          if (mention_person[mi] == mention_person[mj]) continue;
          if (mi > mj) std::swap(mi, mj);
          const auto key = std::make_pair(mention_person[mi], mention_person[mj]);
          const int64_t apart = caps[j].time_ms - caps[i].time_ms;
          auto it = best.find(key);
          if (it == best.end() || apart < std::get<0>(it->second)) best[key] = {apart, mi, mj};
        }
      }
      for (const auto& [pair, b] : best) {
        SG_RETURN_IF_ERROR(propose(std::get<1>(b), std::get<2>(b), caps[at].ip,
                                   IpScore(std::chrono::milliseconds(std::get<0>(b)), options.ip_window)));
      }
    }
    at = end;
  }
  SG_RETURN_IF_ERROR(candidates.Flush());
  return made;
}

// Reports stored after the read phase (intake does not stop for a
// rebuild): linked incrementally, now that the write lock holds new ones
// off, so that no committed report is left without its persons.
Result<int64_t> LinkLateReports(store::Connection& conn, int64_t after, const LinkOptions& options) {
  std::vector<ReportInput> late;
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id, received_at, body FROM reports WHERE id > ? ORDER BY id"));
    SG_RETURN_IF_ERROR(q->Bind({after}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      boost::system::error_code ec;
      json::value body = json::parse(q->Text(2), ec);
      if (ec || !body.is_object()) {
        return DataLoss(fmt::format("{}: report {}: the stored body is not a JSON object", conn.Describe(), q->Int(0)));
      }
      SG_ASSIGN_OR_RETURN(ReportInput in, ReportInputFromJson(q->Int(0), body.as_object(), q->Text(1)));
      late.push_back(std::move(in));
    }
  }
  if (late.empty()) return int64_t{0};
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(
        "SELECT report_id, hash FROM report_matches WHERE report_id > ? ORDER BY report_id, match_index"));
    SG_RETURN_IF_ERROR(q->Bind({after}));
    size_t at = 0;
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      while (at < late.size() && late[at].report_id < q->Int(0)) ++at;
      if (at == late.size() || late[at].report_id != q->Int(0)) continue;
      std::string h = q->Text(1);
      auto& hashes = late[at].match_hashes;
      if (std::find(hashes.begin(), hashes.end(), h) == hashes.end()) hashes.push_back(std::move(h));
    }
  }
  Linker linker(conn, options);
  for (const ReportInput& in : late) SG_RETURN_IF_ERROR(linker.OnReport(in));
  return static_cast<int64_t>(late.size());
}

}  // namespace

Result<RebuildStats> Rebuild(store::Connection& conn, const LinkOptions& options, ProgressBar* progress,
                             const std::function<Status()>& after_read) {
  RebuildStats stats;
  Loaded l;
  int64_t last_read = 0;  // reports after it arrived while we read: linked at the end
  BundleBuilder bundles(options.bundle_window);

  // 1. Read: matched hashes, then every report in id order.
  std::unordered_map<int64_t, std::vector<std::string>> hashes;
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT report_id, hash FROM report_matches ORDER BY report_id, match_index"));
    SG_RETURN_IF_ERROR(q->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      auto& v = hashes[q->Int(0)];
      std::string h = q->Text(1);
      if (std::find(v.begin(), v.end(), h) == v.end()) v.push_back(std::move(h));
    }
  }
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id, received_at, body FROM reports ORDER BY id"));
    SG_RETURN_IF_ERROR(q->Bind({}));
    // Chunks of rows: parsing and normalising (most of the time) run on two
    // threads; interning and union-find input stay in report order.
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
        const int64_t id = in.report_id;
        for (const Mention& m : in.mentions) {
          MentionRec rec{id, m.index, m.role == kRoleVictim, static_cast<uint32_t>(l.ids.size()), 0};
          for (const Identifier& ident : m.identifiers) l.ids.push_back(Intern(l, ident));
          rec.end = static_cast<uint32_t>(l.ids.size());
          for (const IpCapture& c : m.ip_captures) {
            if (!c.port || !c.time) continue;
            auto t = ParseRfc3339(*c.time);
            if (!t.ok()) continue;
            l.captures.push_back({Intern(l, Identifier{IdentifierKind::kIp, c.ip}), *c.port,
                                  std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count(),
                                  static_cast<uint32_t>(l.mentions.size())});
          }
          l.mentions.push_back(rec);
        }
        auto h = hashes.find(id);
        if (h != hashes.end()) bundles.Add(id, in.time, h->second);
        ++stats.reports;
        last_read = id;
        if (progress != nullptr) progress->Advance();
      }
    }
  }
  hashes.clear();
  const uint32_t identifiers = static_cast<uint32_t>(l.identifier_text.size());
  const size_t nodes = identifiers + l.mentions.size();
  auto mention_node = [&](size_t m) { return static_cast<uint32_t>(identifiers + m); };
  // A decision's node text -> node id, or nullopt if no report has it.
  auto find_node = [&](const std::string& text) -> std::optional<uint32_t> {
    if (text.rfind("mention:", 0) == 0) {
      int64_t report = 0;
      int index = 0;
      char role[16] = {0};
      if (std::sscanf(text.c_str(), "mention:%ld:%15[a-z]:%d", &report, role, &index) != 3) return std::nullopt;
      const bool victim = std::string_view(role) == kRoleVictim;
      auto key = std::make_tuple(report, victim, index);
      auto it = std::lower_bound(l.mentions.begin(), l.mentions.end(), key, [](const MentionRec& m, const auto& k) {
        return std::make_tuple(m.report, m.victim, m.index) < k;
      });
      if (it == l.mentions.end() || std::make_tuple(it->report, it->victim, it->index) != key) return std::nullopt;
      return mention_node(static_cast<size_t>(it - l.mentions.begin()));
    }
    auto it = l.identifier_node.find(text);
    if (it == l.identifier_node.end()) return std::nullopt;
    return it->second;
  };

  // 2. Resolve: splits as constraints, the reports' strong identifiers, merges.
  UnionFind uf(nodes);
  struct Decision {
    int64_t id;
    std::string action;
    json::object details;
  };
  std::vector<Decision> decisions;
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id, action, details FROM link_decisions WHERE active = 1 ORDER BY id"));
    SG_RETURN_IF_ERROR(q->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      boost::system::error_code ec;
      json::value d = json::parse(q->Text(2), ec);
      if (ec || !d.is_object()) return DataLoss(fmt::format("link decision {}: details are not a JSON object", q->Int(0)));
      decisions.push_back({q->Int(0), q->Text(1), d.as_object()});
    }
  }
  auto nodes_of = [&](const json::object& d, std::string_view key) {
    std::vector<uint32_t> out;
    if (const json::value* v = d.if_contains(key); v != nullptr && v->is_array()) {
      for (const json::value& t : v->as_array()) {
        if (!t.is_string()) continue;
        if (auto n = find_node(std::string(t.as_string()))) out.push_back(*n);
      }
    }
    return out;
  };
  for (const Decision& d : decisions) {
    if (d.action != "split") continue;
    for (auto [key, side] : {std::pair<std::string_view, bool>{"split", true}, {"rest", false}}) {
      const std::vector<uint32_t> side_nodes = nodes_of(d.details, key);
      for (size_t i = 1; i < side_nodes.size(); ++i) uf.Join(side_nodes[0], side_nodes[i], true);
      if (!side_nodes.empty()) uf.AddTag(side_nodes[0], {d.id, side});
    }
  }
  for (size_t m = 0; m < l.mentions.size(); ++m) {
    for (uint32_t i = l.mentions[m].begin; i < l.mentions[m].end; ++i) {
      if (IsStrong(l.identifier_kind[l.ids[i]])) uf.Join(mention_node(m), l.ids[i], false);
    }
  }
  for (const Decision& d : decisions) {
    if (d.action != "merge") continue;
    std::vector<uint32_t> both = nodes_of(d.details, "nodes");
    for (size_t i = 1; i < both.size(); ++i) uf.Join(both[0], both[i], true);
  }

  // 3. Person ids: a component keeps the old id of its first mention.
  std::vector<int64_t> old_person(l.mentions.size(), 0);
  std::unordered_map<int64_t, int64_t> old_merged;  // merged-away id -> the id it was merged into
  int64_t max_id = 0;
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT coalesce(max(id), 0) FROM persons"));
    SG_RETURN_IF_ERROR(q->Bind({}));
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (row) max_id = q->Int(0);
    SG_ASSIGN_OR_RETURN(auto g, conn.Prepare("SELECT id, merged_into FROM persons WHERE merged_into IS NOT NULL"));
    SG_RETURN_IF_ERROR(g->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool more, g->Step());
      if (!more) break;
      old_merged[g->Int(0)] = g->Int(1);
    }
    SG_ASSIGN_OR_RETURN(auto r, conn.Prepare(
        "SELECT report_id, role, person_index, person_id FROM report_persons ORDER BY report_id, role, person_index"));
    SG_RETURN_IF_ERROR(r->Bind({}));
    size_t at = 0;
    while (true) {
      SG_ASSIGN_OR_RETURN(bool more, r->Step());
      if (!more) break;
      auto key = std::make_tuple(r->Int(0), r->Text(1) == kRoleVictim, static_cast<int32_t>(r->Int(2)));
      while (at < l.mentions.size() &&
             std::make_tuple(l.mentions[at].report, l.mentions[at].victim, l.mentions[at].index) < key) {
        ++at;
      }
      if (at < l.mentions.size() &&
          std::make_tuple(l.mentions[at].report, l.mentions[at].victim, l.mentions[at].index) == key) {
        old_person[at] = r->Int(3);
      }
    }
  }
  std::unordered_map<uint32_t, int64_t> person_of_root;
  std::set<int64_t> used;
  std::vector<int64_t> person_size;  // by new id order of creation
  auto assign = [&](uint32_t root, int64_t wanted) {
    auto it = person_of_root.find(root);
    if (it != person_of_root.end()) return it->second;
    int64_t id = wanted;
    if (id <= 0 || used.count(id) != 0) id = ++max_id;
    used.insert(id);
    person_of_root.emplace(root, id);
    return id;
  };
  std::vector<int64_t> mention_person(l.mentions.size());
  for (size_t m = 0; m < l.mentions.size(); ++m) mention_person[m] = assign(uf.Find(mention_node(m)), old_person[m]);
  // Old ids that no person keeps answer on: each redirects (merged_into,
  // as after a merge) to the person holding the first of its mentions, and
  // an id merged away before the rebuild to where its survivor went. So an
  // id an analyst noted down still finds its person after `safeguard link`.
  std::map<int64_t, int64_t> redirects;  // old id -> new person
  for (size_t m = 0; m < l.mentions.size(); ++m) {
    const int64_t old_id = old_person[m];
    if (old_id > 0 && used.count(old_id) == 0) redirects.emplace(old_id, mention_person[m]);
  }
  for (const auto& [gone, into] : old_merged) {
    int64_t live = into;
    for (int hops = 0; hops < 1000; ++hops) {
      auto it = old_merged.find(live);
      if (it == old_merged.end()) break;
      live = it->second;
    }
    int64_t target = 0;
    if (used.count(live) != 0) {
      target = live;
    } else if (auto it = redirects.find(live); it != redirects.end()) {
      target = it->second;
    }
    if (target != 0 && used.count(gone) == 0) redirects.emplace(gone, target);
  }
  std::vector<int64_t> identifier_person(identifiers, 0);
  for (uint32_t i = 0; i < identifiers; ++i) {
    if (IsStrong(l.identifier_kind[i])) identifier_person[i] = assign(uf.Find(i), 0);
  }
  old_person.clear();
  old_person.shrink_to_fit();
  std::unordered_map<int64_t, int64_t> sizes;
  for (int64_t p : mention_person) ++sizes[p];
  for (uint32_t i = 0; i < identifiers; ++i) {
    if (identifier_person[i] != 0) ++sizes[identifier_person[i]];
  }
  stats.mentions = static_cast<int64_t>(l.mentions.size());
  stats.identifiers = identifiers;
  stats.persons = static_cast<int64_t>(sizes.size());

  // 4. Write, in one transaction.
  if (after_read) SG_RETURN_IF_ERROR(after_read());
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn));
  {
    PersonWrites w(conn);  // its statements end before the commit
    for (const char* table : {"persons", "report_persons", "person_identifiers", "mention_identifiers", "ip_captures",
                              "person_split_tags", "bundles", "bundle_keys", "bundle_reports"}) {
      SG_RETURN_IF_ERROR(w.Exec(fmt::format("DELETE FROM {}", table), {}));
    }
    SG_RETURN_IF_ERROR(w.Exec("DELETE FROM link_candidates WHERE status = 'pending'", {}));
    // Secondary indexes are dropped and built again after the bulk insert:
    // building one from sorted rows is far cheaper than millions of random
    // index inserts. Inside the transaction, so a failed rebuild keeps them.
    for (const auto& [name, definition] : kRebuiltIndexes) {
      SG_RETURN_IF_ERROR(conn.ExecScript(fmt::format("DROP INDEX IF EXISTS {}", name)));
    }
    const std::string now = NowUtc();
    {
      std::vector<std::pair<int64_t, int64_t>> ordered(sizes.begin(), sizes.end());
      std::sort(ordered.begin(), ordered.end());
      store::RowInserter persons(conn, "INSERT INTO persons (id, created_at, size)", 3, "", kInsertRows);
      for (const auto& [id, size] : ordered) SG_RETURN_IF_ERROR(persons.Add({id, now, size}));
      SG_RETURN_IF_ERROR(persons.Flush());
      store::RowInserter moved(conn, "INSERT INTO persons (id, created_at, size, merged_into)", 4, "", kInsertRows);
      for (const auto& [old_id, into] : redirects) SG_RETURN_IF_ERROR(moved.Add({old_id, now, int64_t{0}, into}));
      SG_RETURN_IF_ERROR(moved.Flush());
    }
    {
      store::RowInserter rp(conn, "INSERT INTO report_persons (report_id, role, person_index, person_id)", 4, "",
                            kInsertRows);
      store::RowInserter mi(conn, "INSERT INTO mention_identifiers (report_id, role, person_index, kind, value)", 5,
                            "", kInsertRows);
      std::vector<std::pair<uint32_t, int64_t>> weak;  // (identifier, person)
      for (size_t m = 0; m < l.mentions.size(); ++m) {
        const MentionRec& rec = l.mentions[m];
        const std::string& role = RoleName(rec.victim);
        SG_RETURN_IF_ERROR(rp.Add({rec.report, role, int64_t{rec.index}, mention_person[m]}));
        for (uint32_t i = rec.begin; i < rec.end; ++i) {
          const std::string& text = l.identifier_text[l.ids[i]];
          SG_RETURN_IF_ERROR(mi.Add({rec.report, role, int64_t{rec.index}, KindOf(text), ValueOf(text)}));
          if (!IsStrong(l.identifier_kind[l.ids[i]])) weak.emplace_back(l.ids[i], mention_person[m]);
        }
      }
      SG_RETURN_IF_ERROR(rp.Flush());
      SG_RETURN_IF_ERROR(mi.Flush());
      std::sort(weak.begin(), weak.end());
      weak.erase(std::unique(weak.begin(), weak.end()), weak.end());
      // In primary key order (kind, value, person): appends to the B-tree.
      std::vector<std::pair<uint32_t, int64_t>> rows = std::move(weak);
      for (uint32_t i = 0; i < identifiers; ++i) {
        if (identifier_person[i] != 0) rows.emplace_back(i, identifier_person[i]);
      }
      std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
        const int c = l.identifier_text[a.first].compare(l.identifier_text[b.first]);
        return c != 0 ? c < 0 : a.second < b.second;
      });
      store::RowInserter pi(conn, "INSERT INTO person_identifiers (kind, value, person_id)", 3, "", kInsertRows);
      for (const auto& [i, p] : rows) {
        SG_RETURN_IF_ERROR(pi.Add({KindOf(l.identifier_text[i]), ValueOf(l.identifier_text[i]), p}));
      }
      SG_RETURN_IF_ERROR(pi.Flush());
      store::RowInserter ic(conn, "INSERT INTO ip_captures (report_id, role, person_index, ip, port, time)", 6, "",
                            kInsertRows);
      for (const Capture& c : l.captures) {
        const MentionRec& rec = l.mentions[c.mention];
        SG_RETURN_IF_ERROR(ic.Add({rec.report, RoleName(rec.victim), int64_t{rec.index},
                                   ValueOf(l.identifier_text[c.ip]), c.port,
                                   FormatUtc(std::chrono::system_clock::time_point(std::chrono::milliseconds(c.time_ms)))}));
      }
      SG_RETURN_IF_ERROR(ic.Flush());
      for (const auto& [root, tags] : uf.tags()) {
        auto it = person_of_root.find(root);
        if (it == person_of_root.end()) continue;
        for (const auto& [decision, side] : tags) {
          SG_RETURN_IF_ERROR(w.Exec("INSERT INTO person_split_tags (person_id, decision_id, side) VALUES (?, ?, ?)"
                                    " ON CONFLICT DO NOTHING",
                                    {it->second, decision, std::string(side ? "split" : "rest")}));
        }
      }
    }
    SG_ASSIGN_OR_RETURN(stats.candidates, RebuildCandidates(w, l, mention_person, options));
    SG_RETURN_IF_ERROR(bundles.Write(w));
    for (const auto& [name, definition] : kRebuiltIndexes) {
      SG_RETURN_IF_ERROR(conn.ExecScript(fmt::format("CREATE INDEX {} ON {}", name, definition)));
    }
    SG_ASSIGN_OR_RETURN(int64_t late, LinkLateReports(conn, last_read, options));
    stats.reports += late;
    stats.bundles = static_cast<int64_t>(bundles.bundles());
  }
  SG_RETURN_IF_ERROR(tx.Commit());
  return stats;
}

}  // namespace sg::linking
